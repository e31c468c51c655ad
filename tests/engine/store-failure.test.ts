// The funnel under a store that refuses writes: the engine built in-process (no server), real
// SQLite, and the failure injected in SQLite itself — a temporary trigger that aborts inserts of
// one event type, as a full disk or a busy database would abort the transaction.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replay } from '../../src/core/reduce.js';
import type { ThreadState } from '../../src/core/state.js';
import { EventLog } from '../../src/store/event-log.js';
import { openTestKeel, RecordingSubscriber, type TestKeel } from '../helpers/engine.js';
import { expectedThread } from '../helpers/expected-thread.js';

const text = (t: string) => ({ type: 'text' as const, text: t, text_elements: [] });

let opened: TestKeel | undefined;
afterEach(async () => {
  await opened?.keel.close();
  opened?.cleanup();
  opened = undefined;
});

async function keelWithScript(responses: unknown[][]): Promise<TestKeel> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-store-failure-'));
  const script = path.join(home, 'script.json');
  fs.writeFileSync(script, JSON.stringify({ responses }));
  opened = await openTestKeel({ env: { KEEL_SCRIPT: script } }, home);
  return opened;
}

/** Aborts every insert of one event type, as SQLite aborts a transaction on a full disk. */
function refuseWrites(keel: TestKeel['keel'], eventType: string): () => void {
  const name = `refuse_${eventType.replace(/\W/g, '_')}`;
  keel.database!.sqlite.exec(`CREATE TEMP TRIGGER ${name} BEFORE INSERT ON events WHEN NEW.type = '${eventType}' BEGIN SELECT RAISE(ABORT, 'database or disk is full (injected)'); END`);
  return () => keel.database!.sqlite.exec(`DROP TRIGGER temp.${name}`);
}

/** What a client reads: the thread with every turn in full. */
function shown(state: ThreadState) {
  return expectedThread(state, { type: 'notLoaded' });
}

async function runTurn(keel: TestKeel['keel'], threadId: string, client: RecordingSubscriber, input: string) {
  const { value: turn, publish } = await keel.threads.startTurn(threadId, { input: [text(input)], settings: {}, options: { summary: null, outputSchema: null } }, client);
  publish();
  const completed = await client.waitFor((n) => n.method === 'turn/completed' && (n.params as { turn: { id: string } }).turn.id === turn.id);
  return { turnId: turn.id, completed: (completed.params as { turn: { status: string; error: unknown } }).turn };
}

