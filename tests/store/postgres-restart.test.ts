// Keel on PostgreSQL (KEEL_STORE_URL) when the database goes away in the middle of a turn and
// comes back: the turn ends failed, saying the database is unreachable; nothing committed before
// is lost (the log reads back whole and gapless); and once the database is back the pool opens new
// connections and the next requests work — no restart of Keel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { toArray } from '../../src/core/plist.js';
import { replay } from '../../src/core/reduce.js';
import { PgThreadLog } from '../../src/store/postgres/pg-thread-log.js';
import { openTestKeel, RecordingSubscriber, type TestKeel } from '../helpers/engine.js';
import { expectedThread } from '../helpers/expected-thread.js';
import { dropPgDatabases, freshPgDatabase, pgSkipReason, takePgDatabaseDown } from '../helpers/pg.js';

afterAll(dropPgDatabases);

const text = (t: string) => ({ type: 'text' as const, text: t, text_elements: [] });

let opened: TestKeel | undefined;
afterEach(async () => {
  await opened?.keel.close();
  opened?.cleanup();
  opened = undefined;
});

async function keelOnPg(responses: unknown[][]): Promise<TestKeel & { url: string }> {
  const url = await freshPgDatabase();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-pg-restart-'));
  const script = path.join(home, 'script.json');
  fs.writeFileSync(script, JSON.stringify({ responses }));
  opened = await openTestKeel({ env: { KEEL_SCRIPT: script, KEEL_STORE_URL: url } }, home);
  return { ...opened, url };
}

describe.skipIf(pgSkipReason !== null)(`a PostgreSQL store that goes away mid-turn${pgSkipReason === null ? '' : ` (skipped: ${pgSkipReason})`}`, () => {
  it('fails the turn in words, loses nothing committed, and serves the next requests once it is back', async () => {
    const { keel } = await keelOnPg([[{ text: 'partial ' }, { stall: true }], [{ stall: true }], [{ text: 'second answer' }]]);
    expect(keel.database).toBeNull();
    expect(keel.postgres).not.toBeNull();
    const client = new RecordingSubscriber();
    const started = await keel.threads.start({}, client);
    started.publish();
    const threadId = started.value.id;
    const { value: turn, publish } = await keel.threads.startTurn(threadId, { input: [text('hi')], settings: {}, options: { summary: null, outputSchema: null } }, client);
    publish();
    await client.waitFor((n) => n.method === 'item/agentMessage/delta');
    // Everything streamed so far is committed before the database goes.
    await keel.registry.get(threadId)!.settled();
    const committed = await new PgThreadLog(keel.postgres!).read(threadId);

    const bringBack = await takePgDatabaseDown(keel.postgres!.options.url);
    let back = false;
    try {
      // The turn goes on writing: the user steers it while the database is gone.
      (await keel.threads.steer(threadId, turn.id, [text('and then?')])).publish();
      const ended = await client.waitFor((n) => n.method === 'turn/completed', 15_000);
      expect((ended.params as { turn: unknown }).turn).toMatchObject({
        id: turn.id,
        status: 'failed',
        error: {
          message: expect.stringMatching(/^the thread store refused a write \(the thread database postgres:\/\/postgres@\/keel_\w+\?host=\S+ (is not accepting connections \(down, or being restarted\)|lost the connection) /),
          codexErrorInfo: 'other',
        },
      });
      await bringBack();
      back = true;
    } finally {
      if (!back) await bringBack();
    }

    // Nothing committed is lost: the log holds what it held, gapless (a gap would be refused as corrupt).
    const after = await new PgThreadLog(keel.postgres!).read(threadId);
    expect(after.slice(0, committed.length)).toEqual(committed);
    // The pool reconnects: the next turn runs and is stored whole.
    const next = await keel.threads.startTurn(threadId, { input: [text('again')], settings: {}, options: { summary: null, outputSchema: null } }, client);
    next.publish();
    const completed = await client.waitFor((n) => n.method === 'turn/completed' && (n.params as { turn: { id: string } }).turn.id === next.value.id, 15_000);
    expect((completed.params as { turn: unknown }).turn).toMatchObject({ status: 'completed', error: null });
    await keel.registry.get(threadId)!.settled();
    const stored = replay(await new PgThreadLog(keel.postgres!).read(threadId))!;
    expect(toArray(stored.turns).map((t) => t.status)).toEqual(['failed', 'completed']);
    // The first turn ended once for its client.
    expect(client.received.filter((n) => n.method === 'turn/completed' && (n.params as { turn: { id: string } }).turn.id === turn.id)).toHaveLength(1);
    // Memory and the log agree.
    expect(expectedThread(await keel.registry.read(threadId), { type: 'notLoaded' })).toEqual(expectedThread(stored, { type: 'notLoaded' }));
  });
});
