import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel, testClientInfo, type IncomingMessage, type WireId } from '../helpers/keel-process.js';

const LINES = 10_000;

type Expected =
  | { kind: 'answer'; id: WireId; check: (answer: IncomingMessage) => void }
  | { kind: 'nullAnswer'; code: number }
  | { kind: 'silent' };

function errorAnswer(code: number, message: string) {
  return (id: WireId) => (answer: IncomingMessage) => expect(answer).toEqual({ id, error: { code, message } });
}
const alreadyInitialized = errorAnswer(-32600, 'Already initialized');
const notSupported = errorAnswer(-32601, 'Method not supported by Keel: thread/realtime/start');
const noMethodNorResult = errorAnswer(
  -32600,
  'Invalid request: a message needs "method" (request or notification) or "id" with "result"/"error" (response)',
);
const diagnostics = (pid: number) => (id: WireId) => (answer: IncomingMessage) =>
  expect(answer).toEqual({ id, result: expect.objectContaining({ process: expect.objectContaining({ id: pid }) }) });

/** One flood line per kind; `n` keeps every id unique. Non-ASCII ids make chunk splits land inside UTF-8 sequences. */
function floodLine(kind: number, n: number, pid: number): { line: string; expected: Expected } {
  const id: WireId = n % 3 === 0 ? `flood-ü-${n}` : n;
  const request = (method: string, params: unknown = {}) => JSON.stringify({ id, method, params });
  const answer = (check: (id: WireId) => (answer: IncomingMessage) => void): Expected => ({ kind: 'answer', id, check: check(id) });
  switch (kind) {
    case 0:
      return { line: `{"id":${n},"method":"initialize","params":{"clientInfo":`, expected: { kind: 'nullAnswer', code: -32700 } };
    case 1:
      return { line: `[${n}]`, expected: { kind: 'nullAnswer', code: -32600 } };
    case 2:
      return { line: `{"id":${n}.5,"method":"bogus"}`, expected: { kind: 'nullAnswer', code: -32600 } };
    case 3:
      return { line: JSON.stringify({ id }), expected: answer(noMethodNorResult) };
    case 4:
      return { line: request(`bogus/${n}`), expected: answer(errorAnswer(-32601, `Method not found: bogus/${n}`)) };
    case 5:
      return { line: request('thread/realtime/start'), expected: answer(notSupported) };
    case 6:
      return { line: request('initialize', { clientInfo: testClientInfo }), expected: answer(alreadyInitialized) };
    case 7:
      return { line: request('server/diagnostics'), expected: answer(diagnostics(pid)) };
    default:
      return { line: JSON.stringify({ method: n % 2 ? 'initialized' : `some/notification/${n}` }), expected: { kind: 'silent' } };
  }
}

// A fixed-seed generator keeps the mix varied and every run identical.
function* kinds(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield state % 9;
  }
}

describe('flood', () => {
  it(`answers each of ${LINES} mixed lines exactly once and keeps serving`, async () => {
    const keel = spawnKeel();
    await initialized(keel, { experimentalApi: true });
    const kind = kinds(42);
    const flood = Array.from({ length: LINES }, (_, i) => floodLine(kind.next().value as number, 1000 + i, keel.pid));
    await keel.sendLines(flood.map((entry) => entry.line), 256 * 1024); // big chunks, split mid-line

    const withId = flood.flatMap((entry) => (entry.expected.kind === 'answer' ? [entry.expected] : []));
    const answers = await Promise.all(withId.map((expected) => keel.response(expected.id, 15_000)));
    answers.forEach((answer, i) => withId[i]!.check(answer));
    expect(await keel.request('server/diagnostics', {})).toMatchObject({ process: { id: keel.pid } });
    expect(await keel.close()).toBe(0);

    // After exit every line has been read: the answers can be counted exactly.
    const responses = keel.messages.filter((message) => message.method === undefined);
    const perId = new Map<WireId, number>();
    for (const response of responses) {
      if (response.id !== null && response.id !== undefined) perId.set(response.id, (perId.get(response.id) ?? 0) + 1);
    }
    expect([...perId].filter(([, count]) => count !== 1)).toEqual([]);
    expect(perId.size).toBe(withId.length + 2);
    const nullCodes = (list: Array<{ code: number }>) => list.map((e) => e.code).sort();
    const expectedNull = flood.flatMap((entry) => (entry.expected.kind === 'nullAnswer' ? [entry.expected] : []));
    const nullAnswers = responses.filter((response) => response.id === null);
    expect(nullCodes(nullAnswers.map((response) => response.error!))).toEqual(nullCodes(expectedNull));
    // initialize + the id-carrying flood lines + id-null rejects + the final diagnostics request.
    expect(responses.length).toBe(1 + withId.length + expectedNull.length + 1);
    expect(keel.messages.length).toBe(responses.length);
  });
});
