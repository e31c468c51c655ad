// Opening the PostgreSQL store: the migrations (the same tables as SQLite's, BIGINT where SQLite
// has INTEGER, a version in keel_schema; several Keels migrating one database at once run each
// step once; a newer schema refused untouched), failures in words (nothing listening, a statement
// held past its timeout), and openKeel choosing it by KEEL_STORE_URL or config.toml's [store] url.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { replay } from '../../src/core/reduce.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openPgDatabase, type PgDatabase } from '../../src/store/postgres/pg-database.js';
import { PgThreadLog } from '../../src/store/postgres/pg-thread-log.js';
import { openTestKeel, type TestKeel } from '../helpers/engine.js';
import { threadEvents } from '../helpers/store-fixtures.js';
import { dropPgDatabases, freshPgDatabase, onPgDatabase, pgSkipReason } from '../helpers/pg.js';

afterAll(dropPgDatabases);

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const each of closing.splice(0).reverse()) await each.close();
});

async function open(url: string, options: Partial<Parameters<typeof openPgDatabase>[0]> = {}): Promise<PgDatabase> {
  const database = await openPgDatabase({ url, poolSize: 2, ...options });
  closing.push(database);
  return database;
}

describe.skipIf(pgSkipReason !== null)(`the PostgreSQL store${pgSkipReason === null ? '' : ` (skipped: ${pgSkipReason})`}`, () => {
  it("creates SQLite's tables, integers as BIGINT, and records the schema version", async () => {
    const url = await freshPgDatabase();
    await open(url);
    const columns = await onPgDatabase<{ table_name: string; column_name: string; data_type: string }>(
      url,
      "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
    );
    const tables: Record<string, string[]> = {};
    for (const { table_name, column_name, data_type } of columns) (tables[table_name] ??= []).push(`${column_name} ${data_type}`);
    expect(tables).toEqual({
      checkpoints: ['thread_id text', 'seq bigint', 'v bigint', 'body text'],
      events: ['thread_id text', 'seq bigint', 'type text', 'v bigint', 'at bigint', 'body text'],
      keel_owners: ['owner_id text', 'pid bigint', 'host text', 'start_time text', 'boot_id text', 'address text', 'started_at bigint', 'heartbeat_at bigint', 'expires_at bigint'],
      keel_schema: ['version bigint'],
      thread_leases: ['thread_id text', 'owner_id text', 'taken_at bigint'],
      threads: [
        'id text', 'name text', 'preview text', 'cwd text', 'model text', 'model_provider text', 'reasoning_effort text', 'created_at bigint', 'updated_at bigint',
        'archived bigint', 'active bigint', 'forked_from_id text', 'cli_version text', 'last_seq bigint', 'active_turn_id text', 'pending_writes text',
      ],
    });
    expect(await onPgDatabase(url, 'SELECT version FROM keel_schema')).toEqual([{ version: String(SCHEMA_VERSION) }]);
  });

  it('migrates once when several Keels open a new database at the same time', async () => {
    const url = await freshPgDatabase();
    await Promise.all([open(url), open(url), open(url), open(url)]);
    expect(await onPgDatabase(url, 'SELECT version FROM keel_schema')).toEqual([{ version: String(SCHEMA_VERSION) }]);
  });

  it('refuses a database a newer Keel migrated, and leaves it as it is', async () => {
    const url = await freshPgDatabase();
    await (await open(url)).close();
    await onPgDatabase(url, 'UPDATE keel_schema SET version = 99');
    await expect(openPgDatabase({ url })).rejects.toThrow(`schema version 99, newer than this Keel knows (${SCHEMA_VERSION})`);
    expect(await onPgDatabase(url, 'SELECT version FROM keel_schema')).toEqual([{ version: '99' }]);
  });

  it('reads back ms timestamps past 32 bits as numbers', async () => {
    const url = await freshPgDatabase();
    const log = new PgThreadLog(await open(url));
    const events = threadEvents('a', 1, Date.UTC(2030, 0, 1));
    await log.append('a', events, replay(events)!, 1);
    const { createdAtMs, updatedAtMs } = replay(events)!;
    expect(createdAtMs).toBeGreaterThan(2 ** 32);
    expect(await log.summary('a')).toMatchObject({ createdAtMs, updatedAtMs });
  });

  it('says in words that nothing listens where the URL points', async () => {
    const nowhere = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-no-pg-'));
    await expect(openPgDatabase({ url: `postgres://postgres@/keel?host=${nowhere}`, connectTimeoutMs: 2000 })).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(`^the thread database postgres://postgres@/keel\\?host=${nowhere} cannot be reached: its socket does not exist \\(is the server running\\?\\) \\(ENOENT: `),
    });
    fs.rmSync(nowhere, { recursive: true });
  });

  it('refuses a write held past the statement timeout in words, and the log stays as it was', async () => {
    const url = await freshPgDatabase();
    const log = new PgThreadLog(await open(url, { statementTimeoutMs: 300, writeRetryMs: 0 }));
    const events = threadEvents('a', 1);
    await log.append('a', events, replay(events)!, 1);
    // Another session holds the thread's head row locked (a stuck writer elsewhere).
    const blocker = await open(url);
    const held = await blocker.pool.connect();
    try {
      await held.query('BEGIN');
      await held.query("SELECT 1 FROM threads WHERE id = 'a' FOR UPDATE");
      const more = threadEvents('a', 2).slice(events.length);
      await expect(log.append('a', more, replay([...events, ...more])!, events.length + 1)).rejects.toMatchObject({
        kind: 'unavailable',
        message: expect.stringMatching(/^the thread database postgres:\/\/\S+ did not answer within the statement timeout \(PostgreSQL 57014: canceling statement due to statement timeout\)$/),
      });
    } finally {
      await held.query('ROLLBACK');
      held.release();
    }
    expect(await log.lastSeq('a')).toBe(events.length);
  });
});

