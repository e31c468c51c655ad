// thread/list over the index projection: filters, keyset pagination by (sort value, id), and a
// byte budget so no page is unbounded.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ThreadSummary } from '../core/summary.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import type { KeelDatabase } from './database.js';
import { storeError } from './store-errors.js';
import { rowToSummary } from './summary-row.js';

export type ThreadSortColumn = 'created_at' | 'updated_at';

export interface ThreadQuery {
  sortColumn: ThreadSortColumn;
  direction: 'asc' | 'desc';
  limit: number;
  cursor: string | null;
  archived: boolean;
  cwds: string[] | null;
  searchTerm: string | null;
  modelProviders: string[] | null;
}

export interface ThreadPage {
  data: ThreadSummary[];
  nextCursor: string | null;
}

type Position = [number, string];
const isPosition = (p: unknown): p is Position =>
  Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'string';

export async function queryThreads(database: KeelDatabase, query: ThreadQuery): Promise<ThreadPage> {
  const kind = `threads:${query.sortColumn}:${query.direction}`;
  const after = query.cursor === null ? null : decodeCursor(query.cursor, kind, isPosition);
  const rows = await selectPage(database, query, after).catch((error: unknown) => {
    throw storeError(error, database.path);
  });
  const more = rows.length > query.limit;
  const page = (more ? rows.slice(0, query.limit) : rows).map(rowToSummary);
  const lastRow = page[page.length - 1];
  return { data: page, nextCursor: more && lastRow ? cursorAfter(query, lastRow) : null };
}

function selectPage(database: KeelDatabase, query: ThreadQuery, after: Position | null) {
  const column = sql.ref(query.sortColumn);
  return database.db
    .selectFrom('threads')
    .selectAll()
    .where('archived', '=', query.archived ? 1 : 0)
    .$if(query.cwds !== null && query.cwds.length > 0, (q) => q.where('cwd', 'in', query.cwds!))
    .$if(query.modelProviders !== null && query.modelProviders.length > 0, (q) =>
      q.where('model_provider', 'in', query.modelProviders!),
    )
    .$if(query.searchTerm !== null && query.searchTerm !== '', (q) => q.where(containsTerm(query.searchTerm!)))
    .$if(after !== null, (q) =>
      q.where(
        (query.direction === 'desc'
          ? sql`(${column}, id) < (${after![0]}, ${after![1]})`
          : sql`(${column}, id) > (${after![0]}, ${after![1]})`) as Expression<SqlBool>,
      ),
    )
    .orderBy(query.sortColumn, query.direction)
    .orderBy('id', query.direction)
    .limit(query.limit + 1)
    .execute();
}

/** The cursor that continues after `summary` in the same listing (used when a byte budget cuts a page short). */
export function cursorAfter(query: Pick<ThreadQuery, 'sortColumn' | 'direction'>, summary: ThreadSummary): string {
  const value = query.sortColumn === 'created_at' ? summary.createdAtMs : summary.updatedAtMs;
  return encodeCursor(`threads:${query.sortColumn}:${query.direction}`, [value, summary.id]);
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
