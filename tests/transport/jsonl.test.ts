// The JSONL transport in memory: a stream channel over PassThrough streams, its OutputWriter and an
// RpcConnection, as src/server/server.ts wires them. Each case writes raw input chunks and
// asserts the whole output.
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { OutputWriter } from '../../src/transport/output-writer.js';
import { RpcConnection } from '../../src/transport/rpc-connection.js';
import { streamChannel } from '../../src/transport/stream-channel.js';

const EMITTED_AT = 1_750_000_000_000;
/** The last request of every case: once it is answered, everything written before it has been. */
const BARRIER = { id: 'barrier', method: 'echo', params: {} };

interface Pipe {
  input: PassThrough;
  /** Resolves with every line written so far, parsed, once a line satisfies `until`. */
  outputUntil(until: (message: Record<string, unknown>) => boolean): Promise<Array<Record<string, unknown>>>;
  stop(): void;
}

const open: Pipe[] = [];
afterEach(() => {
  for (const pipe of open.splice(0)) pipe.stop();
});

/** A server side whose requests answer `{ method, params }` and whose `poke` notification is answered by a `poked` notification. */
function pipe(options?: { maxLineBytes: number }): Pipe {
  const input = new PassThrough();
  const output = new PassThrough();
  const channel = streamChannel('test', input, output, options);
  const writer = new OutputWriter(channel);
  const connection: RpcConnection = new RpcConnection(writer, {
    request: ({ method, params }) => Promise.resolve({ method, params }),
    notification: (method, params) => {
      if (method === 'poke') connection.notify('poked', params, EMITTED_AT);
    },
  }, pino({ level: 'silent' }));
  const stopReading = channel.listen({ message: (text) => connection.receive(text), oversize: (maxBytes) => connection.oversize(maxBytes), end: () => {} });

  const lines: Array<Record<string, unknown>> = [];
  let rest = '';
  let waiting: { until: (message: Record<string, unknown>) => boolean; resolve: () => void } | undefined;
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const part of parts) {
      const message = JSON.parse(part) as Record<string, unknown>;
      lines.push(message);
      if (waiting?.until(message)) waiting.resolve();
    }
  });
  const outputUntil = (until: (message: Record<string, unknown>) => boolean) =>
    new Promise<Array<Record<string, unknown>>>((resolve) => {
      if (lines.some(until)) return resolve(lines);
      waiting = { until, resolve: () => resolve(lines) };
    });
  const made = {
    input,
    outputUntil,
    stop: () => {
      stopReading();
      connection.close();
    },
  };
  open.push(made);
  return made;
}

