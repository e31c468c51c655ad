// Several Keels on one store, in one test process: two engines sharing the in-memory store and its
// lease table, and two on one SQLite file (two connections, as two processes on one home). A
// thread run by one is followed from the other (its client hears what the owner's client hears,
// seqs and all); a thread the owner let go when it idled moves to the other; and a lapsed owner's
// running turn is ended once, interrupted, by the other's takeover sweep, naming the owner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Keel, KeelOptions } from '../../src/server/open-keel.js';
import { MemoryLeases, memoryLeaseTable } from '../../src/store/memory-leases.js';
import { memoryTables } from '../../src/store/memory-thread-log.js';
import { openTestKeel, RecordingSubscriber, type TestKeel } from '../helpers/engine.js';

const text = (t: string) => ({ type: 'text' as const, text: t, text_elements: [] });
const turnOptions = { summary: null, outputSchema: null };

interface Pair {
  a: Keel;
  b: Keel;
  /** Plays A dying without a word: its lease lapses (A stops beating). */
  lapseA(): Promise<void>;
}

interface PairKind {
  name: string;
  open(script: string, home: string): Promise<{ a: TestKeel; b: TestKeel; lapse(a: Keel): Promise<void> }>;
}

const kinds: PairKind[] = [
  {
    name: 'sharing the in-memory store',
    open: async (script, home) => {
      const shared = { tables: memoryTables(), leases: memoryLeaseTable() };
      const options: Partial<KeelOptions> = { threadLog: 'memory', sharedMemory: shared, env: { KEEL_SCRIPT: script } };
      const a = await openTestKeel({ ...options, leaseMs: 60_000 }, home);
      const b = await openTestKeel({ ...options, leaseMs: 300 }, home);
      return { a, b, lapse: async (keel) => MemoryLeases.lapse(shared.leases, keel.registry.leases.me.ownerId) };
    },
  },
  {
    name: 'on one SQLite file',
    open: async (script, home) => {
      // A beats rarely (it is made to lapse by hand); B sweeps every 100 ms.
      const a = await openTestKeel({ env: { KEEL_SCRIPT: script }, leaseMs: 60_000 }, home);
      const b = await openTestKeel({ env: { KEEL_SCRIPT: script }, leaseMs: 300 }, home);
      return {
        a,
        b,
        lapse: async (keel) => {
          await b.keel.database!.db.updateTable('keel_owners').set({ expires_at: Date.now() - 1 }).where('owner_id', '=', keel.registry.leases.me.ownerId).execute();
        },
      };
    },
  },
];

let opened: TestKeel[] = [];
let homes: string[] = [];
afterEach(async () => {
  for (const each of opened.reverse()) await each.keel.close();
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  opened = [];
  homes = [];
});

async function pairOf(kind: PairKind, responses: unknown[][]): Promise<Pair> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-many-'));
  homes.push(home);
  const script = path.join(home, 'script.json');
  fs.writeFileSync(script, JSON.stringify({ responses }));
  const { a, b, lapse } = await kind.open(script, home);
  opened.push(a, b);
  return { a: a.keel, b: b.keel, lapseA: () => lapse(a.keel) };
}

async function startThread(keel: Keel, client: RecordingSubscriber): Promise<string> {
  const started = await keel.threads.start({}, client);
  started.publish();
  return started.value.id;
}

async function startTurn(keel: Keel, threadId: string, client: RecordingSubscriber, input: string): Promise<string> {
  const { value: turn, publish } = await keel.threads.startTurn(threadId, { input: [text(input)], settings: {}, options: turnOptions }, client);
  publish();
  return turn.id;
}

const completedTurn = (turnId: string) => (n: { method: string; params: unknown }) => n.method === 'turn/completed' && (n.params as { turn: { id: string } }).turn.id === turnId;
/**
 * What a client heard after `seq`, as on the wire (errors aside: they are not in the log). A delta
 * read from the log carries the time of its stored run (the log keeps one per run, as a resume
 * `afterSeq` replays it), so deltas are compared without it.
 */
