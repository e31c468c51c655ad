// Keel on PostgreSQL (KEEL_STORE_URL) when the database goes away in the middle of a turn, as a
// restart of its server takes it away (tests/helpers/pg.ts takePgDatabaseDown: connections ended,
// new ones refused — for the test's database only, as other files share the server). A short
// outage costs the turn a pause: its writes are tried again until the database is back. A longer
// one fails the turn in words. Either way nothing committed is lost (the log reads back whole and
// gapless, as memory has it), and the pool opens new connections for the next requests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { toArray } from '../../src/core/plist.js';
import { replay } from '../../src/core/reduce.js';
import { PgThreadLog } from '../../src/store/postgres/pg-thread-log.js';
import { openTestKeel, RecordingSubscriber, type TestKeel } from '../helpers/engine.js';
import { expectedThread } from '../helpers/expected-thread.js';
import { dropPgDatabases, freshPgDatabase, pgSkipReason, takePgDatabaseDown } from '../helpers/pg.js';

afterAll(dropPgDatabases);

const text = (t: string) => ({ type: 'text' as const, text: t, text_elements: [] });
const turnOptions = { summary: null, outputSchema: null };
const turnIdOf = (params: unknown) => (params as { turn: { id: string } }).turn.id;

let opened: TestKeel | undefined;
afterEach(async () => {
  await opened?.keel.close();
  opened?.cleanup();
  opened = undefined;
});

/** Keel on a new database, its model scripted, its warnings kept; `store` is config.toml's [store] table. */
async function keelOnPg(responses: unknown[][], store = '') {
  const url = await freshPgDatabase();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-pg-restart-'));
  const script = path.join(home, 'script.json');
  fs.writeFileSync(script, JSON.stringify({ responses }));
  fs.writeFileSync(path.join(home, 'config.toml'), `[store]\n${store}\n`);
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
  opened = await openTestKeel({ env: { KEEL_SCRIPT: script, KEEL_STORE_URL: url }, logger }, home);
  const { keel } = opened;
  const client = new RecordingSubscriber();
  const started = await keel.threads.start({}, client);
  started.publish();
  const threadId = started.value.id;
  // A turn that says something, then waits on its model: the database goes while it runs.
  const { value: turn, publish } = await keel.threads.startTurn(threadId, { input: [text('hi')], settings: {}, options: turnOptions }, client);
  publish();
  await client.waitFor((n) => n.method === 'item/agentMessage/delta');
  await keel.registry.get(threadId)!.settled();
  const committed = await new PgThreadLog(keel.postgres!).read(threadId);
  return { keel, client, threadId, turnId: turn.id, committed, warnings };
}

/** What the log holds, once this process's writes have settled; memory must show the same. */
async function storedThread(keel: TestKeel['keel'], threadId: string) {
  await keel.registry.get(threadId)?.settled();
  const events = await new PgThreadLog(keel.postgres!).read(threadId);
  const state = replay(events)!;
  expect(expectedThread(await keel.registry.read(threadId), { type: 'notLoaded' })).toEqual(expectedThread(state, { type: 'notLoaded' }));
  return { events, state };
}

function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => (condition() ? resolve() : Date.now() - started > ms ? reject(new Error(`not within ${ms} ms: ${what}`)) : setTimeout(check, 10));
    check();
  });
}

describe.skipIf(pgSkipReason !== null)(`a PostgreSQL store that goes away mid-turn${pgSkipReason === null ? '' : ` (skipped: ${pgSkipReason})`}`, () => {
  it('for a moment: the turn waits for it and goes on, and everything is stored', async () => {
    const { keel, client, threadId, turnId, committed, warnings } = await keelOnPg([[{ text: 'partial ' }, { stall: true }], [{ stall: true }]]);
    const bringBack = await takePgDatabaseDown(keel.postgres!.options.url);
    try {
      // The user steers the running turn: its message is written while the database is gone.
      (await keel.threads.steer(threadId, turnId, [text('and then?')])).publish();
      await until(() => warnings.some((w) => w.includes('trying again')), 'a write tried again');
    } finally {
      await bringBack();
    }
    await until(() => keel.registry.get(threadId)!.state.activeTurnId === turnId, 'the turn still running');
    (await keel.threads.interrupt(threadId, turnId)).publish();
    const ended = await client.waitFor((n) => n.method === 'turn/completed');
    expect((ended.params as { turn: unknown }).turn).toMatchObject({ id: turnId, status: 'interrupted', error: null });

    const { events, state } = await storedThread(keel, threadId);
    expect(events.slice(0, committed.length)).toEqual(committed);
    const turn = toArray(state.turns)[0]!;
    expect(toArray(turn.items).map(({ item }) => (item.type === 'userMessage' ? `user: ${(item.content[0] as { text: string }).text}` : item.type === 'agentMessage' ? `agent: ${item.text}` : item.type))).toEqual([
      'user: hi',
      'agent: partial ',
      'user: and then?',
    ]);
    expect(turn.status).toBe('interrupted');
    expect(warnings.filter((w) => w.includes('trying again'))[0]).toMatch(/^a write to thread \S+ found postgres:\/\/postgres@\/keel_\w+\?host=\S+ out of reach \(.*\); trying again in 50 ms$/);
  });

  it('for longer than its writes wait: the turn fails in words, nothing committed is lost, and the next turn runs once it is back', async () => {
    const { keel, client, threadId, turnId, committed } = await keelOnPg([[{ text: 'partial ' }, { stall: true }], [{ stall: true }], [{ text: 'second answer' }]], 'write_retry_ms = 1500');
    const bringBack = await takePgDatabaseDown(keel.postgres!.options.url);
    let ended;
    try {
      (await keel.threads.steer(threadId, turnId, [text('and then?')])).publish();
      ended = await client.waitFor((n) => n.method === 'turn/completed', 15_000);
    } finally {
      // Back once the client was told the turn ended.
      await bringBack();
    }
    expect((ended.params as { turn: unknown }).turn).toMatchObject({
      id: turnId,
      status: 'failed',
      error: {
        // Refused for good while the database stays away: told as not stored, as on SQLite (turn-engine.ts), and stored at the thread's next load.
        message: expect.stringMatching(/^the end of this turn could not be stored \(the thread store refused a write \(the thread database postgres:\/\/postgres@\/keel_\w+\?host=\S+ (is not accepting connections \(down, or being restarted\)|lost the connection) /),
        codexErrorInfo: 'other',
      },
    });

    const next = await keel.threads.startTurn(threadId, { input: [text('again')], settings: {}, options: turnOptions }, client);
    next.publish();
    const completed = await client.waitFor((n) => n.method === 'turn/completed' && turnIdOf(n.params) === next.value.id, 15_000);
    expect((completed.params as { turn: unknown }).turn).toMatchObject({ status: 'completed', error: null });

    const { events, state } = await storedThread(keel, threadId);
    expect(events.slice(0, committed.length)).toEqual(committed);
    expect(toArray(state.turns).map((t) => t.status)).toEqual(['failed', 'completed']);
    // The first turn ended once for its client.
    expect(client.received.filter((n) => n.method === 'turn/completed' && turnIdOf(n.params) === turnId)).toHaveLength(1);
  });
});
