// Keel's reconnect extension over the real server: every notification about a thread carries the
// thread's `seq`; thread/resume `afterSeq` sends the events after it, then live ones; an idle
// thread leaves memory while its subscriber stays subscribed, and comes back when needed.
import { describe, expect, it } from 'vitest';
import { errorOf, initialized, spawnKeel, type IncomingMessage } from '../helpers/keel-process.js';
import { keelWithThread, runTurn } from '../helpers/turns.js';

const seqOf = (m: IncomingMessage) => (m as { seq?: number }).seq;

/** Asks again until `condition` holds (a state the server reaches on its own timer), failing after `timeoutMs`. */
async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('seq on the wire', () => {
  it('numbers the events of a turn without gaps; resuming afterSeq sends exactly what came after, with the same seqs', async () => {
    const { keel, threadId } = await keelWithThread({ script: [[{ text: 'Hel' }, { text: 'lo' }, { text: '!' }]] });
    const turn = await runTurn(keel, threadId, 'hi');
    const seqs = turn.map(seqOf);
    expect(seqs.every((s) => typeof s === 'number')).toBe(true);
    // Event notifications count up by one; a status change shares its event's seq. One seq is not
    // on the wire: the turn's model context (turn/context), stored once the user's message is, before the model is called.
    const distinct = [...new Set(seqs)];
    const messageSeq = seqOf(turn.find((m) => m.method === 'item/completed')!)!;
    expect(distinct).toEqual(Array.from({ length: distinct.length + 1 }, (_, i) => seqs[0]! + i).filter((seq) => seq !== messageSeq + 1));
    const deltaAt = turn.findIndex((m) => m.method === 'item/agentMessage/delta');
    const after = seqOf(turn[deltaAt]!)!; // saw 'Hel' only

    const second = spawnKeel({ home: keel.home });
    await keel.close();
    await initialized(second);
    const before = second.messages.length;
    await second.request('thread/resume', { threadId, afterSeq: after });
    await second.waitFor((m) => m.method === 'turn/completed');
    const replayed = second.messages.slice(before + 1).filter((m) => m.method !== undefined);
    const expected = turn.filter((m) => seqOf(m)! > after);
    // The events after `after`, then (this resume loaded the thread) its status, at the last seq.
    const loadedStatus = ['thread/status/changed', seqOf(turn[turn.length - 1]!), { threadId, status: { type: 'idle' } }];
    expect(replayed.map((m) => [m.method, seqOf(m), m.params])).toEqual([...expected.map((m) => [m.method, seqOf(m), m.params]), loadedStatus]);
    expect(replayed.filter((m) => m.method === 'item/agentMessage/delta').map((m) => (m.params as { delta: string }).delta)).toEqual(['lo', '!']);
  });

  it('refuses afterSeq past the end of the log, and on an ephemeral thread', async () => {
    const { keel, threadId } = await keelWithThread({});
    expect(await errorOf(keel.request('thread/resume', { threadId, afterSeq: 99 }))).toEqual({
      code: -32602,
      message: "Invalid params: afterSeq: 99 is past the thread's last event (seq 1)",
      data: { issues: [{ path: 'afterSeq', message: "99 is past the thread's last event (seq 1)" }] },
    });
    const { thread } = await keel.request('thread/start', { ephemeral: true });
    expect(await errorOf(keel.request('thread/resume', { threadId: thread.id, afterSeq: 0 }))).toEqual({
      code: -32602,
      message: 'Invalid params: afterSeq: an ephemeral thread keeps no event log to resume from',
      data: { issues: [{ path: 'afterSeq', message: 'an ephemeral thread keeps no event log to resume from' }] },
    });
  });
});

describe('idle threads leave memory, not their subscribers', () => {
  it('unloads threads idle past thread_idle_unload_ms; a turn loads one again and its subscriber hears it', async () => {
    const { keel, threadId } = await keelWithThread({
      script: [[{ text: 'one' }], [{ text: 'two' }]],
      spawn: { args: ['-c', 'keel.thread_idle_unload_ms=100'] },
      capabilities: { experimentalApi: true },
    });
    const first = await runTurn(keel, threadId, 'first');
    const gauges = async () => Object.fromEntries(((await keel.request('server/diagnostics', {})) as { gauges: Array<{ name: string; value: number }> }).gauges.map((g) => [g.name, g.value]));
    await until(async () => (await gauges()).threadsInMemory === 0);
    expect(await gauges()).toMatchObject({ loadedThreads: 1, threadsInMemory: 0 });
    expect((await keel.request('thread/loaded/list', {})).data).toEqual([threadId]);
    const second = await runTurn(keel, threadId, 'second');
    expect(seqOf(second[0]!)).toBe(seqOf(first[first.length - 1]!)! + 1);
    expect(second.filter((m) => m.method === 'item/agentMessage/delta').map((m) => (m.params as { delta: string }).delta)).toEqual(['two']);
  });
});
