// Keel's SSE reader as a table: a body in chunks (split anywhere, even inside a character or a
// CRLF) → the messages of each network read. Its speed on huge events is bench/huge-input.mjs's.
import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from '../../src/providers/sse.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

function body(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? bytes(chunk) : chunk);
      controller.close();
    },
  });
}

/** Every network read's messages, in order. */
async function reads(chunks: Array<string | Uint8Array>): Promise<SseMessage[][]> {
  const out: SseMessage[][] = [];
  for await (const messages of readSse(body(chunks))) out.push(messages);
  return out;
}

/** `count` chunks of (nearly) equal size. */
function split(text: string, count: number): Uint8Array[] {
  const all = bytes(text);
  const size = Math.ceil(all.length / count);
  const out: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += size) out.push(all.subarray(at, at + size));
  return out;
}

const snowman = 'event: a\ndata: snow ☃ man\n\n';
const insideSnowman = bytes(snowman).indexOf(bytes('☃')) + 1;

describe('readSse', () => {
  it.each<[string, Array<string | Uint8Array>, SseMessage[][]]>([
    ['one event per read', ['event: a\ndata: {"x":1}\n\n', 'data: 2\n\n'], [[{ event: 'a', data: '{"x":1}' }], [{ event: null, data: '2' }]]],
    ['several events in one read', ['data: 1\n\ndata: 2\n\n'], [[{ event: null, data: '1' }, { event: null, data: '2' }]]],
    ['an event split across reads', ['ev', 'ent: a\nda', 'ta: x', 'y\n', '\n'], [[{ event: 'a', data: 'xy' }]]],
    ['a character split across reads', [bytes(snowman).subarray(0, insideSnowman), bytes(snowman).subarray(insideSnowman)], [[{ event: 'a', data: 'snow ☃ man' }]]],
    ['CRLF line ends, split between CR and LF', ['data: 1\r', '\n\r\n'], [[{ event: null, data: '1' }]]],
    ['data lines joined by newlines; no space after the colon', ['data:a\ndata: b\n\n'], [[{ event: null, data: 'a\nb' }]]],
    ['comments, ids and retries carry nothing', [': keep-alive\nid: 7\nretry: 10\ndata: x\n\n'], [[{ event: null, data: 'x' }]]],
    ['a last event without its blank line', ['data: 1\n\ndata: 2\n'], [[{ event: null, data: '1' }], [{ event: null, data: '2' }]]],
    ['a last line without its newline is not a line', ['data: 1\n\ndata: 2'], [[{ event: null, data: '1' }]]],
  ])('%s', async (_name, chunks, expected) => {
    expect(await reads(chunks)).toEqual(expected);
  });

  it('reads one 4 MB event that arrives in 20,000 reads', async () => {
    const data = JSON.stringify({ delta: 'é'.repeat(2_000_000) });
    const messages = (await reads(split(`event: big\ndata: ${data}\n\ndata: next\n\n`, 20_000))).flat();
    expect(messages).toEqual([{ event: 'big', data }, { event: null, data: 'next' }]);
  });
});
