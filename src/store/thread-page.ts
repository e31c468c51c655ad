// thread/list's page of the summary projection (the `threads` rows), in kysely, for either dialect:
// the filters, and the keyset order by (sort value, id) after a position. What the dialects do
// differently is all in `PageDialect`: how ids compare (by bytes on both), how a position's sort
// value is written, and how a name or preview holds a term (ASCII letters in either case on both).
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { IndexQuery } from './thread-index.js';
import type { Tables } from './tables.js';

export interface PageDialect {
  /** The id as it is compared and ordered. */
  id: RawBuilder<string>;
  /** A position's sort value, as the dialect compares it with the column. */
  sortValue(value: number): RawBuilder<number>;
  /** thread/list's searchTerm: the name or preview holds the term (and the full-text index, where there is one). */
  containsTerm(term: string): Expression<SqlBool>;
  /** thread/search: the full-text index holds the term (a dialect without one throws, saying so). */
  indexHolds(term: string): Expression<SqlBool>;
}

/** Keel's threads are all started by a client of its app server: the source Codex calls `appServer`, an interactive one. */
const KEEL_SOURCE = 'appServer';

/** Codex's default when sourceKinds is omitted or empty: interactive sources, which Keel's threads are. */
export function sourceListed(kinds: readonly string[] | null | undefined): boolean {
  return kinds == null || kinds.length === 0 || kinds.includes(KEEL_SOURCE);
}

export function selectPage(db: Kysely<Tables>, query: IndexQuery, dialect: PageDialect) {
  const column = sql.ref(query.sortColumn);
  const after = query.after;
  const { id } = dialect;
  return db
    .selectFrom('threads')
    .selectAll()
    .where('archived', '=', query.archived ? 1 : 0)
    // Codex lists no thread that never had a turn.
    .where('has_turns', '=', 1)
    .$if(!sourceListed(query.sourceKinds), (q) => q.where(sql<SqlBool>`0 = 1`))
    .$if(query.includedIds != null, (q) => (query.includedIds!.length === 0 ? q.where(sql<SqlBool>`0 = 1`) : q.where('id', 'in', query.includedIds!)))
    .$if(query.excludedIds != null && query.excludedIds.length > 0, (q) => q.where('id', 'not in', query.excludedIds!))
    .$if(query.fullText != null, (q) => q.where(dialect.indexHolds(query.fullText!)))
    .$if(query.cwds !== null && query.cwds.length > 0, (q) => q.where('cwd', 'in', query.cwds!))
    .$if(query.modelProviders !== null && query.modelProviders.length > 0, (q) => q.where('model_provider', 'in', query.modelProviders!))
    .$if(query.searchTerm !== null && query.searchTerm !== '', (q) => q.where(dialect.containsTerm(query.searchTerm!)))
    .$if(query.sectionId != null, (q) => q.where('id', 'in', db.selectFrom('thread_section_members').select('thread_id').where('section_id', '=', query.sectionId!)))
    .$if(after !== null, (q) =>
      q.where(
        (query.direction === 'desc'
          ? sql`(${column}, ${id}) < (${dialect.sortValue(after![0])}, ${after![1]})`
          : sql`(${column}, ${id}) > (${dialect.sortValue(after![0])}, ${after![1]})`) as Expression<SqlBool>,
      ),
    )
    .orderBy(query.sortColumn, query.direction)
    .orderBy(id, query.direction)
    .limit(query.limit)
    .execute();
}
