// Bridges a JSONL client (one message per line on stdin/stdout) to the daemon's WebSocket (one
// message per text frame). Each way has backpressure: stdin is paused while more than the high-water
// mark of frames is unsent; the socket is paused while stdout is congested. Nothing is dropped or
// reordered. A frame's raw newlines (pretty-printed JSON: only whitespace, since JSON strings cannot
// hold them) become spaces, so one message stays one line.
import type { Readable, Writable } from 'node:stream';
import { RpcErrors } from '../../protocol/errors.js';
import { LineSplitter, MAX_LINE_BYTES } from '../../transport/line-splitter.js';
import type { DaemonConnection } from './daemon-socket.js';
import { PendingRequests } from './pending-requests.js';

export type BridgeEnd =
  /** stdin ended (or stop() was called) and the socket closed after it. */
  | { reason: 'closed-by-client' }
  | { reason: 'closed-by-daemon'; code: number; text: string }
  /** stdout failed: the client went away. */
  | { reason: 'output-failed'; error: Error };

export interface Bridge {
  ended: Promise<BridgeEnd>;
  /** Closes the socket normally now, answered or not (SIGTERM). */
  stop(): void;
}

export interface BridgeOptions {
  highWaterBytes?: number;
  lowWaterBytes?: number;
  maxLineBytes?: number;
}

const RAW_NEWLINES = /[\r\n]/g;

export function bridgeStdio(input: Readable, output: Writable, connection: DaemonConnection, options: BridgeOptions = {}): Bridge {
  const { socket } = connection;
  const { highWaterBytes = 4 * 1024 * 1024, lowWaterBytes = 1024 * 1024, maxLineBytes = MAX_LINE_BYTES } = options;
  const pending = new PendingRequests();
  let unsentBytes = 0;
  let inputPaused = false;
  let inputEnded = false;
  let closing = false;
  let finish!: (end: BridgeEnd) => void;
  const ended = new Promise<BridgeEnd>((resolve) => (finish = resolve));

  const close = () => {
    if (closing) return;
    closing = true;
    socket.close(1000, inputEnded ? 'stdin ended' : 'proxy stopped');
  };
  const closeWhenAnswered = () => {
    if (inputEnded && pending.size === 0) close();
  };

  const send = (line: string) => {
    const bytes = Buffer.byteLength(line);
    unsentBytes += bytes;
    socket.send(line, () => {
      unsentBytes -= bytes;
      if (inputPaused && unsentBytes <= lowWaterBytes) {
        inputPaused = false;
        input.resume();
      }
    });
    if (!inputPaused && unsentBytes > highWaterBytes) {
      inputPaused = true;
      input.pause();
    }
  };

  const lines = new LineSplitter(maxLineBytes, {
    line: (raw) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() === '' || closing) return;
      pending.sent(line);
      send(line);
    },
    // As the stdio server answers it: its id cannot be read without reading it.
    oversize: () => output.write(`${JSON.stringify({ id: null, error: RpcErrors.lineTooLong(maxLineBytes).toJson() })}\n`),
  });
  input.on('data', (chunk: Buffer | string) => lines.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  const onInputEnd = () => {
    if (inputEnded) return;
    lines.end();
    inputEnded = true;
    closeWhenAnswered();
  };
  input.on('end', onInputEnd);
  // A stdin that fails is a client gone: taken as its end.
  input.on('error', onInputEnd);

  let outputCongested = false;
  const resumeSocket = () => {
    outputCongested = false;
    socket.resume();
  };
  socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const raw = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    const text = raw.includes('\n') || raw.includes('\r') ? raw.replace(RAW_NEWLINES, ' ') : raw;
    pending.received(text);
    // Frames already read keep coming for a moment after the pause; they are written (buffered) too.
    if (!output.write(`${text}\n`) && !outputCongested) {
      outputCongested = true;
      socket.pause();
      output.once('drain', resumeSocket);
    }
    closeWhenAnswered();
  });
  void connection.closed.then(({ code, reason, error }) => {
    input.pause();
    output.off('drain', resumeSocket);
    if (closing) finish({ reason: 'closed-by-client' });
    else finish({ reason: 'closed-by-daemon', code, text: reason || (error?.message ?? '') });
  });
  output.on('error', (error) => {
    finish({ reason: 'output-failed', error });
    socket.terminate();
  });
  input.resume();

  return {
    ended,
    stop: close,
  };
}
