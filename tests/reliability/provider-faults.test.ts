// Reliability, part 3: provider faults on all three wires. One Keel per wire meets every fault
// in a PRNG-shuffled order on one thread — a stream reset mid-answer, a stream that ends cleanly
// without its completion event, a garbage body, an endless stream (the idle watchdog), a slow
// drip that does complete, HTTP 400/401/429/500 error bodies, a 200 carrying an error body (as JSON and as an event stream)
// and an HTML page with 200 —
// with `max_retries = 0`, so each fault is exactly one call. Each turn ends with exactly one
// turn/completed (failed with one `error` notification, or completed for the drip), the server
// keeps serving (a thread/read after each turn, a good turn at the end), and the fake model
// server's call count is exact after every turn.
import { describe, expect, it } from 'vitest';
import type { FakeResponse } from '../helpers/fake-model-server.js';
import { rng, shuffled, type Rng } from '../helpers/rng.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItems, errorsOf, keelWithThread, runTurn, turnOf } from '../helpers/turns.js';
import { FAULT_WIRES, type FaultWire } from './fault-wires.js';
import { reportPart, SEED } from './tally.js';

// The idle window also covers the first request's wait for its provider's SDK to load (a lazy
// chunk): at 500 ms a loaded machine running four test files at once failed a truncated Anthropic
// stream as "silent". The endless-stream fault waits this long once per wire.
const IDLE_TIMEOUT_MS = 2_000;
const DRIP_MS = 25;
const DELTAS = ['Hel', 'lo', ', ', 'wor', 'ld', '!'];
const disconnected = { responseStreamDisconnected: { httpStatusCode: null } };

interface Fault {
  name: string;
  /** What the fake serves; `text`: the agent message the turn keeps, when the fault leaves one. */
  serve(wire: FaultWire, random: Rng): { response: FakeResponse; text?: string };
  /** The turn's status, and its error's codexErrorInfo and message when it fails. */
  outcome: { status: 'completed' | 'failed'; codexErrorInfo?: unknown; message?: RegExp };
  /** The fault leaves Keel to close the connection (the endless stream). */
  clientCloses?: boolean;
}

/** Bytes that are neither SSE nor UTF-8: random bytes, stray `data:` lines with broken JSON. */
function garbage(random: Rng): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < 40; i++) {
    if (random.next() < 0.3) parts.push(Buffer.from(random.pick(['data: {"type":', 'event: \u0000\n', 'data: [DONE\n\n', ': \xff\n', '\n\n'])));
    else parts.push(Buffer.from(Array.from({ length: 1 + random.int(60) }, () => random.int(256))));
  }
  return Buffer.concat(parts);
}

/** A PRNG-chosen number of the answer's deltas (at least one), and the frames up to the last of them. */
function someDeltas(wire: FaultWire, random: Rng): { frames: number; text: string } {
  const count = 1 + random.int(DELTAS.length);
  return { frames: wire.framesBeforeText + count, text: DELTAS.slice(0, count).join('') };
}

const FAULTS: Fault[] = [
  {
    name: 'reset mid-stream',
    serve: (wire, random) => {
      const { frames, text } = someDeltas(wire, random);
      return { response: { sse: wire.answer(DELTAS), cutAfter: frames }, text };
    },
    outcome: { status: 'failed', codexErrorInfo: disconnected, message: /^stream disconnected before completion: / },
  },
  {
    name: 'truncated',
    serve: (wire) => {
      const frames = wire.answer(DELTAS);
      return { response: { sse: frames, endAfter: frames.length - wire.framesAfterText }, text: DELTAS.join('') };
    },
    outcome: { status: 'failed', codexErrorInfo: disconnected, message: /^stream disconnected before completion: the stream closed before / },
  },
  {
    name: 'garbage body',
    serve: (_wire, random) => ({ response: { raw: garbage(random) } }),
    outcome: { status: 'failed', codexErrorInfo: disconnected, message: /^stream disconnected before completion: / },
  },
  {
    name: 'endless stream',
    serve: (wire, random) => {
      const { frames, text } = someDeltas(wire, random);
      return { response: { sse: wire.answer(DELTAS), stallAfter: frames }, text };
    },
    outcome: { status: 'failed', codexErrorInfo: disconnected, message: new RegExp(`^model stream was silent for ${IDLE_TIMEOUT_MS} ms$`) },
    clientCloses: true,
  },
  {
    name: 'slow drip',
    serve: (wire) => ({ response: { sse: wire.answer(DELTAS), dripMs: DRIP_MS }, text: DELTAS.join('') }),
    outcome: { status: 'completed' },
  },
  ...[
    { status: 400, type: 'invalid_request_error', codexErrorInfo: 'badRequest' },
    { status: 401, type: 'authentication_error', codexErrorInfo: 'unauthorized' },
    { status: 429, type: 'rate_limit_error', codexErrorInfo: 'rateLimitExceeded' },
    { status: 500, type: 'api_error', codexErrorInfo: 'internalServerError' },
  ].map(({ status, type, codexErrorInfo }): Fault => ({
    name: `HTTP ${status}`,
    // retry-after: 0 so that, were it retried despite max_retries = 0, the extra call would show at once.
    serve: (wire) => ({ response: { ...wire.error(status, type, `fake ${status}`), headers: { 'retry-after': '0' } } }),
    outcome: { status: 'failed', codexErrorInfo, message: new RegExp(`^${status} fake ${status}$`) },
  })),
  {
    // A JSON answer where SSE was expected is the error it carries, in the provider's words.
    name: '200 with an error body',
    serve: (wire) => ({ response: { json: wire.error(500, 'api_error', 'an error sent as a success').json, status: 200 } }),
    outcome: { status: 'failed', codexErrorInfo: 'internalServerError', message: /^an error sent as a success$/ },
  },
  {
    // The same error sent with the event-stream content type: still the provider's words, not a cut stream.
    name: 'JSON error as text/event-stream',
    serve: (wire) => ({ response: { raw: JSON.stringify(wire.error(400, 'invalid_request_error', 'an error sent as a stream').json), headers: { 'content-type': 'text/event-stream' } } }),
    outcome: { status: 'failed', codexErrorInfo: 'badRequest', message: /^an error sent as a stream$/ },
  },
  {
    name: 'HTML page with 200',
    serve: () => ({ response: { raw: '<!doctype html><html><head><title>Gateway login</title></head><body></body></html>', headers: { 'content-type': 'text/html' } } }),
    outcome: { status: 'failed', codexErrorInfo: 'other', message: /^the provider answered with an HTML page, not a stream \(status 200\): Gateway login$/ },
  },
];

