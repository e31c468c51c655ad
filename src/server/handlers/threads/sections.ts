// threadSection/list|create|update|delete and thread/section/move over the store's sections
// (engine/thread-organizer.ts). A move, and each thread a deleted section lets go, is announced
// to every connection (`thread/section/changed`, as Codex broadcasts it) once the answer is out.
import { uuidv7 } from '../../../engine/ids.js';
import type { ThreadOrganizer, SectionRecord } from '../../../engine/thread-organizer.js';
import type { ThreadQueries } from '../../../engine/thread-queries.js';
import { MAX_PAGE } from '../../../engine/history-pages.js';
import { decodeCursor, encodeCursor } from '../../../kernel/cursor.js';
import { DomainErrors } from '../../../kernel/errors.js';
import type { Handler } from '../../dispatch.js';
import { pageLimit } from './shapes.js';

export interface SectionServices {
  organizer: ThreadOrganizer;
  queries: Pick<ThreadQueries, 'read'>;
  broadcast(method: string, params: unknown): void;
}

type SectionMethod = 'threadSection/list' | 'threadSection/create' | 'threadSection/update' | 'threadSection/delete' | 'thread/section/move';

const isId = (p: unknown): p is string => typeof p === 'string';

/** A page of `fetch` (asked for one more than the limit: whether it came says whether a next page is). */
export async function idPage<T>(cursor: string | null | undefined, kind: string, limit: number | null | undefined, idOf: (row: T) => string, fetch: (after: string | null, limit: number) => Promise<T[]>) {
  const after = cursor == null ? null : decodeCursor(cursor, kind, isId);
  const size = pageLimit(limit, 50, MAX_PAGE);
  const rows = await fetch(after, size + 1);
  const data = rows.slice(0, size);
  return { data, nextCursor: rows.length > size ? encodeCursor(kind, idOf(data[data.length - 1]!)) : null };
}

/** thread/delete, and then the deleted thread's place in a section and its attachments forgotten (the log is gone: so is the thread). */
export function forgettingDeleted(remove: Handler<'thread/delete'>, organizer: Pick<ThreadOrganizer, 'forgetThread'>): Handler<'thread/delete'> {
  return async (params, context) => {
    const answer = await remove(params, context);
    await organizer.forgetThread(params.threadId);
    return answer;
  };
}

const wireSection = (section: SectionRecord) => ({ id: section.id, name: section.name, appearance: section.appearance });

export function sectionHandlers({ organizer, queries, broadcast }: SectionServices): { [M in SectionMethod]: Handler<M> } {
  const changed = (threadId: string, sectionId: string | null) => broadcast('thread/section/changed', { threadId, sectionId });
  return {
    'threadSection/list': async (params) => {
      const page = await idPage(params.cursor, 'sections', params.limit, (s: SectionRecord) => s.id, (after, limit) => organizer.sections(after, limit));
      return { data: page.data.map(wireSection), nextCursor: page.nextCursor };
    },
    'threadSection/create': async (params) => {
      const section: SectionRecord = { id: uuidv7(), name: params.name, appearance: params.appearance ?? null, createdAt: Date.now() };
      await organizer.addSection(section);
      return { section: wireSection(section) };
    },
    'threadSection/update': async (params) => {
      const section = await organizer.updateSection(params.sectionId, params.name, params.appearance);
      if (section === null) throw DomainErrors.sectionNotFound(params.sectionId);
      return { section: wireSection(section) };
    },
    'threadSection/delete': async (params, { afterResponse }) => {
      const released = await organizer.deleteSection(params.sectionId);
      if (released === null) throw DomainErrors.sectionNotFound(params.sectionId);
      afterResponse(() => released.forEach((threadId) => changed(threadId, null)));
      return {};
    },
    'thread/section/move': async (params, { afterResponse }) => {
      await queries.read(params.threadId);
      const { threadId, sectionId } = params;
      const before = params.beforeThreadId ?? null;
      let order: string[] = [];
      if (sectionId !== null) {
        if (!(await organizer.hasSection(sectionId))) throw DomainErrors.sectionNotFound(sectionId);
        order = (await organizer.members(sectionId)).filter((id) => id !== threadId);
        const at = before === null || before === threadId ? order.length : order.indexOf(before);
        if (at === -1) throw DomainErrors.invalid(`thread ${before} is not in section ${sectionId}`, 'beforeThreadId');
        order.splice(at, 0, threadId);
      } else if (before !== null) {
        throw DomainErrors.invalid('a thread taken out of its section has no place to go before', 'beforeThreadId');
      }
      await organizer.place(threadId, sectionId, order);
      afterResponse(() => changed(threadId, sectionId));
      return {};
    },
  };
}
