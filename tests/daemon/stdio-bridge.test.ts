// The proxy's bridge in one process: stdin and stdout are streams the test holds, the daemon is a
// WebSocket server on a Unix socket. Congestion on either side pauses the other, and nothing is
// lost or reordered.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { openDaemonSocket, type DaemonConnection } from '../../src/cli/daemon/daemon-socket.js';
import { bridgeStdio } from '../../src/cli/daemon/stdio-bridge.js';
import { startWsUnixServer, type FixtureServer } from '../helpers/ws-unix-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ server: FixtureServer; socket: DaemonConnection['socket']; daemon: DaemonConnection }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bridge-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const server = await startWsUnixServer(path.join(dir, 's.sock'), { answer: null });
  cleanups.push(() => server.close());
  const daemon = await openDaemonSocket(server.socketPath);
  cleanups.push(() => daemon.socket.terminate());
  return { server, socket: daemon.socket, daemon };
}

/** A stdout whose reader can stop: while held, writes are not taken (so `write` soon returns false). */
class HeldOutput extends Writable {
  readonly lines: string[] = [];
  private held: Array<() => void> | null = [];
  private rest = '';
  constructor() {
    super({ highWaterMark: 1024, decodeStrings: false });
  }
  override _write(chunk: string, _encoding: BufferEncoding, done: () => void): void {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop()!;
    this.lines.push(...parts);
    if (this.held === null) done();
    else this.held.push(done);
  }
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    held.forEach((done) => done());
  }
}

const numbered = (count: number, pad: number) => Array.from({ length: count }, (_, i) => JSON.stringify({ method: 'note', params: { n: i, pad: 'x'.repeat(pad) } }));

describe('bridgeStdio', () => {
  it('pauses stdin while the daemon does not read, and delivers every line in order once it does', async () => {
    const { server, socket, daemon } = await setup();
    const input = new PassThrough();
    const bridge = bridgeStdio(input, new HeldOutput(), daemon, { highWaterBytes: 64 * 1024, lowWaterBytes: 16 * 1024 });
    const connection = await server.connection();
    connection.socket.pause();
    const lines = numbered(20_000, 200);
    input.write(lines.map((line) => `${line}\n`).join(''));
    await expect.poll(() => input.isPaused(), { timeout: 10_000 }).toBe(true);
    expect(connection.received.length).toBeLessThan(lines.length);
    connection.socket.resume();
    await expect.poll(() => connection.received.length, { timeout: 20_000 }).toBe(lines.length);
    expect(connection.received).toEqual(lines);
    expect(input.isPaused()).toBe(false);
    input.end();
    expect(await bridge.ended).toEqual({ reason: 'closed-by-client' });
    expect(await connection.closed).toEqual({ code: 1000, reason: 'stdin ended' });
  }, 40_000);

  it('pauses the socket while stdout is congested, and writes every frame as a line in order once it flows', async () => {
    const { server, socket, daemon } = await setup();
    const output = new HeldOutput();
    const input = new PassThrough();
    bridgeStdio(input, output, daemon);
    const connection = await server.connection();
    const frames = numbered(20_000, 200);
    for (const frame of frames) connection.socket.send(frame);
    await expect.poll(() => socket.isPaused, { timeout: 10_000 }).toBe(true);
    expect(output.lines.length).toBeLessThan(frames.length);
    output.release();
    await expect.poll(() => output.lines.length, { timeout: 20_000 }).toBe(frames.length);
    expect(output.lines).toEqual(frames);
    expect(socket.isPaused).toBe(false);
  }, 40_000);

  it('answers a line over the maximum itself, as the stdio server does, and forwards the lines after it', async () => {
    const { server, socket, daemon } = await setup();
    const output = new HeldOutput();
    output.release();
    const input = new PassThrough();
    bridgeStdio(input, output, daemon, { maxLineBytes: 100 });
    const connection = await server.connection();
    input.write(`{"id":1,"method":"x","params":"${'y'.repeat(200)}"}\n{"id":2,"method":"x"}\n`);
    await expect.poll(() => connection.received).toEqual(['{"id":2,"method":"x"}']);
    expect(output.lines).toEqual([
      '{"id":null,"error":{"code":-32600,"message":"Invalid request: line longer than the maximum of 100 bytes; discarded unread","data":{"maxLineBytes":100}}}',
    ]);
  });

  it('a connection the daemon closed before the bridge was set up still ends it, with the close code', async () => {
    const { server, daemon } = await setup();
    (await server.connection()).socket.close(1001, 'bye');
    await daemon.closed;
    const bridge = bridgeStdio(new PassThrough(), new HeldOutput(), daemon);
    expect(await bridge.ended).toEqual({ reason: 'closed-by-daemon', code: 1001, text: 'bye' });
  });

  it('after stdin ends, closes only once the requests sent are answered', async () => {
    const { server, socket, daemon } = await setup();
    const output = new HeldOutput();
    output.release();
    const input = new PassThrough();
    const bridge = bridgeStdio(input, output, daemon);
    const connection = await server.connection();
    input.end('{"id":"a","method":"slow"}\n{"method":"initialized"}\n{"id":7,"method":"slow"}\n');
    await expect.poll(() => connection.received.length).toBe(3);
    connection.socket.send('{"id":"a","result":{}}');
    connection.socket.send('{"method":"still/here"}');
    await expect.poll(() => output.lines.length).toBe(2);
    // Both requests were read before EOF; one is still unanswered, so the socket stays open.
    expect(connection.socket.readyState).toBe(connection.socket.OPEN);
    connection.socket.send('{"id":7,"error":{"code":-1,"message":"no"}}');
    expect(await bridge.ended).toEqual({ reason: 'closed-by-client' });
    expect(output.lines).toEqual(['{"id":"a","result":{}}', '{"method":"still/here"}', '{"id":7,"error":{"code":-1,"message":"no"}}']);
    expect(await connection.closed).toEqual({ code: 1000, reason: 'stdin ended' });
  });
});
