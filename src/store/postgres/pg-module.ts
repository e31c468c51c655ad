// The `pg` driver, loaded the first time PostgreSQL is used: a Keel on its SQLite file never loads
// it, and scripts/build.mjs bundles it apart (dist/vendor-pg.cjs), off keel-server.cjs and its start.
import type pg from 'pg';

export type Pg = typeof pg;

let loading: Promise<Pg> | null = null;

export function loadPg(): Promise<Pg> {
  loading ??= import('pg').then((module) => ((module as { default?: Pg }).default ?? (module as unknown as Pg)));
  return loading;
}
