// A unix socket between two Keel processes as a Channel: one JSON-RPC message per line each way,
// as on stdio (transport/stream-channel.ts). Both ends of a peer connection use it: the owner's
// listener for each process that connects, and the forwarding process for its link to the owner.
import type net from 'node:net';
import type { Channel } from '../../transport/channel.js';
import { streamChannel } from '../../transport/stream-channel.js';

/** How long a graceful close waits for the other end to close its side before cutting the socket. */
const CLOSE_GRACE_MS = 1_000;

export function socketChannel(label: string, socket: net.Socket): Channel {
  return streamChannel(label, socket, socket, {
    close: (how) =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        if (how === 'abort') return void socket.destroy();
        socket.end();
        setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
      }),
  });
}
