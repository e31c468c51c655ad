// A WebSocket as the pair of JSONL streams serveConnection reads and writes, so the connection
// code is the same for every transport. One JSON-RPC message per text frame each way:
// - in: each frame becomes one line. A frame may hold pretty-printed JSON; raw CR and LF are
//   whitespace there (inside a JSON string they are invalid anyway), so they become spaces and the
//   frame stays one message. Binary frames are read as UTF-8 text, like text frames.
// - out: each line written is sent as one text frame. A write completes when the socket has taken
//   its frames, so the Writable's buffered length is what the client has not taken yet: the
//   writer's backpressure and output limit see a slow WebSocket client as they see a slow pipe.
import { Readable, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Channel } from '../channel.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const NEWLINE = Buffer.from('\n');

/** The frame's bytes with CR and LF as spaces (copied only when it holds any). */
function asOneLine(data: Buffer): Buffer {
  if (!data.includes(LF) && !data.includes(CR)) return data;
  const line = Buffer.from(data);
  for (let i = 0; i < line.length; i++) if (line[i] === LF || line[i] === CR) line[i] = SPACE;
  return line;
}

function frameBytes(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** Sends each non-empty line of `chunk` as a text frame; `done` once the socket has taken them all. */
function sendLines(ws: WebSocket, chunk: string, done: (error?: Error | null) => void): void {
  const lines = chunk.split('\n').filter((line) => line !== '');
  if (lines.length === 0) return done();
  let left = lines.length;
  let failure: Error | undefined;
  const sent = (error?: Error) => {
    failure ??= error;
    if (--left === 0) done(failure ?? null);
  };
  for (const line of lines) ws.send(line, sent);
}

/** How long a graceful close waits for the client's close frame before cutting the socket. */
const CLOSE_GRACE_MS = 1_000;

export function websocketChannel(ws: WebSocket, label: string): Channel {
  // Reading pauses the socket while serveConnection is not reading (it pauses its input when its
  // own client stops reading), so a client cannot queue unbounded requests either.
  const input = new Readable({
    read() {
      if (ws.isPaused) ws.resume();
    },
  });
  let closing = false;
  ws.on('message', (data, _isBinary) => {
    if (closing || input.destroyed || input.readableEnded) return;
    input.push(asOneLine(frameBytes(data)));
    if (!input.push(NEWLINE)) ws.pause();
  });
  const output = new Writable({
    decodeStrings: false,
    write: (chunk: string | Buffer, _encoding, callback) => sendLines(ws, chunk.toString(), callback),
  });
  // An error is followed by 'close'; the close is what ends the streams.
  ws.on('error', () => {});
  ws.once('close', () => {
    input.push(null);
    output.destroy();
  });
  return {
    label,
    input,
    output,
    close: (how) =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        // A paused WebSocket may hold its 'close' back until read again; frames still coming are dropped.
        closing = true;
        ws.resume();
        if (how === 'abort') return ws.terminate();
        ws.close(1001, 'Keel is shutting down');
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
      }),
  };
}
