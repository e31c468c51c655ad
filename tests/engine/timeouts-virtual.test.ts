// The turn's timers in virtual time: the engine in-process (openTestKeel) on a manual clock
// (KeelOptions.clock), the scripted provider stalling. The defaults — five minutes of silence, an
// hour per turn — are checked as they are, to the millisecond, in no time and with no race
// against the machine's load (the e2e tests check the same with short limits on the real clock).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireNotification } from '../../src/core/codec.js';
import { openTestKeel, RecordingSubscriber, type TestKeel } from '../helpers/engine.js';
import { manualClock, type ManualClock } from '../helpers/manual-clock.js';

const text = (t: string) => ({ type: 'text' as const, text: t, text_elements: [] });

let opened: TestKeel | undefined;
afterEach(async () => {
  await opened?.keel.close();
  opened?.cleanup();
  opened = undefined;
});

/** A macrotask turn: every promise a fired timer settled has run by then. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function stalledTurn(keelTable: string[]): Promise<{ clock: ManualClock; client: RecordingSubscriber; threadId: string; turnId: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-virtual-time-'));
  const script = path.join(home, 'script.json');
  fs.writeFileSync(script, JSON.stringify({ responses: [[{ text: 'partial ' }, { stall: true }]] }));
  fs.writeFileSync(path.join(home, 'config.toml'), ['[keel]', ...keelTable].join('\n') + '\n');
  const clock = manualClock(Date.UTC(2026, 0, 1));
  opened = await openTestKeel({ env: { KEEL_SCRIPT: script }, clock }, home);
  const { keel } = opened;
  const client = new RecordingSubscriber();
  const started = await keel.threads.start({}, client);
  started.publish();
  const threadId = started.value.id;
  const turn = await keel.threads.startTurn(threadId, { input: [text('go')], settings: {}, options: { summary: null, outputSchema: null } }, client);
  turn.publish();
  // The stream is open once its first delta is out; by then the watchdog and the idle timer are set.
  await client.waitFor((n) => n.method === 'item/agentMessage/delta');
  return { clock, client, threadId, turnId: turn.value.id };
}

const completedOf = (client: RecordingSubscriber): WireNotification[] => client.received.filter((n) => n.method === 'turn/completed');

describe('turn timers on a manual clock', () => {
  it('fails a stream silent for stream_idle_timeout_ms (300000 by default) at that moment, not a millisecond before', async () => {
    const { clock, client, threadId, turnId } = await stalledTurn(['max_retries = 0']);
    clock.advance(299_999);
    await settle();
    expect(completedOf(client)).toEqual([]);
    clock.advance(1);
    const completed = await client.waitFor((n) => n.method === 'turn/completed');
    const error = { message: 'model stream was silent for 300000 ms', codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } }, additionalDetails: null };
    expect(completed.params).toEqual({
      threadId,
      turn: { id: turnId, items: [], itemsView: 'notLoaded', status: 'failed', error, startedAt: expect.any(Number), completedAt: expect.any(Number), durationMs: 300_000 },
    });
  });

  it('fails a turn that outlives turn_timeout_ms (3600000 by default) while its stream is open, at that moment', async () => {
    // The stream's idle timer is set past the turn's hour, so the watchdog is what ends it.
    const { clock, client, threadId, turnId } = await stalledTurn(['max_retries = 0', 'stream_idle_timeout_ms = 7200000']);
    clock.advance(3_599_999);
    await settle();
    expect(completedOf(client)).toEqual([]);
    clock.advance(1);
    const completed = await client.waitFor((n) => n.method === 'turn/completed');
    const error = { message: 'turn exceeded 3600000 ms', codexErrorInfo: 'other', additionalDetails: null };
    expect(completed.params).toEqual({
      threadId,
      turn: { id: turnId, items: [], itemsView: 'notLoaded', status: 'failed', error, startedAt: expect.any(Number), completedAt: expect.any(Number), durationMs: 3_600_000 },
    });
    expect(client.received.filter((n) => n.method === 'error').map((n) => n.params)).toEqual([{ threadId, turnId, willRetry: false, error }]);
  });
});
