// Property: a client that drops off at random points — mid-delta, between events, while deltas are
// still buffered, across checkpoints — and each time comes back with thread/resume `afterSeq` (the
// last seq it saw) ends up with exactly what a client that never left received: the same
// notifications in the same order (no delta missing, none twice), and a folded state equal to
// thread/read. Only `error` notifications (turn/error, never stored) sent while it was away are gone.
import { describe, expect, it } from 'vitest';
import { foldNotification, type WireNotification } from '../../src/core/codec.js';
import { emptyClientState } from '../../src/core/state.js';
import { allTurns, threadSnapshot } from '../../src/core/snapshot.js';
import { summaryOf } from '../../src/core/summary.js';
import { RecordingSubscriber } from '../helpers/engine.js';
import { rng, type Rng } from '../helpers/rng.js';
import { eventAt, openScenario, type Scenario } from './thread-scenario.js';

type Heard = WireNotification & { seq?: number };
const STEPS = 150;

/** A client app: one connection at a time, remembering everything it heard and the last seq. */
class FlakyClient {
  readonly heard: Heard[] = [];
  private current: RecordingSubscriber | null = null;
  private taken = 0;

  get connection(): RecordingSubscriber | null {
    return this.current;
  }

  set connection(next: RecordingSubscriber | null) {
    this.current = next;
    this.taken = 0;
  }

  /** Moves what the current connection received into the app's memory. */
  collect(): void {
    if (this.current === null) return;
    this.heard.push(...this.current.received.slice(this.taken));
    this.taken = this.current.received.length;
  }

  lastSeq(): number {
    let last = 0;
    for (const n of this.heard) if (n.seq !== undefined && n.seq > last) last = n.seq;
    return last;
  }
}

async function run(scenario: Scenario, r: Rng): Promise<{ threadId: string; flaky: FlakyClient }> {
  const { threads, registry } = scenario.keel;
  const started = await threads.start({}, scenario.client);
  started.publish();
  const threadId = started.value.id;
  const flaky = new FlakyClient();
  const connect = async () => {
    flaky.collect();
    const connection = new RecordingSubscriber();
    const resumed = await threads.resume(threadId, {}, connection, flaky.lastSeq());
    resumed.publish();
    flaky.connection = connection;
  };
  const disconnect = () => {
    flaky.collect();
    if (flaky.connection) threads.detach(flaky.connection);
    flaky.connection = null;
  };
  await connect();
  let n = 0;
  for (let step = 0; step < STEPS; step++) {
    const runtime = (await registry.load(threadId));
    const apply = (body: Parameters<typeof eventAt>[2]) => runtime.apply([eventAt(scenario, threadId, body)]);
    const dice = r.int(20);
    if (dice === 0) (flaky.connection ? disconnect() : await connect());
    else if (dice === 1) runtime.flush();
    const turnId = runtime.state.activeTurnId;
    if (turnId === null) {
      apply({ type: 'turn/started', turnId: `turn-${++n}`, model: 'm' });
      continue;
    }
    const choice = r.int(6);
    const id = `item-${++n}`;
    if (choice <= 1) {
      apply({ type: 'item/started', turnId, itemId: id, item: { type: 'agentMessage', id, text: '', phase: null, memoryCitation: null } });
      let text = '';
      for (let i = 1 + r.int(15); i > 0; i--) {
        const delta = `w${r.int(100)} `;
        text += delta;
        apply({ type: 'item/delta', turnId, itemId: id, channel: 'agentMessage', index: 0, delta });
        if (r.int(10) === 0) (flaky.connection ? disconnect() : await connect());
      }
      if (r.next() < 0.8) apply({ type: 'item/completed', turnId, itemId: id, item: { type: 'agentMessage', id, text, phase: null, memoryCitation: null } });
    } else if (choice === 2) {
      apply({ type: 'item/started', turnId, itemId: id, item: { type: 'reasoning', id, summary: [], content: [] } });
      apply({ type: 'item/summaryPartAdded', turnId, itemId: id, index: 0 });
      // Two channels interleaved: their deltas are separate runs in the log.
      for (let i = r.int(6); i > 0; i--) {
        apply({ type: 'item/delta', turnId, itemId: id, channel: r.next() < 0.5 ? 'reasoningSummary' : 'reasoningText', index: 0, delta: `r${i}` });
        if (r.int(8) === 0) (flaky.connection ? disconnect() : await connect());
      }
    } else if (choice === 3) {
      const command = { type: 'commandExecution' as const, id, command: 'ls', cwd: '/w', processId: null, source: 'agent' as const, status: 'inProgress' as const, commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null };
      apply({ type: 'item/started', turnId, itemId: id, item: command });
      for (let i = r.int(5); i > 0; i--) apply({ type: 'item/delta', turnId, itemId: id, channel: 'commandOutput', index: 0, delta: `line ${i}\n` });
      apply({ type: 'item/completed', turnId, itemId: id, item: { ...command, status: 'completed', aggregatedOutput: 'final\n', exitCode: 0, durationMs: 5 } });
    } else if (choice === 4) {
      apply({ type: 'turn/error', turnId, willRetry: true, error: { message: 'retrying', codexErrorInfo: 'serverOverloaded', additionalDetails: null } });
    } else {
      apply({ type: 'turn/completed', turnId, status: r.pick(['completed', 'interrupted'] as const), error: null });
    }
  }
  if (!flaky.connection) await connect();
  flaky.collect();
  return { threadId, flaky };
}

const withoutErrors = (list: Heard[]) => list.filter((n) => n.method !== 'error');
const agentText = (list: Heard[]) =>
  list.filter((n) => n.method === 'item/agentMessage/delta').map((n) => `${(n.params as { itemId: string }).itemId}:${(n.params as { delta: string }).delta}`);

describe('resume after seq', () => {
  // Odd seeds checkpoint every few events, so a replay often starts from a checkpoint.
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`seed ${seed}: reconnecting with afterSeq at random points loses and repeats nothing`, async () => {
      const scenario = await openScenario(seed, seed % 2 === 1 ? 7 : undefined);
      try {
        const { threadId, flaky } = await run(scenario, rng(seed));
        const steady = scenario.client.received;
        // What every client hears, as (method, seq, params): the same list, in the same order.
        const shape = (list: Heard[]) => withoutErrors(list).filter((n) => n.method !== 'thread/status/changed' || n.seq !== undefined).map((n) => [n.method, n.seq, n.params]);
        expect(shape(flaky.heard.filter((n) => n.method !== 'thread/started'))).toEqual(shape(steady.filter((n) => n.method !== 'thread/started')));
        expect(agentText(flaky.heard)).toEqual(agentText(steady));
        // Folded, it is what thread/read shows.
        const folded = flaky.heard.reduce(foldNotification, foldNotification(emptyClientState, steady[0]!)).threads[threadId]!;
        const stored = (await scenario.keel.registry.read(threadId));
        const status = { type: 'idle' as const };
        expect(threadSnapshot(summaryOf(folded), { status, turns: allTurns(folded) })).toEqual(threadSnapshot(summaryOf(stored), { status, turns: allTurns(stored) }));
        expect(flaky.heard.filter((n) => n.method === 'item/agentMessage/delta').length).toBeGreaterThan(20);
      } finally {
        await scenario.keel.close();
        scenario.cleanup();
      }
    });
  }
});