describe.skipIf(pgSkipReason !== null)(`openKeel's choice of store${pgSkipReason === null ? '' : ` (skipped: ${pgSkipReason})`}`, () => {
  let opened: TestKeel | undefined;
  afterEach(async () => {
    await opened?.keel.close();
    opened?.cleanup();
    opened = undefined;
  });

  function homeWith(configToml: string): string {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-pg-choice-'));
    fs.writeFileSync(path.join(home, 'config.toml'), configToml);
    return home;
  }

  it("takes config.toml's [store] url; no keel.db is made", async () => {
    const url = await freshPgDatabase();
    opened = await openTestKeel({}, homeWith(`[store]\nurl = "${url}"\npool_size = 3\n`));
    expect({ sqlite: opened.keel.database, url: opened.keel.postgres?.options.url, pool: opened.keel.postgres?.options.poolSize }).toEqual({ sqlite: null, url, pool: 3 });
    expect(fs.existsSync(opened.dbPath)).toBe(false);
  });

  it('takes KEEL_STORE_URL over config.toml', async () => {
    const url = await freshPgDatabase();
    opened = await openTestKeel({ env: { KEEL_STORE_URL: url } }, homeWith('[store]\nurl = "postgres://nobody@/nowhere?host=/nonexistent"\n'));
    expect(opened.keel.postgres?.options.url).toBe(url);
  });

  it('refuses a KEEL_STORE_URL that is not PostgreSQL', async () => {
    await expect(openTestKeel({ env: { KEEL_STORE_URL: 'sqlite:///tmp/x.db' } }, homeWith(''))).rejects.toMatchObject({
      kind: 'unavailable',
      message: 'thread store unavailable: KEEL_STORE_URL must be a postgres:// URL (SQLite needs none: it is the default), not "sqlite:///tmp/x.db"',
    });
  });
});
