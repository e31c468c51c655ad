// The writer's hard cap: output a client leaves untaken past the limit is dropped at once, the
// writer closes, and the overflow is told once, with how much was buffered.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { codexDialect } from '../../src/transport/dialect.js';
import { OutputWriter } from '../../src/transport/output-writer.js';
import { streamChannel } from '../../src/transport/stream-channel.js';

/** A stream nobody reads, taking at most 100 bytes before it reports backpressure. */
const unread = () => new PassThrough({ highWaterMark: 100 });
/** A channel writing lines to `output` (its input is never read here). */
const over = (output: PassThrough) => streamChannel('test', new PassThrough(), output);
const delta = (n: number) => ({ delta: 'x'.repeat(n) });

describe('the output limit', () => {
  it('drops the output and tells once when what the client has not taken passes the limit', () => {
    const writer = new OutputWriter(over(unread()), { limitBytes: () => 1_000 });
    const overflows: Array<[number, number]> = [];
    writer.onOverflow((buffered, limit) => overflows.push([buffered, limit]));
    const line = JSON.stringify({ method: 'm', params: delta(300), emittedAtMs: 1 }).length + 1;
    for (let i = 0; i < 10; i++) writer.send(codexDialect.notification('m', delta(300), 1, undefined));
    expect(overflows).toEqual([[line * 3, 1_000]]); // the third line passes 1000 bytes
    expect(writer.bufferedBytes()).toBe(0);
    expect(writer.whenWritable()).toBeNull();
  });

  it('counts what the stream holds: a client that takes its output never reaches the limit', async () => {
    const output = new PassThrough();
    const writer = new OutputWriter(over(output), { limitBytes: () => 1_000 });
    const overflows: number[] = [];
    writer.onOverflow((buffered) => overflows.push(buffered));
    let taken = 0;
    output.on('data', (chunk: Buffer) => (taken += chunk.length));
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 2; i++) writer.send(codexDialect.notification('m', delta(300), 1, undefined));
      await writer.flush();
    }
    expect(overflows).toEqual([]);
    expect(taken).toBeGreaterThan(3_000);
  });

  it('asks the limit on every message, so a changed limit applies to the next one', () => {
    let limit = 1_000_000;
    const writer = new OutputWriter(over(unread()), { limitBytes: () => limit });
    const overflows: number[] = [];
    writer.onOverflow((_buffered, limitBytes) => overflows.push(limitBytes));
    writer.send(codexDialect.notification('m', delta(300), 1, undefined));
    limit = 100;
    writer.send(codexDialect.notification('m', delta(1), 1, undefined));
    expect(overflows).toEqual([100]);
  });
});
