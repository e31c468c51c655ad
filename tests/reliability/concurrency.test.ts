// Reliability, part 4: 20 threads at once. One Keel, 20 threads, a turn started on each in the
// same breath, twice, against the fake Responses server, which drips every answer out at its own
// PRNG-chosen pace so that the 20 streams really interleave. Responses are served in the order the
// calls come, so which thread gets which is not known in advance: every answer is
// distinguishable, and each thread must end up with exactly one of them, whole, and no two threads
// with the same one. No notification of one thread carries another's turn or item ids; each
// thread's deltas add up to its own item/completed text; and thread/read of each thread equals
// what folding its notifications with the core reducer builds (as a client library does).
import { describe, expect, it } from 'vitest';
import { foldNotification } from '../../src/core/codec.js';
import { expectedThread } from '../helpers/expected-thread.js';
import { emptyClientState } from '../../src/core/state.js';
import type { FakeResponse } from '../helpers/fake-model-server.js';
import { initialized, spawnKeel, type IncomingMessage } from '../helpers/keel-process.js';
import { rng } from '../helpers/rng.js';
import { params } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { reportPart, SEED } from './tally.js';

const THREADS = 20;
const WAVES = 2;
const WAIT_MS = 30_000;

/** Answer k: a head, a body of PRNG-chosen length, a tail — all naming k —, dripped at a PRNG-chosen pace. */
function answers(random: ReturnType<typeof rng>): { texts: string[]; script: FakeResponse[] } {
  const texts: string[] = [];
  const script = Array.from({ length: THREADS * WAVES }, (_, k): FakeResponse => {
    const deltas = [`<${k}|`, ...Array.from({ length: 10 + random.int(30) }, () => `${k}.`), `|${k}>`];
    texts.push(deltas.join(''));
    return { sse: wire.stream([wire.message(...deltas)]), dripMs: 1 + random.int(6) };
  });
  return { texts, script };
}

const fake = useFakeModelServer();

/** The thread, turn and item a notification names (those it carries). */
function keysOf(message: IncomingMessage): { threadId?: string; turnId?: string; itemId?: string } {
  const p = params(message);
  return { threadId: p.threadId ?? p.thread?.id, turnId: p.turnId ?? p.turn?.id, itemId: p.itemId ?? p.item?.id };
}

describe('reliability: 20 concurrent threads', () => {
  it(`runs ${WAVES} waves of ${THREADS} simultaneous turns without cross-talk, and each thread reads back as its notifications built it`, { timeout: 90_000 }, async () => {
    const startedAt = Date.now();
    console.log(`reliability concurrency: seed ${SEED}`);
    const { texts, script } = answers(rng(SEED * 31 + 4));
    fake.script(wire.route, script);
    const keel = spawnKeel({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel);
    const threadIds = (await Promise.all(Array.from({ length: THREADS }, () => keel.request('thread/start', {})))).map((r) => r.thread.id);
    /** Which response each thread got, per wave. */
    const served = new Map<string, number[]>(threadIds.map((id) => [id, []]));

    for (let wave = 0; wave < WAVES; wave++) {
      const started = await Promise.all(threadIds.map((threadId) => keel.request('turn/start', { threadId, input: [{ type: 'text', text: `wave ${wave}` }] })));
      const ends = await Promise.all(started.map(({ turn }) => keel.waitFor((m) => m.method === 'turn/completed' && params(m).turn.id === turn.id, WAIT_MS)));
      for (const [i, end] of ends.entries()) {
        const turn = params(end).turn;
        expect(turn.status).toBe('completed');
        const text: string = turn.items.at(-1).text;
        const k = Number(/^<(\d+)\|/.exec(text)?.[1]);
        expect(text).toBe(texts[k]);
        served.get(threadIds[i]!)!.push(k);
      }
    }
    // Every response went to exactly one turn.
    expect([...served.values()].flat().sort((a, b) => a - b)).toEqual(texts.map((_, k) => k));
    expect(fake.calls).toHaveLength(THREADS * WAVES);

    const notifications = keel.messages.filter((m) => m.method !== undefined);
    // The streams overlapped: the delta stream moved from thread to thread more often than once per turn.
    const deltaThreads = notifications.filter((m) => m.method === 'item/agentMessage/delta').map((m) => params(m).threadId as string);
    const switches = deltaThreads.filter((threadId, i) => i === 0 || threadId !== deltaThreads[i - 1]).length;
    expect(switches).toBeGreaterThan(THREADS * WAVES);
    /** Each turn and item id belongs to the one thread that first named it. */
    const owner = new Map<string, string>();
    const crossTalk: string[] = [];
    for (const message of notifications) {
      const { threadId, turnId, itemId } = keysOf(message);
      if (threadId === undefined) continue;
      for (const key of [turnId, itemId]) {
        if (key === undefined) continue;
        const first = owner.get(key);
        if (first === undefined) owner.set(key, threadId);
        else if (first !== threadId) crossTalk.push(`${message.method} of ${threadId} names ${key} of ${first}`);
      }
    }
    expect(crossTalk).toEqual([]);

    // Each agent message's deltas add up to its completed text.
    const deltas = new Map<string, string>();
    for (const m of notifications) if (m.method === 'item/agentMessage/delta') deltas.set(params(m).itemId, (deltas.get(params(m).itemId) ?? '') + params(m).delta);
    const agentMessages = notifications.filter((m) => m.method === 'item/completed' && params(m).item.type === 'agentMessage').map((m) => params(m).item);
    expect(agentMessages).toHaveLength(THREADS * WAVES);
    expect(agentMessages.filter((item) => deltas.get(item.id) !== item.text).map((item) => item.id)).toEqual([]);

    // thread/read of each thread is what its notifications fold to.
    const folded = notifications.reduce((state, m) => foldNotification(state, { method: m.method!, params: m.params, emittedAtMs: m.emittedAtMs as number }), emptyClientState);
    expect(Object.keys(folded.threads).sort()).toEqual([...threadIds].sort());
    for (const threadId of threadIds) {
      const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
      const state = folded.threads[threadId]!;
      expect(thread).toEqual(expectedThread(state, { type: 'idle' }));
      expect(thread.turns.map((turn) => (turn.items.at(-1) as { text: string }).text)).toEqual(served.get(threadId)!.map((k) => texts[k]));
    }
    expect(await keel.close()).toBe(0);

    console.log(`reliability concurrency: ${THREADS} threads × ${WAVES} waves, ${notifications.length} notifications, the delta stream switched threads ${switches} times; answers per thread: ${threadIds.map((id) => served.get(id)!.join('/')).join(' ')}`);
    reportPart('concurrency', { turns: THREADS * WAVES }, startedAt);
  });
});