const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const answer = (id: string | number, method: string, params: unknown) => ({ id, result: { method, params } });
const parseErrorOf = (text: string) => {
  try {
    JSON.parse(text);
  } catch (error) {
    return { id: null, error: { code: -32700, message: `Parse error: ${(error as Error).message}` } };
  }
  throw new Error(`${text} parses`);
};
const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('JSONL over an RpcConnection', () => {
  const snowman = line({ id: 1, method: 'echo', params: { text: 'snow ☃ man' } });
  const splitAt = utf8(snowman).indexOf(utf8('☃')) + 1; // inside the three bytes of ☃

  it.each<[string, Array<string | Buffer>, unknown[]]>([
    ['a line split across chunks', ['{"id":1,"meth', 'od":"echo","par', 'ams":{"a":1}}\n'], [answer(1, 'echo', { a: 1 })]],
    ['a character split across chunks', [utf8(snowman).subarray(0, splitAt), utf8(snowman).subarray(splitAt)], [answer(1, 'echo', { text: 'snow ☃ man' })]],
    [
      'several lines in one chunk, answered in order',
      [line({ id: 1, method: 'a', params: {} }) + line({ id: 2, method: 'b', params: {} }) + line({ id: 3, method: 'c', params: {} })],
      [answer(1, 'a', {}), answer(2, 'b', {}), answer(3, 'c', {})],
    ],
    [
      'ids "0" and 0, each answered with its own id',
      [line({ id: '0', method: 'echo', params: { id: 'string' } }) + line({ id: 0, method: 'echo', params: { id: 'number' } })],
      [answer('0', 'echo', { id: 'string' }), answer(0, 'echo', { id: 'number' })],
    ],
    ['a client id reused after its answer', [line({ id: 7, method: 'a', params: {} }), line({ id: 7, method: 'b', params: {} })], [answer(7, 'a', {}), answer(7, 'b', {})]],
    [
      'a notification: emittedAtMs, no jsonrpc member, even when the input had one',
      [line({ jsonrpc: '2.0', method: 'poke', params: { n: 1 } })],
      [{ method: 'poked', params: { n: 1 }, emittedAtMs: EMITTED_AT }],
    ],
    ['a request with a jsonrpc member, answered without one', [line({ jsonrpc: '2.0', id: 1, method: 'echo', params: {} })], [answer(1, 'echo', {})]],
    [
      'malformed JSON answered -32700 with id null, and the next line still served',
      ['{"id":1,"method":\n', line({ id: 2, method: 'echo', params: {} })],
      [parseErrorOf('{"id":1,"method":'), answer(2, 'echo', {})],
    ],
    ['a non-object answered -32600 with id null', ['[1,2]\n'], [{ id: null, error: { code: -32600, message: 'Invalid request: a message must be a JSON object' } }]],
    ['blank and CRLF lines', ['\n  \r\n', '{"id":1,"method":"echo","params":{}}\r\n'], [answer(1, 'echo', {})]],
    [
      'a $/cancelRequest without params, or without an id, cancels nothing and the rest of its read is served',
      [line({ method: '$/cancelRequest' }) + line({ method: '$/cancelRequest', params: {} }) + line({ id: 1, method: 'echo', params: {} })],
      [answer(1, 'echo', {})],
    ],
  ])('%s', async (_name, chunks, expected) => {
    const { input, outputUntil } = pipe();
    for (const chunk of chunks) input.write(chunk);
    input.write(line(BARRIER));
    const output = await outputUntil((message) => message.id === BARRIER.id);
    expect(output).toEqual([...expected, answer(BARRIER.id, 'echo', {})]);
  });

  it('serves a line split across 20,000 chunks, one byte at a time at its ends', async () => {
    const { input, outputUntil } = pipe();
    const text = 'é'.repeat(100_000); // two bytes each: chunk ends fall inside characters
    const bytes = utf8(line({ id: 'long', method: 'echo', params: { text } }));
    const size = Math.ceil(bytes.length / 20_000);
    for (let at = 0; at < bytes.length; at += size) input.write(bytes.subarray(at, at + size));
    expect(await outputUntil((message) => message.id === 'long')).toEqual([answer('long', 'echo', { text })]);
  });

  it('serves a last line that has no newline once the input ends', async () => {
    const { input, outputUntil } = pipe();
    input.end('{"id":"last","method":"echo","params":{}}');
    expect(await outputUntil((message) => message.id === 'last')).toEqual([answer('last', 'echo', {})]);
  });

  describe('a line over the maximum size', () => {
    const MAX = 64;
    const tooLong = { id: null, error: { code: -32600, message: `Invalid request: line longer than the maximum of ${MAX} bytes; discarded unread`, data: { maxLineBytes: MAX } } };
    const bare = { id: 1, method: 'echo', params: { pad: '' } };
    /** Room for the pad in a line of MAX bytes: 20 bytes. */
    const room = MAX - JSON.stringify(bare).length;
    const padded = (pad: string) => line({ ...bare, params: { pad } });

    it('is served at exactly the maximum', async () => {
      const { input, outputUntil } = pipe({ maxLineBytes: MAX });
      input.write(padded('x'.repeat(room)));
      input.write(line({ id: 2, method: 'e', params: {} }));
      const output = await outputUntil((message) => message.id === 2);
      expect(output).toEqual([answer(1, 'echo', { pad: 'x'.repeat(room) }), answer(2, 'e', {})]);
    });

    it('is answered -32600 with id null, and the lines after it are served', async () => {
      const { input, outputUntil } = pipe({ maxLineBytes: MAX });
      input.write(padded('x'.repeat(room + 1)) + line({ id: 2, method: 'e', params: {} }));
      expect(await outputUntil((message) => message.id === 2)).toEqual([tooLong, answer(2, 'e', {})]);
    });

    it('is answered as soon as it crosses the maximum, before its newline arrives, and the rest of it is dropped', async () => {
      const { input, outputUntil } = pipe({ maxLineBytes: MAX });
      input.write(`{"id":1,"method":"echo","params":{"pad":"${'x'.repeat(MAX)}`);
      expect(await outputUntil((message) => message.id === null)).toEqual([tooLong]);
      // The rest of the line, in many chunks, then its newline and a request in the same chunk.
      for (let i = 0; i < 100; i++) input.write('x'.repeat(MAX));
      input.write(`"}}\n${line({ id: 2, method: 'e', params: {} })}`);
      expect(await outputUntil((message) => message.id === 2)).toEqual([tooLong, answer(2, 'e', {})]);
    });

    it('counts bytes, not characters', async () => {
      const { input, outputUntil } = pipe({ maxLineBytes: MAX });
      const pad = '€'.repeat(room / 2); // 10 characters, 30 bytes
      expect(JSON.stringify({ ...bare, params: { pad } }).length).toBeLessThan(MAX);
      input.write(padded(pad));
      input.write(line({ id: 2, method: 'e', params: {} }));
      expect(await outputUntil((message) => message.id === 2)).toEqual([tooLong, answer(2, 'e', {})]);
    });
  });
});
