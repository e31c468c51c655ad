// Pages of the summary projection (the `threads` rows) for thread/list on PostgreSQL: the same
// filters and keyset order by (sort value, id) as the SQLite index (../thread-index.ts), with the
// same answers. It satisfies the engine's ThreadIndex structurally.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ThreadSummary } from '../../core/summary.js';
import { rowToSummary } from '../summary-row.js';
import type { IndexQuery } from '../thread-index.js';
import type { PgDatabase } from './pg-database.js';
import { pgInWords } from './pg-errors.js';

export class PgThreadIndex {
  constructor(private readonly database: PgDatabase) {}

  async threadPage(query: IndexQuery): Promise<ThreadSummary[]> {
    // PostgreSQL's text holds no NUL, so no name or preview contains a term with one (and the server refuses it as a parameter).
    if (query.searchTerm?.includes('\0')) return [];
    const rows = await pgInWords(this.database.where, () => selectPage(this.database, query));
    return rows.map(rowToSummary);
  }
}

function selectPage(database: PgDatabase, query: IndexQuery) {
  const column = sql.ref(query.sortColumn);
  const after = query.after;
  return database.db
    .selectFrom('threads')
    .selectAll()
    .where('archived', '=', query.archived ? 1 : 0)
    .$if(query.cwds !== null && query.cwds.length > 0, (q) => q.where('cwd', 'in', query.cwds!))
    .$if(query.modelProviders !== null && query.modelProviders.length > 0, (q) => q.where('model_provider', 'in', query.modelProviders!))
    .$if(query.searchTerm !== null && query.searchTerm !== '', (q) => q.where(containsTerm(query.searchTerm!)))
    .$if(after !== null, (q) =>
      q.where(
        (query.direction === 'desc'
          ? sql`(${column}, id collate "C") < (${after![0]}::bigint, ${after![1]})`
          : sql`(${column}, id collate "C") > (${after![0]}::bigint, ${after![1]})`) as Expression<SqlBool>,
      ),
    )
    .orderBy(query.sortColumn, query.direction)
    // Ids compare by bytes, as SQLite compares them, whatever the database's collation.
    .orderBy(sql`id collate "C"`, query.direction)
    .limit(query.limit)
    .execute();
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