const fake = useFakeModelServer();
const counts = { faults: 0, turns: 0 };
const startedAt = Date.now();

describe('reliability: provider faults on all three wires', () => {
  it.each(FAULT_WIRES.map((wire, index) => ({ wire, index, name: wire.name })))(
    '$name: every fault ends its turn exactly once, and the server keeps serving',
    { timeout: 60_000 },
    async ({ wire, index }) => {
      if (index === 0) console.log(`reliability provider faults: seed ${SEED}`);
      const random = rng(SEED * 31 + 3 + index);
      const faults = shuffled(FAULTS, random).map((fault) => ({ ...fault, ...fault.serve(wire, random) }));
      fake.script(wire.route, [...faults.map((fault) => fault.response), { sse: wire.answer(['back']) }]);
      const setup = wire.setup(fake);
      const { keel, threadId } = await keelWithThread({ ...setup, keel: ['max_retries = 0', `stream_idle_timeout_ms = ${IDLE_TIMEOUT_MS}`], spawn: { env: setup.env } });

      for (const [call, fault] of faults.entries()) {
        const seq = await runTurn(keel, threadId, `fault: ${fault.name}`);
        const turn = turnOf(seq);
        const context = `${wire.name}, ${fault.name}: ${JSON.stringify(turn.error)}`;
        expect(fake.calls.length, context).toBe(call + 1);
        expect(turn.status, context).toBe(fault.outcome.status);
        const errors = errorsOf(seq);
        if (fault.outcome.status === 'failed') {
          expect(errors, context).toEqual([{ threadId, turnId: turn.id, willRetry: false, error: turn.error }]);
          expect(turn.error, context).toEqual({ message: expect.stringMatching(fault.outcome.message!), codexErrorInfo: fault.outcome.codexErrorInfo, additionalDetails: null });
        } else expect(errors, context).toEqual([]);
        // What streamed before the fault is kept; nothing is made up when nothing streamed.
        const answers = completedItems(seq).filter((item) => item.type === 'agentMessage');
        expect(answers, context).toEqual(fault.text === undefined ? [] : [expect.objectContaining({ text: fault.text })]);
        if (fault.clientCloses) await fake.waitForClientClose(call + 1);
        // The server keeps serving, and stores the turn as it reported it.
        const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
        expect(thread.turns.at(-1), context).toMatchObject({ id: turn.id, status: turn.status, error: turn.error });
        counts.faults++;
        counts.turns++;
      }
      expect(turnOf(await runTurn(keel, threadId, 'and now a good answer'))).toMatchObject({ status: 'completed', items: [{ type: 'agentMessage', text: 'back' }] });
      counts.turns++;
      expect(fake.calls.length).toBe(faults.length + 1);
      expect(await keel.close()).toBe(0);

      // After exit all output is in: each turn ended exactly once.
      const ends = keel.messages.filter((m) => m.method === 'turn/completed').map((m) => (m.params as { turn: { id: string } }).turn.id);
      expect(ends.length).toBe(faults.length + 1);
      expect(new Set(ends).size).toBe(ends.length);
      console.log(`reliability provider faults, ${wire.name}: ${faults.map((f) => f.name).join(', ')}`);
      if (index === FAULT_WIRES.length - 1) reportPart('provider-faults', counts, startedAt);
    },
  );
});
