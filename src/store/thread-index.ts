// Pages of the summary projection (the `threads` rows) for thread/list, in kysely: filters and
// keyset order by (sort value, id). The cursors and the byte budget are the engine's
// (engine/thread-queries.ts); this class satisfies its ThreadIndex structurally.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ThreadSummary } from '../core/summary.js';
import type { KeelDatabase } from './database.js';
import { storeError } from './store-errors.js';
import { selectPage, sourceListed, type PageDialect } from './thread-page.js';
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { ThreadRow } from './tables.js';
import { rowToSummary } from './summary-row.js';
import type { SearchDoc, SearchDocKind } from './projections/search-fold.js';

export type ThreadSortColumn = 'created_at' | 'updated_at';

export interface IndexQuery {
  sortColumn: ThreadSortColumn;
  direction: 'asc' | 'desc';
  limit: number;
  after: [number, string] | null;
  archived: boolean;
  cwds: string[] | null;
  searchTerm: string | null;
  modelProviders: string[] | null;
  /** Only the threads in this section (thread/section/move); null or absent: any. */
  sectionId?: string | null;
  /** Only these threads (an empty list: none); null or absent: any. */
  includedIds?: string[] | null;
  /** Not these threads; null, absent or empty: none excluded. */
  excludedIds?: string[] | null;
  /** The sources to list (ThreadSourceKind); null, absent or empty: the interactive ones. */
  sourceKinds?: string[] | null;
  /** thread/search: the threads whose indexed text (messages, commands, paths) holds this term, any case. */
  fullText?: string | null;
}

export class SqliteThreadIndex {
  private readonly newest: NewestMatches;

  constructor(private readonly database: KeelDatabase) {
    this.newest = new NewestMatches(database.sqlite);
  }

  async threadPage(query: IndexQuery): Promise<ThreadSummary[]> {
    // thread/search's default order, newest created first, reads the index newest first and stops early.
    if (query.fullText != null && query.searchTerm == null && query.sortColumn === 'created_at' && query.direction === 'desc') {
      try {
        return this.newest.page(query, query.fullText).map(rowToSummary);
      } catch (error) {
        throw storeError(error, this.database.path);
      }
    }
    const rows = await selectPage(this.database.db, query, sqlitePage).catch((error: unknown) => {
      throw storeError(error, this.database.path);
    });
    return rows.map(rowToSummary);
  }

  /** The documents of these threads (projections/search-fold.ts), each thread's in order. */
  async threadDocs(threadIds: readonly string[]): Promise<Map<string, SearchDoc[]>> {
    const docs = new Map<string, SearchDoc[]>(threadIds.map((id) => [id, []]));
    if (threadIds.length === 0) return docs;
    const rows = await this.database.db
      .selectFrom('thread_search_docs')
      .select(['thread_id', 'turn_id', 'item_id', 'kind', 'text'])
      .where('thread_id', 'in', threadIds)
      .orderBy('thread_id')
      .orderBy('id')
      .execute()
      .catch((error: unknown) => {
        throw storeError(error, this.database.path);
      });
    for (const row of rows) docs.get(row.thread_id)!.push({ turnId: row.turn_id, itemId: row.item_id, kind: row.kind as SearchDocKind, text: row.text });
    return docs;
  }
}

/** SQLite compares text by bytes already; an integer parameter is an integer. */
const sqlitePage: PageDialect = {
  id: sql<string>`id`,
  sortValue: (value) => sql<number>`${value}`,
  containsTerm: (term) => sql<SqlBool>`(${containsTerm(term)} or ${indexHolds(term)})`,
  indexHolds,
};

/**
 * The page of threads holding `term`, newest created first, read from the index newest document
 * first: documents are inserted in time order (`at`), and a thread's documents all come after its
 * creation, so once the page is full with threads created after the document at hand, no thread
 * not yet seen can enter it — the read stops there. For a common term that is after a few dozen
 * documents instead of every match (bench/thread-search.mjs). The filters are thread/list's, on
 * each thread's row.
 */
class NewestMatches {
  private readonly matching: Statement;
  private readonly scanning: Statement;
  private readonly thread: Statement;

