// The socket a Keel process takes forwarded requests on: `$KEEL_HOME/peers/<ownerId>.sock`, its
// address written in the leases of the threads the process runs (open-keel.ts `ownerAddress`).
// Each process that connects is an ordinary app-server session of this process (the caller hands
// every channel to its connection set), speaking JSONL as stdio does. The directory is private
// (0700) and the socket 0600 (listeners/unix-socket-file.ts), so only the same user's processes
// get in. A home whose path would make the socket's too long for sun_path gets a private
// directory under the system's temporary directory instead. The socket (and that directory) is
// removed on stop, and at exit should the process end without stopping it.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Log } from '../../log.js';
import type { Channel } from '../../transport/channel.js';
import { claimSocketPath, listenPrivately, MAX_SOCKET_PATH_BYTES, removeSocketFile } from '../listeners/unix-socket-file.js';
import { peerAddress } from './peer-address.js';
import { socketChannel } from './socket-channel.js';

export interface PeerListenerDeps {
  home: string;
  /** The owner id of this process's leases: names the socket, so an operator can tell whose it is. */
  ownerId: string;
  logger: Log;
  accept(channel: Channel): void;
}

export interface PeerListener {
  socketPath: string;
  /** `unix://<socketPath>`: what the leases name. */
  address: string;
  /** Stops accepting and removes the socket (connected peers are the connection set's to close). */
  stop(): Promise<void>;
}

/** Where the socket goes: in the home, or in a fresh private directory under os.tmpdir() when that path is too long for a socket. */
function socketPathFor(home: string, ownerId: string): { socketPath: string; ownDir: string | null } {
  const inHome = path.join(home, 'peers', `${ownerId}.sock`);
  if (Buffer.byteLength(inHome) <= MAX_SOCKET_PATH_BYTES) return { socketPath: inHome, ownDir: null };
  // mkdtemp makes the directory 0700.
  const ownDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-'));
  return { socketPath: path.join(ownDir, 'peer.sock'), ownDir };
}

/** Rejects with why it cannot listen (the caller then serves without taking forwarded requests). */
export async function startPeerListener(deps: PeerListenerDeps): Promise<PeerListener> {
  const { socketPath, ownDir } = socketPathFor(deps.home, deps.ownerId);
  const removeDir = () => ownDir !== null && fs.rmSync(ownDir, { recursive: true, force: true });
  let lastId = 0;
  const server = net.createServer((socket) => deps.accept(socketChannel(`peer#${++lastId}`, socket)));
  let inode: number;
  try {
    const problem = await claimSocketPath(socketPath);
    if (problem !== null) throw new Error(problem);
    inode = await listenPrivately(server, socketPath);
  } catch (error) {
    server.close();
    removeDir();
    throw error;
  }
  const remove = () => {
    removeSocketFile(socketPath, inode);
    removeDir();
  };
  // process.exit (a crash path) closes no server: the file would stay behind.
  process.once('exit', remove);
  deps.logger.debug({ socketPath }, 'taking forwarded requests');
  return {
    socketPath,
    address: peerAddress(socketPath),
    stop: async () => {
      process.off('exit', remove);
      server.close();
      remove();
    },
  };
}
