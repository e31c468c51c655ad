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
import { toArray } from '../../src/core/plist.js';
import { openTestKeel, RecordingSubscriber, type TestKeel } from '../helpers/engine.js';
import { expectedThread } from '../helpers/expected-thread.js';
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
      thread_attachments: ['id text', 'thread_id text', 'attachment_type text', 'identity_key text', 'payload text', 'created_at bigint'],
      thread_leases: ['thread_id text', 'owner_id text', 'taken_at bigint'],
      thread_section_members: ['thread_id text', 'section_id text', 'position bigint'],
      thread_sections: ['id text', 'name text', 'appearance text', 'created_at bigint'],
      threads: [
        'id text', 'name text', 'preview text', 'cwd text', 'model text', 'model_provider text', 'reasoning_effort text', 'created_at bigint', 'updated_at bigint',
        'archived bigint', 'active bigint', 'forked_from_id text', 'cli_version text', 'last_seq bigint', 'active_turn_id text', 'pending_writes text', 'has_turns bigint',
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

  it("writes one process's appends of a thread in the order they were handed over, though the pool could run them at once", async () => {
    const url = await freshPgDatabase();
    const log = new PgThreadLog(await open(url, { poolSize: 4 }));
    const events = threadEvents('a', 3);
    const appends = events.map((_, i) => log.append('a', [events[i]!], replay(events.slice(0, i + 1))!, i + 1));
    expect(await Promise.all(appends)).toEqual(events.map((_, i) => i + 1));
    expect(await log.read('a')).toEqual(JSON.parse(JSON.stringify(events)));
  });

  it('lets one of two processes appending the same seq of a thread write it, and refuses the other as a conflict', async () => {
    const url = await freshPgDatabase();
    const [one, two] = [new PgThreadLog(await open(url)), new PgThreadLog(await open(url))];
    const events = threadEvents('a', 1);
    const state = replay(events)!;
    // The thread's first write (no head row to lock yet), then a later one (the head row locked).
    for (const firstSeq of [1, events.length + 1]) {
      const batch = firstSeq === 1 ? events : threadEvents('a', 2).slice(events.length, events.length + 1);
      const outcomes = await Promise.allSettled([one.append('a', batch, state, firstSeq), two.append('a', batch, state, firstSeq)]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ kind: 'conflict' });
    }
    expect((await one.read('a')).length).toBe(events.length + 1);
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

  it("stores a turn's last events before close() ends the pool, though they were published before they were written", async () => {
    const url = await freshPgDatabase();
    const home = homeWith('');
    opened = await openTestKeel({ env: { KEEL_STORE_URL: url } }, home);
    const client = new RecordingSubscriber();
    const started = await opened.keel.threads.start({}, client);
    started.publish();
    const threadId = started.value.id;
    const turn = await opened.keel.threads.startTurn(threadId, { input: [{ type: 'text', text: 'hi', text_elements: [] }], settings: {}, options: { summary: null, outputSchema: null } }, client);
    turn.publish();
    await client.waitFor((n) => n.method === 'turn/completed');
    const live = await opened.keel.registry.read(threadId);
    // At once, as `keel exec` closes when it hears the end.
    await opened.keel.close();
    opened = await openTestKeel({ env: { KEEL_STORE_URL: url } }, home);
    const reopened = await opened.keel.registry.read(threadId);
    expect(expectedThread(reopened, { type: 'notLoaded' })).toEqual(expectedThread(live, { type: 'notLoaded' }));
    expect(toArray(reopened.turns).map((t) => t.status)).toEqual(['completed']);
  });

  it('refuses a KEEL_STORE_URL that is not PostgreSQL', async () => {
    await expect(openTestKeel({ env: { KEEL_STORE_URL: 'sqlite:///tmp/x.db' } }, homeWith(''))).rejects.toMatchObject({
      kind: 'unavailable',
      message: 'thread store unavailable: KEEL_STORE_URL must be a postgres:// URL (SQLite needs none: it is the default), not "sqlite:///tmp/x.db"',
    });
  });
});
