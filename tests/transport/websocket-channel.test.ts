// The WebSocket adapter in-process: a real ws server and client on a loopback port. Frames become
// lines (one message each, pretty-printed or binary alike), lines become frames, a write completes
// once the socket has taken it, and the client's close ends both streams.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Channel } from '../../src/server/channel.js';
import { websocketChannel } from '../../src/server/listeners/websocket-channel.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** A server-side channel and the client connected to it. */
async function pair(): Promise<{ channel: Channel; client: WebSocket; server: WebSocket }> {
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ server: httpServer });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    wss.close();
    httpServer.close();
    httpServer.closeAllConnections();
  });
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
  cleanups.push(() => client.terminate());
  await new Promise((resolve) => client.once('open', resolve));
  const server = await accepted;
  return { channel: websocketChannel(server, 'ws#1'), client, server };
}

/** Reads `count` lines from the channel's input. */
function readLines(channel: Channel, count: number): Promise<string[]> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    let rest = '';
    const onData = (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop()!;
      lines.push(...parts);
      if (lines.length >= count) {
        channel.input.off('data', onData);
        resolve(lines.slice(0, count));
      }
    };
    channel.input.on('data', onData);
  });
}

function framesFrom(client: WebSocket, count: number): Promise<Array<{ text: string; binary: boolean }>> {
  return new Promise((resolve) => {
    const frames: Array<{ text: string; binary: boolean }> = [];
    client.on('message', (data, binary) => {
      frames.push({ text: String(data), binary });
      if (frames.length === count) resolve(frames);
    });
  });
}

describe('websocketChannel', () => {
  it('reads each frame as one line: pretty-printed JSON stays one message, a binary frame is read as text', async () => {
    const { channel, client } = await pair();
    const lines = readLines(channel, 3);
    const message = { id: 1, method: 'initialize', params: { clientInfo: { name: 'two\nlines' } } };
    const pretty = JSON.stringify(message, null, 2);
    client.send(pretty.replace(/\n/g, '\r\n'));
    client.send(Buffer.from('{"id":2,"method":"x"}'), { binary: true });
    client.send('{"id":3}');
    expect(await lines).toEqual([pretty.replace(/\n/g, '  '), '{"id":2,"method":"x"}', '{"id":3}']);
    expect(JSON.parse((await lines)[0]!)).toEqual(message);
  });

  it('sends each line written as one text frame, and completes the write once the socket took them', async () => {
    const { channel, client } = await pair();
    const frames = framesFrom(client, 3);
    const written = new Promise<void>((resolve, reject) => channel.output.write('{"id":1,"result":{}}\n{"method":"a","emittedAtMs":1}\n', (error) => (error ? reject(error) : resolve())));
    channel.output.write('{"id":2,"result":null}\n');
    await written;
    expect(await frames).toEqual([
      { text: '{"id":1,"result":{}}', binary: false },
      { text: '{"method":"a","emittedAtMs":1}', binary: false },
      { text: '{"id":2,"result":null}', binary: false },
    ]);
    expect(channel.output.writableLength).toBe(0);
  });

  it("pauses the socket while the input is not read, and resumes it when it is", async () => {
    const { channel, client, server } = await pair();
    const frame = JSON.stringify({ method: 'm', params: { text: 'x'.repeat(1024) } });
    let received = 0;
    server.on('message', () => received++);
    // 1 MiB: a paused socket stops reading, so only the frames of the reads already made arrive.
    for (let i = 0; i < 1024; i++) client.send(frame);
    await until(() => server.isPaused);
    expect(received).toBeLessThan(1024);
    const lines = readLines(channel, 1024);
    expect(await lines).toEqual(Array(1024).fill(frame));
    expect(server.isPaused).toBe(false);
  });

  it("ends the input and closes the output when the client closes", async () => {
    const { channel, client } = await pair();
    const ended = new Promise((resolve) => channel.input.once('end', resolve));
    const closed = new Promise((resolve) => channel.output.once('close', resolve));
    channel.input.resume();
    client.close();
    await Promise.all([ended, closed]);
    expect(channel.output.destroyed).toBe(true);
  });

  it('closes a socket paused because its input was not read', async () => {
    const { channel, client, server } = await pair();
    for (let i = 0; i < 1024; i++) client.send(JSON.stringify({ method: 'm', params: { text: 'x'.repeat(1024) } }));
    await until(() => server.isPaused);
    const closed = new Promise((resolve) => channel.output.once('close', resolve));
    await channel.close('abort');
    await closed;
  });

  it('closes gracefully with 1001, or cuts the socket', async () => {
    const graceful = await pair();
    const code = new Promise((resolve) => graceful.client.once('close', (closeCode) => resolve(closeCode)));
    await graceful.channel.close('graceful');
    expect(await code).toBe(1001);
    const aborted = await pair();
    const cut = new Promise((resolve) => aborted.client.once('close', (closeCode) => resolve(closeCode)));
    await aborted.channel.close('abort');
    expect(await cut).toBe(1006);
  });
});

/** Waits for `condition`, checking after each turn of the event loop (5 s at most). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
