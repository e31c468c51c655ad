// Pages of the summary projection (the `threads` rows) for thread/list, in kysely: filters and
// keyset order by (sort value, id). The cursors and the byte budget are the engine's
// (engine/thread-queries.ts); this class satisfies its ThreadIndex structurally.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ThreadSummary } from '../core/summary.js';
import type { KeelDatabase } from './database.js';
import { storeError } from './store-errors.js';
import { selectPage, type PageDialect } from './thread-page.js';
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
  constructor(private readonly database: KeelDatabase) {}

  async threadPage(query: IndexQuery): Promise<ThreadSummary[]> {
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

/** The trigram index finds substrings of 3 characters and more; a shorter term is looked for in the documents one by one. */
const TRIGRAM = 3;

/**
 * The thread's indexed text holds the term, any case (FTS5's Unicode folding; a short term: ASCII
 * folding, as lower()). The term is one quoted FTS5 string: the trigram tokenizer reads it as a
 * literal substring, operators and all.
 */
function indexHolds(term: string): Expression<SqlBool> {
  // FTS5 reads its query up to a NUL: a term with one is looked for document by document too.
  if ([...term].length < TRIGRAM || term.includes('\0')) {
    return sql<SqlBool>`id in (select thread_id from thread_search_docs where instr(lower(text), lower(${term})) > 0)`;
  }
  const phrase = `"${term.replaceAll('"', '""')}"`;
  return sql<SqlBool>`id in (select d.thread_id from thread_search_fts f join thread_search_docs d on d.id = f.rowid where thread_search_fts match ${phrase})`;
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
