// Reads of threads for the request handlers, over the store's projections: thread/list (filters,
// keyset paging, the byte budget), thread/read, and — next issue — search over the full-text
// projection. Handlers call this service; none of them holds the database.
import { liveStatus, threadSnapshot } from '../core/snapshot.js';
import type { Thread } from '../core/protocol-types.js';
import type { ThreadState } from '../core/state.js';
import type { ThreadSummary } from '../core/summary.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import type { ThreadRegistry } from './thread-registry.js';

export type ThreadSortColumn = 'created_at' | 'updated_at';

/** Where a page continues: after this (sort value, id) in the listing's order. */
export type IndexPosition = [number, string];

/** One page of the summary projection, as the store answers it. */
export interface IndexQuery {
  sortColumn: ThreadSortColumn;
  direction: 'asc' | 'desc';
  /** At most this many rows. */
  limit: number;
  after: IndexPosition | null;
  archived: boolean;
  /** null or empty: any. */
  cwds: string[] | null;
  /** Name or preview contains it, ASCII letters in either case; null or '': any. */
  searchTerm: string | null;
  modelProviders: string[] | null;
  /** Only the threads in this section (thread/section/move); null or absent: any. */
  sectionId?: string | null;
}

/** The store's summary projection, queried (store/thread-index.ts, store/memory-thread-log.ts). */
export interface ThreadIndex {
  /** Matching summaries in (sort value, id) order, in the query's direction, after `after`. */
  threadPage(query: IndexQuery): Promise<ThreadSummary[]>;
}

export interface ThreadListQuery extends Omit<IndexQuery, 'after'> {
  /** An opaque cursor from an earlier page of the same listing. */
  cursor: string | null;
  /** The page stops before the Thread object that would take it past this many bytes (at least one is given). */
  maxBytes: number;
}

export interface ThreadListPage {
  data: Thread[];
  nextCursor: string | null;
}

const isPosition = (p: unknown): p is IndexPosition => Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'string';

export class ThreadQueries {
  constructor(
    private readonly index: ThreadIndex,
    private readonly registry: ThreadRegistry,
  ) {}

  /** thread/list: a page by count and bytes; its cursor continues after its last thread. */
  async list(query: ThreadListQuery): Promise<ThreadListPage> {
    const kind = cursorKind(query);
    const after = query.cursor === null ? null : decodeCursor(query.cursor, kind, isPosition);
    const { cursor: _cursor, maxBytes, ...filters } = query;
    // One more than asked: whether it is there says whether a next page is.
    const rows = await this.index.threadPage({ ...filters, after, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const data: Thread[] = [];
    let bytes = 0;
    for (const summary of page) {
      const thread = this.threadOf(summary);
      const size = Buffer.byteLength(JSON.stringify(thread));
      if (data.length > 0 && bytes + size > maxBytes) return { data, nextCursor: cursorAfter(query, page[data.length - 1]!) };
      data.push(thread);
      bytes += size;
    }
    const last = page[page.length - 1];
    return { data, nextCursor: rows.length > query.limit && last !== undefined ? cursorAfter(query, last) : null };
  }

  /** thread/read and the history pages: the state, loaded or replayed from the store (not loaded by reading). */
  read(threadId: string): Promise<ThreadState> {
    return this.registry.read(threadId);
  }

  // search(query): the full-text projection's reads land here (next issue), beside list.

  private threadOf(summary: ThreadSummary): Thread {
    const runtime = this.registry.get(summary.id);
    return threadSnapshot(summary, { status: runtime ? liveStatus(runtime.state) : { type: 'notLoaded' }, turns: [] });
  }
}

function cursorKind(query: Pick<ThreadListQuery, 'sortColumn' | 'direction'>): string {
  return `threads:${query.sortColumn}:${query.direction}`;
}

/** The cursor that continues after `summary` in the same listing. */
function cursorAfter(query: Pick<ThreadListQuery, 'sortColumn' | 'direction'>, summary: ThreadSummary): string {
  const value = query.sortColumn === 'created_at' ? summary.createdAtMs : summary.updatedAtMs;
  return encodeCursor(cursorKind(query), [value, summary.id]);
}