  constructor(sqlite: Database.Database) {
    this.matching = sqlite.prepare(`select d.thread_id, d.at from thread_search_fts f join thread_search_docs d on d.id = f.rowid
      where thread_search_fts match @phrase order by f.rowid desc`);
    this.scanning = sqlite.prepare('select thread_id, at from thread_search_docs where instr(lower(text), lower(@term)) > 0 order by id desc');
    this.thread = sqlite.prepare('select * from threads where id = @id');
  }

  page(query: IndexQuery, term: string): ThreadRow[] {
    const documents = (indexable(term) ? this.matching.iterate({ phrase: ftsPhrase(term) }) : this.scanning.iterate({ term })) as IterableIterator<{ thread_id: string; at: number }>;
    const seen = new Set<string>();
    const page: ThreadRow[] = [];
    for (const { thread_id: id, at } of documents) {
      if (page.length === query.limit && page[page.length - 1]!.created_at > at) break;
      if (seen.has(id)) continue;
      seen.add(id);
      const row = this.thread.get({ id }) as ThreadRow | undefined;
      if (row === undefined || !listed(row, query)) continue;
      let i = page.length;
      while (i > 0 && before(row, page[i - 1]!)) i--;
      if (i < query.limit) page.splice(i, 0, row);
      if (page.length > query.limit) page.pop();
    }
    return page;
  }
}

/** `a` comes before `b` newest first: created later, or at the same time with the greater id (bytes, as SQLite orders them). */
function before(a: ThreadRow, b: ThreadRow): boolean {
  return a.created_at !== b.created_at ? a.created_at > b.created_at : Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)) > 0;
}

/** thread/list's filters (thread-page.ts) on one row. */
function listed(row: ThreadRow, query: IndexQuery): boolean {
  if ((row.has_turns as unknown as number) !== 1 || row.archived !== (query.archived ? 1 : 0)) return false;
  if (!sourceListed(query.sourceKinds)) return false;
  if (query.includedIds != null && !query.includedIds.includes(row.id)) return false;
  if (query.excludedIds?.includes(row.id)) return false;
  if (query.cwds != null && query.cwds.length > 0 && !query.cwds.includes(row.cwd)) return false;
  if (query.modelProviders != null && query.modelProviders.length > 0 && !query.modelProviders.includes(row.model_provider)) return false;
  if (query.after !== null) {
    const [value, id] = query.after;
    if (!(row.created_at < value || (row.created_at === value && Buffer.compare(Buffer.from(row.id), Buffer.from(id)) < 0))) return false;
  }
  return true;
}

/** The trigram index finds substrings of 3 characters and more; a shorter term is looked for in the documents one by one. */
const TRIGRAM = 3;

/**
 * The thread's indexed text holds the term, any case (FTS5's Unicode folding; a short term: ASCII
 * folding, as lower()). The term is one quoted FTS5 string: the trigram tokenizer reads it as a
 * literal substring, operators and all.
 */
function indexHolds(term: string): Expression<SqlBool> {
  if (!indexable(term)) {
    return sql<SqlBool>`id in (select thread_id from thread_search_docs where instr(lower(text), lower(${term})) > 0)`;
  }
  return sql<SqlBool>`id in (select d.thread_id from thread_search_fts f join thread_search_docs d on d.id = f.rowid where thread_search_fts match ${ftsPhrase(term)})`;
}

/** Whether the trigram index can find the term. FTS5 reads its query up to a NUL: a term with one is looked for document by document too. */
function indexable(term: string): boolean {
  return [...term].length >= TRIGRAM && !term.includes('\0');
}

/** The term as one FTS5 string: the trigram tokenizer reads it as a literal substring, operators and all. */
function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/**
 * Name or preview holds the term, ASCII letters in either case. Not LIKE: SQLite reads a pattern as
 * a C string, so a NUL in it ended the pattern ("\0" became "%" and matched every thread), and a
 * long pattern failed as "too complex". instr() compares the bytes, NULs included; lower() keeps
 * them and folds ASCII case, as LIKE did. No wildcards either, so nothing needs escaping.
 */
function containsTerm(term: string): Expression<SqlBool> {
  return sql<SqlBool>`(instr(lower(name), lower(${term})) > 0 or instr(lower(preview), lower(${term})) > 0)`;
}
