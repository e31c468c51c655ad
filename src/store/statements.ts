// The store's statements are written with kysely and compiled ONCE into better-sqlite3 prepared
// statements. kysely writes the SQL, so a second dialect compiles the same builders (with its own
// migrations) instead of a rewrite; better-sqlite3 runs them synchronously, which the append must
// be (ThreadRuntime commits before it publishes) and kysely's own execution is not (every query a
// promise). Compiled at construction, the hot path runs exactly what hand-written SQL ran.
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { sql, type Compilable, type RawBuilder } from 'kysely';

/** A named parameter (`@name`), bound when the statement runs: `statement.run({ name: value })`. */
export function param<T>(name: string): RawBuilder<T> {
  return sql.raw<T>(`@${name}`);
}

/** The query's SQL as a prepared statement; its values must all be `param`s (nothing bound at compile time). */
export function prepare(sqlite: Database.Database, query: Compilable): Statement {
  const { sql: text, parameters } = query.compile();
  if (parameters.length > 0) throw new Error(`a prepared statement takes named parameters only (param()), found ${parameters.length} in: ${text}`);
  return sqlite.prepare(text);
}
