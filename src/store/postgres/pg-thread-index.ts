// Pages of the summary projection (the `threads` rows) for thread/list on PostgreSQL: the same
// filters and keyset order by (sort value, id) as the SQLite index (../thread-index.ts), with the
// same answers. It satisfies the engine's ThreadIndex structurally.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ThreadSummary } from '../../core/summary.js';
import { rowToSummary } from '../summary-row.js';
import type { IndexQuery } from '../thread-index.js';
import type { PgDatabase } from './pg-database.js';
import { selectPage, type PageDialect } from '../thread-page.js';
import { pgInWords } from './pg-errors.js';
import { DomainErrors, type DomainError } from '../../kernel/errors.js';

export class PgThreadIndex {
  constructor(private readonly database: PgDatabase) {}

  async threadPage(query: IndexQuery): Promise<ThreadSummary[]> {
    // PostgreSQL's text holds no NUL, so no name or preview contains a term with one (and the server refuses it as a parameter).
    if (query.searchTerm?.includes('\0')) return [];
    const rows = await pgInWords(this.database.where, () => selectPage(this.database.db, query, postgresPage));
    return rows.map(rowToSummary);
  }

  threadDocs(): Promise<Map<string, never[]>> {
    return Promise.reject(searchNotSupported());
  }
}

/** Ids compare by bytes, as SQLite compares them, whatever the database's collation; a position's value is a BIGINT, as the column. */
const postgresPage: PageDialect = {
  id: sql<string>`id collate "C"`,
  sortValue: (value) => sql<number>`${value}::bigint`,
  containsTerm: (term) => containsTerm(term),
  indexHolds: () => {
    throw searchNotSupported();
  },
};

/** Thread search needs the full-text index, which only the SQLite store keeps so far. */
export function searchNotSupported(): DomainError {
  return DomainErrors.invalid('thread search is not supported on the PostgreSQL store (its full-text index is kept by the SQLite store only); thread/list filters by name and preview there');
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Name or preview holds the term, ASCII letters in either case, no wildcards — as the SQLite index
 * (instr of lower()). Not lower(): PostgreSQL's folds every letter its locale knows (É to é), SQLite's
 * ASCII only, and the two stores must list the same threads.
 */
function containsTerm(term: string): Expression<SqlBool> {
  const fold = (text: Expression<unknown> | string) => sql`translate(${text}, ${UPPER}, ${UPPER.toLowerCase()})`;
  return sql<SqlBool>`(strpos(${fold(sql.ref('name'))}, ${fold(term)}) > 0 or strpos(${fold(sql.ref('preview'))}, ${fold(term)}) > 0)`;
}
