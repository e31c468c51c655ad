// The schema migrations (../migrations.ts, written once for both dialects) applied to PostgreSQL.
// The version lives in `keel_schema` (PostgreSQL has no user_version). Every step runs in its own
// transaction holding a transaction-scoped advisory lock, and reads the version again under it:
// several Keel processes starting at once on one database serialise here, and each step runs once.
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS, NewerDatabaseError, SCHEMA_VERSION, type MigrationTarget } from '../migrations.js';

/** The advisory lock key of Keel's migrations (any constant: it only has to be the same in every Keel). */
const MIGRATION_LOCK = 0x6b65656c; // "keel"

export async function migratePg(db: Kysely<any>, where: string): Promise<void> {
  for (;;) {
    const stepped = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      await sql`create table if not exists keel_schema (version bigint not null)`.execute(trx);
      const row = await trx.selectFrom('keel_schema').select('version').executeTakeFirst();
      const version = row === undefined ? 0 : Number(row.version);
      if (row === undefined) await trx.insertInto('keel_schema').values({ version: 0 }).execute();
      if (version > SCHEMA_VERSION) throw new NewerDatabaseError(where, version);
      if (version === SCHEMA_VERSION) return false;
      const target: MigrationTarget = { db: trx, int: 'bigint', dialect: 'postgres' };
      for (const statement of MIGRATIONS[version]!(target)) await trx.executeQuery(statement.compile());
      await trx.updateTable('keel_schema').set({ version: version + 1 }).execute();
      return true;
    });
    if (!stepped) return;
  }
}

/** The schema version of the database (0: none yet). */
export async function pgSchemaVersion(db: Kysely<any>): Promise<number> {
  const exists = await sql<{ found: string | null }>`select to_regclass('keel_schema') as found`.execute(db);
  if (exists.rows[0]?.found == null) return 0;
  const row = await db.selectFrom('keel_schema').select('version').executeTakeFirst();
  return row === undefined ? 0 : Number(row.version);
}