const after = (client: RecordingSubscriber, seq: number) =>
  client.received
    .filter((n) => n.seq !== undefined && n.seq > seq && n.method !== 'error')
    .map(({ emittedAtMs, ...n }) => (/delta$/i.test(n.method) ? n : { ...n, emittedAtMs }));

describe.each(kinds)('two Keels $name', (kind) => {
  it("a thread run by A is followed from B: B's client hears A's turn live, the same notifications with the same seqs", async () => {
    const { a, b } = await pairOf(kind, [[{ text: 'Hello ' }, { text: 'from ' }, { text: 'A' }]]);
    const clientA = new RecordingSubscriber();
    const clientB = new RecordingSubscriber();
    const threadId = await startThread(a, clientA);

    const resumed = await b.threads.resume(threadId, {}, clientB);
    resumed.publish();
    expect(resumed.value.id).toBe(threadId);
    const resumedAt = await b.threads.storedSeq(threadId);

    const turnId = await startTurn(a, threadId, clientA, 'hi');
    await clientA.waitFor(completedTurn(turnId));
    await clientB.waitFor(completedTurn(turnId));
    expect(after(clientB, resumedAt)).toEqual(after(clientA, resumedAt));
    expect(after(clientB, resumedAt).map((n) => n.method)).toContain('item/agentMessage/delta');
    // What B may not do to A's thread is refused, naming the owner.
    await expect(b.threads.startTurn(threadId, { input: [text('mine')], settings: {}, options: turnOptions }, clientB)).rejects.toMatchObject({ kind: 'conflict', owner: a.registry.leases.me });
    await expect(Promise.resolve().then(() => b.threads.interrupt(threadId, turnId))).rejects.toMatchObject({ owner: a.registry.leases.me });
    await expect(b.threads.steer(threadId, turnId, [text('x')])).rejects.toMatchObject({ owner: a.registry.leases.me });
  });

  it('a resume from B afterSeq hears what it missed, then the rest live, with no gap and nothing twice', async () => {
    const { a, b } = await pairOf(kind, [[{ text: 'one' }], [{ text: 'two' }]]);
    const clientA = new RecordingSubscriber();
    const threadId = await startThread(a, clientA);
    const first = await startTurn(a, threadId, clientA, 'first');
    await clientA.waitFor(completedTurn(first));
    const clientB = new RecordingSubscriber();
    const resumed = await b.threads.resume(threadId, {}, clientB, 1);
    resumed.publish();
    const second = await startTurn(a, threadId, clientA, 'second');
    await clientA.waitFor(completedTurn(second));
    await clientB.waitFor(completedTurn(second));
    expect(after(clientB, 1)).toEqual(after(clientA, 1));
  });

  it('a thread A let go when it idled moves to B, which runs a turn; A\'s client, still listening, hears it', async () => {
    const { a, b } = await pairOf(kind, [[{ text: 'from B' }]]);
    const clientA = new RecordingSubscriber();
    const clientB = new RecordingSubscriber();
    const threadId = await startThread(a, clientA);
    expect(await a.threads.unloadIdle(0)).toBe(1);
    await a.registry.settle();

    const turnId = await startTurn(b, threadId, clientB, 'hi');
    await clientB.waitFor(completedTurn(turnId));
    await clientA.waitFor(completedTurn(turnId));
    const seqBefore = 1;
    expect(after(clientA, seqBefore)).toEqual(after(clientB, seqBefore));
  });

  it('B follows a thread A then lets go when it idles; B takes it for its own turn, and its client hears both turns with no gap and nothing twice', async () => {
    const { a, b } = await pairOf(kind, [[{ text: 'from A' }], [{ text: 'from B' }]]);
    const clientA = new RecordingSubscriber();
    const clientB = new RecordingSubscriber();
    const threadId = await startThread(a, clientA);
    (await b.threads.resume(threadId, {}, clientB)).publish();
    const resumedAt = await b.threads.storedSeq(threadId);
    const first = await startTurn(a, threadId, clientA, 'one');
    await clientA.waitFor(completedTurn(first));
    await clientB.waitFor(completedTurn(first));
    expect(await a.threads.unloadIdle(0)).toBe(1);
    await a.registry.settle();

    const second = await startTurn(b, threadId, clientB, 'two');
    await clientB.waitFor(completedTurn(second));
    await clientA.waitFor(completedTurn(second));
    expect(b.registry.isFollowed(threadId)).toBe(false);
    const heard = after(clientB, resumedAt);
    expect(heard).toEqual(after(clientA, resumedAt));
    // Each notification once, in seq order.
    expect(heard.map((n) => n.seq)).toEqual([...heard.map((n) => n.seq)].sort((x, y) => x! - y!));
    expect(new Set(heard.map((n) => JSON.stringify(n))).size).toBe(heard.length);
    expect(heard.filter((n) => n.method === 'turn/completed')).toHaveLength(2);
  });

  it('ThreadCommands.follow afterSeq (the server, after forwarding): on the owner, of its runtime; elsewhere, of the log; both hear what was missed at once', async () => {
    const { a, b } = await pairOf(kind, [[{ text: 'one' }]]);
    const clientA = new RecordingSubscriber();
    const threadId = await startThread(a, clientA);
    const turnId = await startTurn(a, threadId, clientA, 'one');
    await clientA.waitFor(completedTurn(turnId));
    const lateA = new RecordingSubscriber();
    const lateB = new RecordingSubscriber();
    await a.threads.follow(threadId, lateA, 1);
    await b.threads.follow(threadId, lateB, 1);
    expect(after(lateA, 1)).toEqual(after(clientA, 1));
    expect(after(lateB, 1)).toEqual(after(clientA, 1));
    await expect(b.threads.follow('no-such-thread', lateB, null)).rejects.toMatchObject({ kind: 'notFound' });
    await expect(b.threads.follow(threadId, lateB, 10_000)).rejects.toMatchObject({ kind: 'invalid', field: 'afterSeq' });
  });

  it("a follower stops when its last subscriber leaves; a resume from B that would change A's settings is A's to do", async () => {
    const { a, b } = await pairOf(kind, []);
    const clientB = new RecordingSubscriber();
    const threadId = await startThread(a, new RecordingSubscriber());
    await expect(b.threads.resume(threadId, { model: 'another-model' }, clientB)).rejects.toMatchObject({ kind: 'conflict', owner: a.registry.leases.me });
    (await b.threads.resume(threadId, {}, clientB)).publish();
    await b.threads.follow(threadId, clientB, null);
    expect(b.registry.isFollowed(threadId)).toBe(true);
    expect(await b.threads.unsubscribe(threadId, clientB)).toBe('unsubscribed');
    expect(b.registry.isFollowed(threadId)).toBe(false);
    expect(b.registry.isLoaded(threadId)).toBe(false);
  });

  it("A's owner lapses mid-turn: B's sweep ends the turn once, interrupted, naming A, and B's follower hears it", async () => {
    const { a, b, lapseA } = await pairOf(kind, [[{ text: 'working' }, { stall: true }]]);
    const clientA = new RecordingSubscriber();
    const clientB = new RecordingSubscriber();
    const threadId = await startThread(a, clientA);
    const turnId = await startTurn(a, threadId, clientA, 'go');
    await clientA.waitFor((n) => n.method === 'item/agentMessage/delta');
    (await b.threads.resume(threadId, {}, clientB)).publish();

    await lapseA();
    const ended = await clientB.waitFor(completedTurn(turnId));
    const me = a.registry.leases.me;
    const reason = expect.stringMatching(new RegExp(`^the Keel process running this turn \\(pid ${kind.name.includes('memory') ? 0 : me.pid} on ${me.host}\\) stopped before it ended; another process took the thread over and closed the turn as interrupted\\.$`));
    expect((ended.params as { turn: unknown }).turn).toMatchObject({ id: turnId, status: 'interrupted', error: { message: reason } });
    // Once: the store holds one end, and later sweeps find nothing more to take over.
    const stored = await b.registry.read(threadId);
    expect(stored.activeTurnId).toBeNull();
    expect(clientB.received.filter(completedTurn(turnId))).toHaveLength(1);
    expect(await b.threads.takeOverLapsed()).toBe(0);
  });
});
