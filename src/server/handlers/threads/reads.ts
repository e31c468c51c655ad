// The read-only thread requests: list, loaded/list, read, turns/list, items/list. Each page is
// bounded by a count and a byte budget. Reads go through the engine's ThreadQueries (and the
// registry for what is loaded); no handler holds the store.
import { DEFAULT_MAX_BYTES, MAX_PAGE, latestTurns, pageItems, pageTurns } from '../../../engine/history-pages.js';
import type { ThreadQueries } from '../../../engine/thread-queries.js';
import type { ThreadRegistry } from '../../../engine/thread-registry.js';
import { threadCost } from '../../../engine/usage-cost.js';
import { decodeCursor, encodeCursor } from '../../../kernel/cursor.js';
import { map } from '../../../core/plist.js';
import type { ThreadState } from '../../../core/state.js';
import type { Handler } from '../../dispatch.js';
import { DomainErrors } from '../../../kernel/errors.js';
import type { ParamsOf } from '../../../protocol/wire-types.js';
import { pageLimit, refuseCurrentAccountOnly, sortColumnOf, threadObject, type LiveThreads } from './shapes.js';

/** What the thread reads use: the queries over the store, and which threads are loaded. */
export interface ThreadReadServices {
  queries: Pick<ThreadQueries, 'list' | 'read'>;
  registry: LiveThreads & Pick<ThreadRegistry, 'loadedIds'>;
}

export function threadList({ queries }: ThreadReadServices): Handler<'thread/list'> {
  return async (params) => {
    refuseUnappliable(params);
    const page = await queries.list({
      sortColumn: sortColumnOf(params.sortKey),
      direction: params.sortDirection ?? 'desc',
      limit: pageLimit(params.limit, 50, MAX_PAGE),
      cursor: params.cursor ?? null,
      archived: params.archived === true,
      cwds: params.cwd == null ? null : Array.isArray(params.cwd) ? params.cwd : [params.cwd],
      searchTerm: params.searchTerm ?? null,
      modelProviders: params.modelProviders ?? null,
      sectionId: params.sectionId ?? null,
      // Keel's threads have no parent, ancestor, attachment or project: asking for one's lists none.
      includedIds: nothingMatches(params) ? [] : params.includedThreadIds ?? null,
      excludedIds: params.excludedThreadIds ?? null,
      sourceKinds: params.sourceKinds ?? null,
      maxBytes: params.maxBytes ?? DEFAULT_MAX_BYTES,
    });
    return { ...page, backwardsCursor: null };
  };
}

function nothingMatches(params: ParamsOf<'thread/list'>): boolean {
  return params.parentThreadId != null || params.ancestorThreadId != null || params.attachedToThreadId != null || typeof params.projectId === 'string';
}

/** A filter Keel cannot apply is refused naming the field, never ignored (Codex's local server refuses originators too). */
function refuseUnappliable(params: ParamsOf<'thread/list'>): void {
  if ((params.originators?.length ?? 0) > 0) throw DomainErrors.invalid('originators are kept by hosted backends only; Keel\'s local store has none to filter by', 'originators');
  refuseCurrentAccountOnly(params.currentAccountOnly);
  if (params.parentThreadId != null && params.ancestorThreadId != null) throw DomainErrors.invalid('parentThreadId and ancestorThreadId are mutually exclusive', 'ancestorThreadId');
}

const isOffset = (p: unknown): p is number => typeof p === 'number' && Number.isSafeInteger(p) && p >= 0;

export function threadLoadedList({ registry }: ThreadReadServices): Handler<'thread/loaded/list'> {
  return (params) => {
    const ids = registry.loadedIds().sort();
    const start = params.cursor ? decodeCursor(params.cursor, 'loaded', isOffset) : 0;
    const limit = pageLimit(params.limit, ids.length || 1, Number.MAX_SAFE_INTEGER);
    const data = ids.slice(start, start + limit);
    const next = start + data.length;
    return { data, nextCursor: next < ids.length ? encodeCursor('loaded', next) : null };
  };
}

export function threadRead({ registry, queries }: ThreadReadServices): Handler<'thread/read'> {
  return async (params) => {
    const state = await queries.read(params.threadId);
    const audit = params.includeApprovals ? { approvals: approvalsOf(state) } : {};
    const cost = threadCost(state);
    if (!params.includeTurns) return { thread: threadObject(registry, state), cost, ...audit };
    const { turns, turnsBackwardsCursor } = latestTurns(state, params.maxBytes ?? DEFAULT_MAX_BYTES);
    return { thread: threadObject(registry, state, turns), cost, turnsBackwardsCursor, ...audit };
  };
}

export function threadTurnsList({ queries }: ThreadReadServices): Handler<'thread/turns/list'> {
  return async (params) => {
    const state = await queries.read(params.threadId);
    const request = {
      cursor: params.cursor ?? null,
      limit: pageLimit(params.limit, 20, MAX_PAGE),
      direction: params.sortDirection ?? 'desc',
      maxBytes: params.maxBytes ?? DEFAULT_MAX_BYTES,
    };
    return pageTurns(state, request, params.itemsView ?? 'summary');
  };
}

export function threadItemsList({ queries }: ThreadReadServices): Handler<'thread/items/list'> {
  return async (params) => {
    const state = await queries.read(params.threadId);
    const cursor = typeof params.cursor === 'object' && params.cursor !== null
      ? encodeCursor(`items:${state.id}`, { id: params.cursor.itemId, inclusive: false })
      : params.cursor ?? null;
    const request = {
      cursor,
      limit: pageLimit(params.limit, 100, MAX_PAGE),
      direction: params.sortDirection ?? 'asc',
      maxBytes: params.maxBytes ?? DEFAULT_MAX_BYTES,
    };
    return pageItems(state, params.turnId ?? null, request) as never;
  };
}

/** The thread's audit trail: every request of every turn, oldest first. */
function approvalsOf(state: ThreadState) {
  return map(state.turns, (turn) =>
    (turn.requests ?? []).map(({ key: _key, by, ...request }) => ({ turnId: turn.id, ...request, decidedBy: by })),
  ).flat();
}
