// `keel doctor`'s check of a PostgreSQL thread store (KEEL_STORE_URL or `[store] url`): it connects
// as Keel would (the same timeouts), reads the schema version against this Keel's, counts the
// threads and names the Keel processes that run threads on it now. One connection, read only.
import { SCHEMA_VERSION } from '../../store/migrations.js';
import { clientConfig, PG_DEFAULTS, type PgStoreOptions } from '../../store/postgres/pg-database.js';
import { describeUrl, pgError } from '../../store/postgres/pg-errors.js';
import { loadPg } from '../../store/postgres/pg-module.js';
import { fail, ok, type Check } from './check.js';
import { liveOwners } from './store-owners.js';

export async function pgStoreCheck(options: PgStoreOptions, now = Date.now()): Promise<Check> {
  const where = describeUrl(options.url);
  const driver = await loadPg();
  const client = new driver.Client({ ...clientConfig(driver, options), application_name: 'keel-doctor', statement_timeout: options.statementTimeoutMs ?? PG_DEFAULTS.statementTimeoutMs });
  // An error the server sends after the connection is up (it restarts) must not end the doctor.
  client.on('error', () => {});
  try {
    await client.connect();
    const schema = await client.query<{ found: string | null }>("select to_regclass('keel_schema') as found");
    if (schema.rows[0]?.found == null) return ok('store', `${where}: no Keel tables yet: Keel creates them when it first starts on it`);
    const version = Number((await client.query<{ version: string }>('select version from keel_schema')).rows[0]?.version ?? 0);
    if (version > SCHEMA_VERSION) {
      return fail('store', `${where} has schema version ${version}, newer than this Keel's (${SCHEMA_VERSION}): a newer Keel migrated it, and this one will not open it`, 'upgrade Keel, or point this one at another database');
    }
    const threads = version >= 1 ? Number((await client.query<{ n: string }>('select count(*) as n from threads')).rows[0]!.n) : 0;
    const owners = version >= 4 ? (await client.query<{ pid: string; host: string }>('select pid, host from keel_owners where expires_at > $1 order by started_at', [now])).rows : [];
    const schemaText = version === SCHEMA_VERSION ? `schema version ${version}` : `schema version ${version} (this Keel migrates it to ${SCHEMA_VERSION} when it starts)`;
    return ok('store', `${where} (PostgreSQL): ${schemaText}, ${threads} thread${threads === 1 ? '' : 's'}${liveOwners(owners.map((o) => ({ pid: Number(o.pid), host: o.host })))}`);
  } catch (error) {
    return fail('store', (pgError(error, where) as Error).message, `check that the server runs and that ${where} names a database this user may use (KEEL_STORE_URL or [store] url)`);
  } finally {
    await client.end().catch(() => {});
  }
}
