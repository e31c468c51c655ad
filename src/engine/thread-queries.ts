// Reads of threads for the request handlers, over the store's projections: thread/list (filters,
// keyset paging, the byte budget), thread/read, and thread/search over the store's full-text
// index (thread/search). Handlers call this service; none of them holds the database.
import { liveStatus, threadSnapshot } from '../core/snapshot.js';
import type { Thread } from '../core/protocol-types.js';
import type { ThreadState } from '../core/state.js';
import type { ThreadSummary } from '../core/summary.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import type { ThreadRegistry } from './thread-registry.js';
import { DomainError } from '../kernel/errors.js';
import { matchesIn, snippetAround, termPattern } from './search-snippets.js';
import { createHash } from 'node:crypto';

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
  /** Only these threads (an empty list: none); null or absent: any. */
  includedIds?: string[] | null;
  /** Not these threads; null, absent or empty: none excluded. */
  excludedIds?: string[] | null;
  /** ThreadSourceKinds to list; null, absent or empty: the interactive ones (Codex's default). */
  sourceKinds?: string[] | null;
  /** thread/search: the threads whose indexed text (messages, commands, paths) holds this term, any case. */
  fullText?: string | null;
}

/** One searchable item of a thread, as the full-text index keeps it (store/projections/search-fold.ts). */
export interface IndexedDoc {
  turnId: string;
  itemId: string;
  kind: string;
  text: string;
}

/** The store's summary projection and full-text index, queried (store/thread-index.ts, store/memory-thread-log.ts). */
export interface ThreadIndex {
  /** Matching summaries in (sort value, id) order, in the query's direction, after `after`. */
  threadPage(query: IndexQuery): Promise<ThreadSummary[]>;
  /** The indexed documents of these threads, each thread's in the order its items completed. */
  threadDocs(threadIds: readonly string[]): Promise<Map<string, IndexedDoc[]>>;
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

  /**
   * thread/search: the page of threads whose indexed text holds the term, sorted and paged as
   * thread/list, each with a snippet around its first match. The page is read in one query; the
   * snippets are made a few threads at a time, each batch handed to `partial` (the stream's
   * notifications), yielding to the event loop between batches, where `signal` may stop it.
   */
  async search(query: ThreadSearchQuery, progress: SearchProgress = {}): Promise<ThreadSearchPage> {
    const kind = searchCursorKind(query);
    const after = query.cursor === null ? null : decodeCursor(query.cursor, kind, isPosition);
    const { cursor: _cursor, term, ...filters } = query;
    // A search always lets the event loop turn before it reads: a cancel sent right behind it lands.
    await yieldToEventLoop();
    checkNotCancelled(progress.signal);
    const rows = await this.index.threadPage({ ...filters, cwds: null, modelProviders: null, searchTerm: null, fullText: term, after, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const pattern = termPattern(term);
    const data: ThreadSearchRow[] = [];
    for (let from = 0; from < page.length; from += SNIPPET_BATCH) {
      await yieldToEventLoop();
      checkNotCancelled(progress.signal);
      const batch = page.slice(from, from + SNIPPET_BATCH);
      const docs = await this.index.threadDocs(batch.map((summary) => summary.id));
      const found = batch.map((summary) => ({ snippet: snippetOf(docs.get(summary.id) ?? [], pattern, summary), thread: this.threadOf(summary) }));
      progress.partial?.(found);
      data.push(...found);
    }
    const last = page[page.length - 1];
    return { data, nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(kind, positionOf(query, last)) : null };
  }

  private threadOf(summary: ThreadSummary): Thread {
    const runtime = this.registry.get(summary.id);
    return threadSnapshot(summary, { status: runtime ? liveStatus(runtime.state) : { type: 'notLoaded' }, turns: [] });
  }
}

export interface ThreadSearchQuery {
  term: string;
  sortColumn: ThreadSortColumn;
  direction: 'asc' | 'desc';
  limit: number;
  cursor: string | null;
  archived: boolean;
  sourceKinds: string[] | null;
}

export interface ThreadSearchRow {
  snippet: string;
  thread: Thread;
}

export interface ThreadSearchPage {
  data: ThreadSearchRow[];
  nextCursor: string | null;
}

export interface SearchProgress {
  /** Aborted: the search stops at its next step and rejects with `searchCancelled`. */
  signal?: AbortSignal;
  /** Each batch of rows as its snippets are made, before the page is returned. */
  partial?: (rows: ThreadSearchRow[]) => void;
}

/** Threads whose snippets are made between two yields to the event loop (and two partials). */
const SNIPPET_BATCH = 10;

/** Why a search stopped before its answer: cancelled by its client. */
export class SearchCancelled extends DomainError {
  constructor() {
    super('conflict', 'the search was cancelled');
  }
}

function checkNotCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SearchCancelled();
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The snippet around the first match in the thread's documents; the preview when none matches here (the index folds a few letters JavaScript does not). */
function snippetOf(docs: readonly IndexedDoc[], pattern: RegExp, summary: ThreadSummary): string {
  for (const doc of docs) {
    const [match] = matchesIn(doc.text, pattern);
    if (match !== undefined) return snippetAround(doc.text, match).snippet;
  }
  return summary.preview;
}

/** A search's cursor belongs to its term, sort and direction: a hash of the term keeps it short. */
function searchCursorKind(query: Pick<ThreadSearchQuery, 'term' | 'sortColumn' | 'direction'>): string {
  return `search:${query.sortColumn}:${query.direction}:${createHash('sha256').update(query.term).digest('base64url').slice(0, 16)}`;
}

function positionOf(query: Pick<ThreadListQuery, 'sortColumn'>, summary: ThreadSummary): IndexPosition {
  return [query.sortColumn === 'created_at' ? summary.createdAtMs : summary.updatedAtMs, summary.id];
}

function cursorKind(query: Pick<ThreadListQuery, 'sortColumn' | 'direction'>): string {
  return `threads:${query.sortColumn}:${query.direction}`;
}

/** The cursor that continues after `summary` in the same listing. */
function cursorAfter(query: Pick<ThreadListQuery, 'sortColumn' | 'direction'>, summary: ThreadSummary): string {
  const value = query.sortColumn === 'created_at' ? summary.createdAtMs : summary.updatedAtMs;
  return encodeCursor(cursorKind(query), [value, summary.id]);
}
