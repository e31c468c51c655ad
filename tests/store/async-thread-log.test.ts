// The seam for an asynchronous store (engine/thread-log.ts, thread-runtime.ts): a ThreadLog whose
// append returns a promise. ThreadRuntime.apply stays synchronous — it reduces and hands the events
// over at once — and publishes each batch once the store acknowledges it, in apply order (a delta
// waits behind a write in flight); a refused acknowledgement falls back to the last acknowledged
// state, fences the running turn, tells the write-failure listeners and drops what waited to be
// published, and the writes after it start again at the first seq the log lacks. The store here is the
// in-memory log behind promises the test settles, one by one, in order.
import { describe, expect, it } from 'vitest';
import { stampEvent, type EventBody, type KeelEvent } from '../../src/core/events.js';
import type { ThreadState } from '../../src/core/state.js';
import type { DomainError } from '../../src/kernel/errors.js';
import type { ThreadLog } from '../../src/engine/thread-log.js';
import { ThreadRuntime } from '../../src/engine/thread-runtime.js';
import { MemoryThreadLog } from '../../src/store/memory-thread-log.js';
import { RecordingSubscriber } from '../helpers/engine.js';
import { agentMessage, fixtureSettings } from '../helpers/store-fixtures.js';

const THREAD = 'async';

/** The in-memory log, acknowledging each append only when the test says. */
class LaterLog implements ThreadLog {
  readonly stored = new MemoryThreadLog();
  private readonly waiting: Array<{ hold: () => void; refuse: (error: Error) => void }> = [];

  append(threadId: string, events: readonly KeelEvent[], state: ThreadState, firstSeq: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        hold: () => {
          try {
            resolve(this.stored.append(threadId, events, state, firstSeq));
          } catch (error) {
            reject(error as Error);
          }
        },
        refuse: reject,
      });
    });
  }

  /** Settles the oldest append in flight: held (written) or refused. */
  async settle(outcome: 'hold' | Error): Promise<void> {
    const next = this.waiting.shift()!;
    if (outcome === 'hold') next.hold();
    else next.refuse(outcome);
    // The runtime's acknowledgement handlers run as microtasks; let them.
    await Promise.resolve();
    await Promise.resolve();
  }

  get inFlight(): number {
    return this.waiting.length;
  }

  load = (threadId: string) => this.stored.load(threadId);
  loadAround = (threadId: string, afterSeq: number) => this.stored.loadAround(threadId, afterSeq);
  delete = (threadId: string) => this.stored.delete(threadId);
  activeThreadIds = () => this.stored.activeThreadIds();
  summary = (threadId: string) => this.stored.summary(threadId);
  lastSeq = (threadId: string) => this.stored.lastSeq(threadId);
  since = (threadId: string, afterSeq: number) => this.stored.since(threadId, afterSeq);
}

let clock = 1_700_000_000_000;
const event = (body: EventBody) => stampEvent(THREAD, (clock += 1000), body) as KeelEvent;
const created = () => event({ type: 'thread/created', settings: fixtureSettings, origin: { ephemeral: false, cliVersion: '1', forkedFromId: null } });

function opened() {
  const log = new LaterLog();
  const client = new RecordingSubscriber();
  const runtime = new ThreadRuntime(undefined, log, new Set([client]));
  const failures: string[] = [];
  runtime.onWriteFailure((error: DomainError) => failures.push(`${error.kind}: ${error.message}`));
  return { log, client, runtime, failures };
}

describe('a thread on an asynchronous store', () => {
  it('publishes each event once the store acknowledges it, in seq order (a delta waits behind the write in flight); the log holds every event', async () => {
    const { log, client, runtime } = opened();
    const events = [created(), event({ type: 'turn/started', turnId: 't', model: null }), event({ type: 'item/started', turnId: 't', itemId: 'a', item: agentMessage('a', '') })];
    for (const each of events) runtime.apply([each]);
    runtime.apply([event({ type: 'item/delta', turnId: 't', itemId: 'a', channel: 'agentMessage', index: 0, delta: 'hi' } as unknown as EventBody)]);
    expect(client.received).toEqual([]);
    expect(log.inFlight).toBe(3);
    await log.settle('hold');
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.received.map((n) => [n.method, n.seq])).toEqual([['thread/started', 1]]);
    await log.settle('hold');
    await log.settle('hold');
    await runtime.acknowledged();
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.received.map((n) => [n.method, n.seq])).toEqual([['thread/started', 1], ['thread/status/changed', 2], ['turn/started', 2], ['item/started', 3], ['item/agentMessage/delta', 4]]);
    expect(log.stored.load(THREAD)).toEqual({ checkpoint: undefined, events: JSON.parse(JSON.stringify(events)), lastSeq: 3 });
    expect(runtime.state.activeTurnId).toBe('t');
  });

  it('on a refused acknowledgement falls back to what was acknowledged, fences the running turn, and writes on from the first seq the log lacks', async () => {
    const { log, client, runtime, failures } = opened();
    runtime.apply([created()]);
    runtime.apply([event({ type: 'turn/started', turnId: 't', model: null })]);
    await log.settle('hold');
    await log.settle('hold');
    const acknowledged = runtime.state;
    runtime.apply([event({ type: 'item/started', turnId: 't', itemId: 'a', item: agentMessage('a', '') })]);
    const refused = runtime.acknowledged();
    runtime.apply([event({ type: 'item/completed', turnId: 't', itemId: 'a', item: agentMessage('a', 'hello') })]);
    await log.settle(new Error('disk full'));
    await expect(refused).rejects.toMatchObject({ kind: 'unavailable', message: 'the thread store refused a write (disk full); what the thread shows is what was stored' });
    expect(failures).toEqual(['unavailable: the thread store refused a write (disk full); what the thread shows is what was stored']);
    expect(runtime.state).toBe(acknowledged);
    expect(runtime.lastSeq).toBe(2);
    // The write handed over after the refused one conflicts in the log and is moot: no second failure.
    await log.settle('hold');
    expect(failures).toHaveLength(1);
    // The fenced turn takes nothing but its end, which is written at seq 3.
    runtime.apply([event({ type: 'item/started', turnId: 't', itemId: 'b', item: agentMessage('b', '') })]);
    expect(log.inFlight).toBe(0);
    runtime.apply([event({ type: 'turn/completed', turnId: 't', status: 'failed', error: null })]);
    await log.settle('hold');
    expect(log.stored.load(THREAD).events.map((e) => e.type)).toEqual(['thread/created', 'turn/started', 'turn/completed']);
    expect(log.stored.load(THREAD).lastSeq).toBe(3);
    expect(runtime.state.activeTurnId).toBeNull();
    // The client heard what the log holds, and nothing the store refused.
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.received.map((n) => [n.method, n.seq])).toEqual([['thread/started', 1], ['thread/status/changed', 2], ['turn/started', 2], ['thread/status/changed', 3], ['turn/completed', 3]]);
  });
});
