// PostgreSQL for the tests: KEEL_TEST_PG_URL names a server (scripts/pg-cluster.sh starts one;
// .ci/run and `npm run pg` print the URL). Each test file gets databases of its own
// (CREATE DATABASE keel_<random>), dropped when the file ends (`dropPgDatabases` in its afterAll).
// Without the URL the PostgreSQL cases are skipped, saying why — unless KEEL_TEST_PG_REQUIRED=1
// (CI), when they fail instead: a CI run must not pass by skipping them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const url = process.env.KEEL_TEST_PG_URL || null;
const required = process.env.KEEL_TEST_PG_REQUIRED === '1';

/** Why the PostgreSQL cases do not run here; null: they run (or must, and fail without a server). */
export const pgSkipReason: string | null = url === null && !required ? 'KEEL_TEST_PG_URL is unset (npm run pg starts a server)' : null;

const made: string[] = [];

/** `url` naming another database on the same server. */
export function withDatabase(base: string, name: string): string {
  return base.replace(/^(\w+:\/\/[^/?]*)(\/[^?]*)?/, `$1/${name}`);
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  if (url === null) throw new Error('KEEL_TEST_PG_REQUIRED=1 but KEEL_TEST_PG_URL is unset: start a server (scripts/pg-cluster.sh) and export its URL');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on the test server; its URL. */
export async function freshPgDatabase(): Promise<string> {
  const name = `keel_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  made.push(name);
  return withDatabase(url!, name);
}

/** Drops the databases this file made (each file's afterAll). */
export async function dropPgDatabases(): Promise<void> {
  const names = made.splice(0);
  if (names.length === 0) return;
  await admin(async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** Runs `statement` on the database at `databaseUrl` from a connection of its own (damage, a kill from outside). */
export async function onPgDatabase<T extends pg.QueryResultRow = pg.QueryResultRow>(databaseUrl: string, statement: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(statement, values)).rows;
  } finally {
    await client.end();
  }
}

/** The name of the database `databaseUrl` names. */
export function databaseName(databaseUrl: string): string {
  return /^\w+:\/\/[^/?]*\/([^?]+)/.exec(databaseUrl)![1]!;
}

/**
 * Takes the database down for Keel as a restart of its server would, but for this database only
 * (other test files share the server): new connections are refused and every open one is ended.
 * Returns the way back up.
 */
export async function takePgDatabaseDown(databaseUrl: string): Promise<() => Promise<void>> {
  const name = databaseName(databaseUrl);
  await admin(async (client) => {
    await client.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  });
  return () => admin(async (client) => void (await client.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`)));
}
