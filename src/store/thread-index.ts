// Pages of the summary projection (the `threads` rows) for thread/list, in kysely: filters and
// keyset order by (sort value, id). The cursors and the byte budget are the engine's
// (engine/thread-queries.ts); this class satisfies its ThreadIndex structurally.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ThreadSummary } from '../core/summary.js';
import type { KeelDatabase } from './database.js';
import { storeError } from './store-errors.js';
import { selectPage, type PageDialect } from './thread-page.js';
import { rowToSummary } from './summary-row.js';

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
}

export class SqliteThreadIndex {
  constructor(private readonly database: KeelDatabase) {}

  async threadPage(query: IndexQuery): Promise<ThreadSummary[]> {
    const rows = await selectPage(this.database.db, query, sqlitePage).catch((error: unknown) => {
      throw storeError(error, this.database.path);
    });
    return rows.map(rowToSummary);
  }
}

/** SQLite compares text by bytes already; an integer parameter is an integer. */
const sqlitePage: PageDialect = {
  id: sql<string>`id`,
  sortValue: (value) => sql<number>`${value}`,
  containsTerm,
};

/**
 * Name or preview holds the term, ASCII letters in either case. Not LIKE: SQLite reads a pattern as
 * a C string, so a NUL in it ended the pattern ("\0" became "%" and matched every thread), and a
 * long pattern failed as "too complex". instr() compares the bytes, NULs included; lower() keeps
 * them and folds ASCII case, as LIKE did. No wildcards either, so nothing needs escaping.
 */
function containsTerm(term: string): Expression<SqlBool> {
  return sql<SqlBool>`(instr(lower(name), lower(${term})) > 0 or instr(lower(preview), lower(${term})) > 0)`;
}
