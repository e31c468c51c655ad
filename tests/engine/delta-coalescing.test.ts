// How ThreadRuntime writes deltas: published one by one, each with its own seq, and written as runs
// of consecutive deltas of one item, channel and index (one row, the parts' lengths kept) before
// the next durable event. Real SQLite; the log is read back as whole events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeelEvent } from '../../src/core/events.js';
import { replay } from '../../src/core/reduce.js';
import { ThreadRuntime } from '../../src/engine/thread-runtime.js';
import { openDatabase, type KeelDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { agentMessage, created, ev } from '../core/fixtures.js';
import { notifying } from '../helpers/engine.js';

let database: KeelDatabase | undefined;
let dir: string | undefined;
afterEach(async () => {
  await database?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  database = dir = undefined;
});

async function runtimeWithLog(): Promise<{ runtime: ThreadRuntime; log: EventLog; heard: string[] }> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-deltas-'));
  database = await openDatabase(path.join(dir, 'keel.db'));
  const log = new EventLog(database);
  const runtime = new ThreadRuntime(undefined, log);
  const heard: string[] = [];
  runtime.subscribers.add(notifying((method, params, _at, seq) => heard.push(`${seq} ${method}${/delta$/i.test(method) ? ` ${(params as { delta: string }).delta}` : ''}`)));
  runtime.apply([created()]);
  return { runtime, log, heard };
}

const turn = ev('turn/started', 1100, { turnId: 'u1', model: 'm' });
const startA = ev('item/started', 1101, { turnId: 'u1', itemId: 'a', item: agentMessage('a', '') });
const startB = ev('item/started', 1102, { turnId: 'u1', itemId: 'b', item: { type: 'reasoning', id: 'b', summary: [], content: [] } });
const delta = (itemId: string, at: number, text: string, channel: 'agentMessage' | 'reasoningText' = 'agentMessage', index = 0) =>
  ev('item/delta', at, { turnId: 'u1', itemId, channel, index, delta: text });

/** The log without its creation event, as (type, at, and the delta text where there is one). */
function logged(log: EventLog): Array<[string, number, string?]> {
  return log
    .read('t1')
    .slice(1)
    .map((e: KeelEvent) => (e.type === 'item/delta' ? [e.type, e.at, `${e.itemId}:${e.channel}:${e.index}:${e.delta}${e.parts ? ` ${JSON.stringify(e.parts)}` : ''}`] : [e.type, e.at]));
}

describe('delta coalescing', () => {
  it('publishes every delta at once with its own seq and writes each run of them as one row before the next durable event', async () => {
    const { runtime, log, heard } = await runtimeWithLog();
    runtime.apply([turn, startA, startB]);
    for (const [at, text] of [[1110, 'Hel'], [1111, 'lo'], [1112, '!']] as const) runtime.apply([delta('a', at, text)]);
    runtime.apply([delta('b', 1113, 'think', 'reasoningText', 0), delta('b', 1114, 'ing', 'reasoningText', 0), delta('b', 1115, 'more', 'reasoningText', 1)]);
    expect(logged(log)).toEqual([['turn/started', 1100], ['item/started', 1101], ['item/started', 1102]]);
    expect(heard.filter((h) => /delta /i.test(h))).toEqual([
      '5 item/agentMessage/delta Hel',
      '6 item/agentMessage/delta lo',
      '7 item/agentMessage/delta !',
      '8 item/reasoning/textDelta think',
      '9 item/reasoning/textDelta ing',
      '10 item/reasoning/textDelta more',
    ]);

    runtime.apply([ev('turn/tokenUsage', 1120, { turnId: 'u1', last: usageOf(3), modelContextWindow: null })]);
    expect(logged(log).slice(3)).toEqual([
      ['item/delta', 1112, 'a:agentMessage:0:Hello! [3,2,1]'],
      ['item/delta', 1114, 'b:reasoningText:0:thinking [5,3]'],
      ['item/delta', 1115, 'b:reasoningText:1:more'],
      ['turn/tokenUsage', 1120],
    ]);
    expect(runtime.lastSeq).toBe(11);
    expect(log.load('t1').lastSeq).toBe(11);
  });

  it("keeps a completed item's deltas (a client resuming mid-item needs them) and splits runs that interleave", async () => {
    const { runtime, log } = await runtimeWithLog();
    runtime.apply([turn, startA, startB]);
    runtime.apply([delta('a', 1110, 'Hel'), delta('b', 1111, 'hmm', 'reasoningText'), delta('a', 1112, 'lo')]);
    runtime.apply([ev('item/completed', 1113, { turnId: 'u1', itemId: 'a', item: agentMessage('a', 'Hello') })]);
    expect(logged(log).slice(3)).toEqual([
      ['item/delta', 1110, 'a:agentMessage:0:Hel'],
      ['item/delta', 1111, 'b:reasoningText:0:hmm'],
      ['item/delta', 1112, 'a:agentMessage:0:lo'],
      ['item/completed', 1113],
    ]);
    // The state the log replays to is the state in memory.
    expect(replay(log.read('t1'))).toEqual(runtime.state);
  });

  it('flush writes what is buffered; nothing is written twice', async () => {
    const { runtime, log } = await runtimeWithLog();
    runtime.apply([turn, startA, delta('a', 1110, 'one '), delta('a', 1111, 'two')]);
    runtime.flush();
    runtime.flush();
    runtime.apply([delta('a', 1112, ' three')]);
    runtime.close();
    expect(logged(log).slice(2)).toEqual([
      ['item/delta', 1111, 'a:agentMessage:0:one two [4,3]'],
      ['item/delta', 1112, 'a:agentMessage:0: three'],
    ]);
    expect(runtime.state.turns.length).toBe(1);
  });
});

function usageOf(n: number) {
  return { totalTokens: n, inputTokens: n, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0 };
}