describe('a write the store refuses in the middle of a turn', () => {
  it('ends the turn failed, and memory, thread reads and the log agree afterwards', async () => {
    const { keel } = await keelWithScript([[{ text: 'Looking ' }, { text: 'at it' }], [{ text: 'second answer' }]]);
    const client = new RecordingSubscriber();
    const started = await keel.threads.start({}, client);
    started.publish();
    const threadId = started.value.id;

    const allow = refuseWrites(keel, 'item/completed');
    const refused = keel.threads.startTurn(threadId, { input: [text('hi')], settings: {}, options: { summary: null, outputSchema: null } }, client);
    // The user's message is an item/completed too: the turn cannot even open, and nothing changed.
    await expect(refused).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringContaining('database or disk is full (injected)') });
    expect((await keel.registry.read(threadId)).turns.length).toBe(0);
    allow();

    // Now refuse the agent message's completion only (the user message is written first).
    let userMessageWritten = false;
    keel.database!.sqlite.function('allow_first', () => (userMessageWritten ? 0 : ((userMessageWritten = true), 1)));
    keel.database!.sqlite.exec(
      `CREATE TEMP TRIGGER refuse_agent BEFORE INSERT ON events WHEN NEW.type = 'item/completed' AND allow_first() = 0 BEGIN SELECT RAISE(ABORT, 'database or disk is full (injected)'); END`,
    );
    const { turnId, completed } = await runTurn(keel, threadId, client, 'hi');
    keel.database!.sqlite.exec('DROP TRIGGER temp.refuse_agent');

    const storeError = expect.stringContaining('the thread store refused a write (database or disk is full (injected))');
    expect(completed).toMatchObject({ status: 'failed', error: { message: storeError, codexErrorInfo: 'other' } });
    const errors = client.received.filter((n) => n.method === 'error');
    expect(errors.map((n) => n.params)).toEqual([{ threadId, turnId, willRetry: false, error: { message: storeError, codexErrorInfo: 'other', additionalDetails: null } }]);

    // Memory fell back to the log: the agent message has its start but not the text or end the store refused.
    const live = (await keel.registry.read(threadId));
    const logged = replay(new EventLog(keel.database!).read(threadId))!;
    expect(shown(live)).toEqual(shown(logged));
    const turn = shown(live).turns[0]!;
    expect(turn.status).toBe('failed');
    expect(turn.items.map((item) => item.type)).toEqual(['userMessage', 'agentMessage']);
    expect(turn.items[1]).toMatchObject({ type: 'agentMessage', text: '' });
    expect(live.turns.length).toBe(1);

    // The thread stays usable: the next turn runs and is stored whole.
    const next = await runTurn(keel, threadId, client, 'again');
    expect(next.completed).toMatchObject({ status: 'completed', error: null });
    const after = replay(new EventLog(keel.database!).read(threadId))!;
    expect(shown((await keel.registry.read(threadId)))).toEqual(shown(after));
    expect(shown(after).turns[1]!.items.map((item) => (item.type === 'agentMessage' ? item.text : item.type))).toEqual(['userMessage', 'second answer']);
  });

  it('a timed delta flush that fails ends the turn failed (nobody was there to be told)', async () => {
    const { keel } = await keelWithScript([[{ text: 'partial ' }, { stall: true }]]);
    const client = new RecordingSubscriber();
    const started = await keel.threads.start({}, client);
    started.publish();
    const threadId = started.value.id;
    refuseWrites(keel, 'item/delta');

    const { completed } = await runTurn(keel, threadId, client, 'hi');
    expect(completed).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('the thread store refused a write') } });
    // The client saw the delta go by; the store never held it, and neither does the thread now.
    expect(client.received.some((n) => n.method === 'item/agentMessage/delta')).toBe(true);
    const live = (await keel.registry.read(threadId));
    expect(shown(live)).toEqual(shown(replay(new EventLog(keel.database!).read(threadId))!));
    expect(shown(live).turns[0]!.items[1]).toMatchObject({ type: 'agentMessage', text: '' });
  });
});

describe('a turn whose end the store refuses', () => {
  it('still ends on the wire, failed with the reason, for every subscriber; the next load closes it the same way, told once', async () => {
    const { keel } = await keelWithScript([[{ text: 'done' }]]);
    const owner = new RecordingSubscriber();
    const watcher = new RecordingSubscriber();
    const started = await keel.threads.start({}, owner);
    started.publish();
    const threadId = started.value.id;
    (await keel.threads.resume(threadId, {}, watcher)).publish();

    // Every attempt to store the end is refused (the engine retries a few times, then gives up).
    const allow = refuseWrites(keel, 'turn/completed');
    const { turnId, completed } = await runTurn(keel, threadId, owner, 'hi');
    const reason = {
      message: 'the end of this turn could not be stored (the thread store refused a write (database or disk is full (injected)); what the thread shows is what was stored); it ended failed, and is recorded so when the thread is next loaded',
      codexErrorInfo: 'other',
      additionalDetails: null,
    };
    expect(completed).toMatchObject({ id: turnId, status: 'failed', error: reason });
    await watcher.waitFor((n) => n.method === 'turn/completed');
    for (const client of [owner, watcher]) {
      const ends = client.received.filter((n) => n.method === 'turn/completed' || n.method === 'error');
      expect(ends.map((n) => n.method)).toEqual(['error', 'turn/completed']);
      expect(ends[0]!.params).toEqual({ threadId, turnId, willRetry: false, error: reason });
    }

    // The disk has room again: the next load stores the same end, and nobody hears the turn end twice.
    allow();
    const seen = owner.received.length;
    const reloaded = (await keel.registry.load(threadId));
    const logged = replay(new EventLog(keel.database!).read(threadId))!;
    for (const state of [reloaded.state, logged]) expect(shown(state).turns[0]).toMatchObject({ id: turnId, status: 'failed', error: reason });
    expect(owner.received.slice(seen).filter((n) => n.method === 'turn/completed' || n.method === 'error')).toEqual([]);
  });
});
