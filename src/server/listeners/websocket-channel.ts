// A WebSocket as a Channel: one JSON-RPC message per text frame each way, no lines in between.
// - in: each frame is one message's text. A frame may hold pretty-printed JSON (CR and LF between
//   tokens are whitespace to JSON.parse). Binary frames are read as UTF-8 text, like text frames.
//   The socket's maxPayload bounds a frame, as the line limit bounds a line on stdio.
// - out: each message is sent as one text frame. A write is done when the socket has taken its
//   frames, and the bytes of frames not yet taken are what the client is behind by: the writer's
//   backpressure and output limit see a slow WebSocket client as they see a slow pipe.
import type { WebSocket } from 'ws';
import type { Channel, Inbound } from '../../transport/channel.js';

function frameText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/**
 * While the connection takes no messages (its client is not reading Keel's output), frames that
 * arrive are held up to this many bytes; past it the socket is paused. The socket goes on being
 * read until then, so a client that sends nothing keeps answering pings (ws reads its pongs).
 */
const HOLD_BYTES = 16 * 1024;

/** How long a graceful close waits for the client's close frame before cutting the socket. */
const CLOSE_GRACE_MS = 1_000;

export function websocketChannel(ws: WebSocket, label: string): Channel {
  // Nothing is read until the connection listens; the client's frames wait in the socket.
  ws.pause();
  let closing = false;
  let inbound: Inbound | undefined;
  /** Set while the connection takes no messages; what arrives meanwhile is held, in order. */
  let paused = false;
  let held: string[] = [];
  let heldBytes = 0;
  /** The client closed while messages were held: the input ends once they are handed over. */
  let endHeld = false;
  const take = (text: string) => {
    if (!paused && inbound !== undefined) return inbound.message(text);
    held.push(text);
    heldBytes += text.length;
    if (heldBytes >= HOLD_BYTES) ws.pause();
  };
  let queuedBytes = 0;
  let inFlight = 0;
  /** `write([])` callers waiting for the frames before them to be taken. */
  let drained: Array<() => void> = [];
  const settled = () => {
    if (inFlight > 0) return;
    const waiting = drained;
    drained = [];
    for (const done of waiting) done();
  };
  // An error is followed by 'close'; the close is what ends the channel.
  ws.on('error', () => {});
  return {
    label,
    listen(to) {
      inbound = to;
      const onMessage = (data: Buffer | ArrayBuffer | Buffer[]) => {
        if (!closing) take(frameText(data));
      };
      const onClose = () => (held.length === 0 ? to.end() : (endHeld = true));
      ws.on('message', onMessage);
      ws.once('close', onClose);
      ws.resume();
      return () => {
        inbound = undefined;
        ws.off('message', onMessage);
        ws.off('close', onClose);
      };
    },
    // Past HOLD_BYTES the socket is not read, so a client that does not read cannot queue unbounded requests either.
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      const waiting = held;
      held = [];
      heldBytes = 0;
      for (const text of waiting) take(text);
      if (paused || inbound === undefined) return;
      if (endHeld && held.length === 0) {
        endHeld = false;
        return inbound.end();
      }
      ws.resume();
    },
    write(texts, done) {
      if (texts.length === 0) {
        drained.push(() => done());
        return settled();
      }
      let left = texts.length;
      let failure: Error | undefined;
      for (const text of texts) {
        const bytes = text.length;
        queuedBytes += bytes;
        inFlight++;
        ws.send(text, (error) => {
          queuedBytes -= bytes;
          inFlight--;
          failure ??= error;
          if (--left === 0) done(failure ?? null);
          settled();
        });
      }
    },
    queuedBytes: () => queuedBytes,
    onClosed: (listener) => void ws.once('close', () => listener()),
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
