// The WebSocket adapter in-process: a real ws server and client on a loopback port. Each frame is
// one message (pretty-printed or binary alike), each message sent is one frame, a write completes
// once the socket has taken it, and the client's close ends the input and closes the output.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Channel } from '../../src/transport/channel.js';
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

/** Listens to the channel until `count` messages have come, and stops. */
function readMessages(channel: Channel, count: number): Promise<string[]> {
  return new Promise((resolve) => {
    const messages: string[] = [];
    const stop = channel.listen({
      message: (text) => {
        messages.push(text);
        if (messages.length === count) {
          stop();
          resolve(messages);
        }
      },
      oversize: () => {},
      end: () => {},
    });
  });
}

/** Writes `texts` and resolves once the channel says they were taken. */
function written(channel: Channel, texts: string[]): Promise<void> {
  return new Promise((resolve, reject) => channel.write(texts, (error) => (error ? reject(error) : resolve())));
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
  it('reads each frame as one message: pretty-printed JSON stays one message, a binary frame is read as text', async () => {
    const { channel, client } = await pair();
    const messages = readMessages(channel, 3);
    const message = { id: 1, method: 'initialize', params: { clientInfo: { name: 'two\nlines' } } };
    const pretty = JSON.stringify(message, null, 2).replace(/\n/g, '\r\n');
    client.send(pretty);
    client.send(Buffer.from('{"id":2,"method":"x"}'), { binary: true });
    client.send('{"id":3}');
    expect(await messages).toEqual([pretty, '{"id":2,"method":"x"}', '{"id":3}']);
    expect(JSON.parse((await messages)[0]!)).toEqual(message);
  });

  it('sends each message written as one text frame, and completes the write once the socket took them', async () => {
    const { channel, client } = await pair();
    const frames = framesFrom(client, 3);
    const first = written(channel, ['{"id":1,"result":{}}', '{"method":"a","emittedAtMs":1}']);
    const second = written(channel, ['{"id":2,"result":null}']);
    expect(channel.queuedBytes()).toBe('{"id":1,"result":{}}{"method":"a","emittedAtMs":1}{"id":2,"result":null}'.length);
    await Promise.all([first, second, written(channel, [])]);
    expect(await frames).toEqual([
      { text: '{"id":1,"result":{}}', binary: false },
      { text: '{"method":"a","emittedAtMs":1}', binary: false },
      { text: '{"id":2,"result":null}', binary: false },
    ]);
    expect(channel.queuedBytes()).toBe(0);
  });

  it('holds the socket paused until the channel is listened to', async () => {
    const { channel, client, server } = await pair();
    const frame = JSON.stringify({ method: 'm', params: { text: 'x'.repeat(1024) } });
    let received = 0;
    server.on('message', () => received++);
    for (let i = 0; i < 64; i++) client.send(frame);
    expect(server.isPaused).toBe(true);
    expect(await readMessages(channel, 64)).toEqual(Array(64).fill(frame));
    expect(received).toBe(64);
    expect(server.isPaused).toBe(false);
  });

  it('holds what arrives while paused, pauses the socket past a few frames, and hands them all over in order on resume', async () => {
    const { channel, client, server } = await pair();
    const frame = (n: number) => JSON.stringify({ method: 'm', params: { n, text: 'x'.repeat(1024) } });
    const messages = readMessages(channel, 1024);
    channel.pause();
    let received = 0;
    server.on('message', () => received++);
    // 1 MiB: a paused socket stops reading, so only the frames of the reads already made arrive.
    for (let i = 0; i < 1024; i++) client.send(frame(i));
    await until(() => server.isPaused);
    expect(received).toBeLessThan(1024);
    channel.resume();
    expect(await messages).toEqual(Array.from({ length: 1024 }, (_, i) => frame(i)));
    expect(server.isPaused).toBe(false);
  });

  it('ends the input and closes the output when the client closes', async () => {
    const { channel, client } = await pair();
    const ended = new Promise<string>((resolve) => channel.listen({ message: () => {}, oversize: () => {}, end: () => resolve('ended') }));
    const closed = new Promise<Error | undefined>((resolve) => channel.onClosed(resolve));
    client.close();
    expect(await Promise.all([ended, closed])).toEqual(['ended', undefined]);
  });

  it('closes a socket paused because its input was not read', async () => {
    const { channel, client, server } = await pair();
    for (let i = 0; i < 1024; i++) client.send(JSON.stringify({ method: 'm', params: { text: 'x'.repeat(1024) } }));
    await until(() => server.isPaused);
    const closed = new Promise((resolve) => channel.onClosed(resolve));
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
