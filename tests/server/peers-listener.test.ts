// The peer socket (src/server/peers/peer-listener.ts): where it goes, who may reach it, and that it
// is gone once stopped — in the home, or in a private directory of its own when the home's path
// would make the socket's longer than a unix socket allows.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/transport/channel.js';
import { startPeerListener } from '../../src/server/peers/peer-listener.js';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
});

function home(extra = ''): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-peer-home-'));
  homes.push(dir);
  const nested = path.join(dir, extra);
  fs.mkdirSync(nested, { recursive: true });
  return nested;
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** Connects, and resolves with the channel the listener handed over for it. */
async function connectTo(socketPath: string, accepted: Promise<Channel>): Promise<Channel> {
  const socket = net.connect(socketPath);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const channel = await accepted;
  socket.destroy();
  return channel;
}

describe('the peer socket', () => {
  it('is $KEEL_HOME/peers/<ownerId>.sock, 0600 in a 0700 directory, handed to accept per connection, and removed on stop', async () => {
    const keelHome = home();
    let accept!: (channel: Channel) => void;
    const accepted = new Promise<Channel>((resolve) => (accept = resolve));
    const listener = await startPeerListener({ home: keelHome, ownerId: 'owner-1', logger: pino({ level: 'silent' }), accept });
    const socketPath = path.join(keelHome, 'peers', 'owner-1.sock');
    expect([listener.socketPath, listener.address]).toEqual([socketPath, `unix://${socketPath}`]);
    expect([modeOf(path.dirname(socketPath)), modeOf(socketPath), fs.statSync(socketPath).isSocket()]).toEqual([0o700, 0o600, true]);
    expect((await connectTo(socketPath, accepted)).label).toBe('peer#1');
    await listener.stop();
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('goes to a private directory of its own under the temporary directory when the home is too deep for a socket path, removed on stop', async () => {
    const keelHome = home('d'.repeat(60) + '/' + 'e'.repeat(60));
    const listener = await startPeerListener({ home: keelHome, ownerId: 'owner-2', logger: pino({ level: 'silent' }), accept: () => {} });
    const dir = path.dirname(listener.socketPath);
    expect([path.dirname(dir), path.basename(listener.socketPath), modeOf(dir), modeOf(listener.socketPath)]).toEqual([os.tmpdir(), 'peer.sock', 0o700, 0o600]);
    expect(fs.existsSync(path.join(keelHome, 'peers'))).toBe(false);
    await listener.stop();
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses to start where another process listens on the same socket', async () => {
    const keelHome = home();
    const first = await startPeerListener({ home: keelHome, ownerId: 'same', logger: pino({ level: 'silent' }), accept: () => {} });
    await expect(startPeerListener({ home: keelHome, ownerId: 'same', logger: pino({ level: 'silent' }), accept: () => {} })).rejects.toThrow(
      `unix://${first.socketPath}: another Keel is listening on ${first.socketPath}`,
    );
    await first.stop();
  });
});
