// Whether a loopback TCP client is a command Keel runs in a sandbox. A WebSocket listener with no
// token (`--listen ws://…` without `--ws-auth`) trusts every local process, and a sandboxed
// command with network access is one: it shares the host's network, so it could connect and run
// `command/exec` unconfined. Such a listener asks this before each upgrade, and refuses:
// - a connection whose socket a process in a Keel sandbox holds: a descendant of Keel in another
//   PID namespace (bwrap's `--unshare-pid`; what is orphaned inside stays inside, and
//   no_new_privs keeps it from changing namespace or user);
// - a local connection Keel cannot pin to a process outside the sandboxes: its socket already
//   closed (a client may send its handshake and requests and close before Keel looks), held by
//   no process Keel can see (in flight between processes), or not found at all.
// The client's socket is found in /proc/net/tcp{,6} (its address and port are the server side's
// peer); a socket of another user is not a sandbox's (bwrap keeps Keel's user, and no_new_privs
// forbids setuid programs). Found held by a process outside the sandboxes, it is allowed: a
// sandbox's socket reaches another process only if that process takes it from the sandbox.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { readProcess } from '../../tools/exec/process-group.js';

export interface TcpEnds {
  localAddress?: string;
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
}

interface TcpEntry {
  local: string;
  localPort: number;
  remote: string;
  remotePort: number;
  state: number;
  uid: number;
  inode: number;
}

const TIME_WAIT = 0x06;
const MAX_ANCESTORS = 4096;

/** Why this connection must be refused, or null when it does not come from a Keel sandbox. */
export async function sandboxedPeerRefusal(ends: TcpEnds): Promise<string | null> {
  const { localAddress, localPort, remoteAddress, remotePort } = ends;
  if (localAddress === undefined || localPort === undefined || remoteAddress === undefined || remotePort === undefined) {
    return 'Keel cannot tell who opened this connection';
  }
  const peer = canonical(remoteAddress);
  const server = canonical(localAddress);
  const entries = [...parseTcpTable(await readOr('/proc/net/tcp')), ...parseTcpTable(await readOr('/proc/net/tcp6'))];
  const entry = entries.find((e) => e.state !== TIME_WAIT && e.local === peer && e.localPort === remotePort && e.remote === server && e.remotePort === localPort);
  if (entry === undefined) return isLocalAddress(peer) ? 'Keel cannot find the local socket that opened this connection' : null;
  if (entry.uid !== process.geteuid?.()) return null;
  if (entry.inode === 0) return 'the local process that opened this connection closed it before Keel could tell who it is';
  const holder = socketHolder(entry.inode);
  if (holder === null) return 'Keel cannot tell which local process holds this connection';
  return (await inKeelSandbox(holder)) ? 'the connection comes from a command Keel runs in a sandbox' : null;
}

/** The entries of /proc/net/tcp or tcp6, addresses in canonical form. */
export function parseTcpTable(text: string): TcpEntry[] {
  const entries: TcpEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const [local, localPort] = endpoint(fields[1]!);
    const [remote, remotePort] = endpoint(fields[2]!);
    entries.push({ local, localPort, remote, remotePort, state: parseInt(fields[3]!, 16), uid: Number(fields[7]), inode: Number(fields[9]) });
  }
  return entries;
}

/** `0100007F:1F90` → ['127.0.0.1', 8080]: each 32-bit word is printed in host (little-endian) order. */
function endpoint(field: string): [string, number] {
  const [hex, port] = field.split(':') as [string, string];
  const bytes = Buffer.alloc(hex.length / 2);
  for (let word = 0; word < hex.length / 8; word++) Buffer.from(hex.slice(word * 8, word * 8 + 8), 'hex').reverse().copy(bytes, word * 4);
  const text = bytes.length === 4 ? [...bytes].join('.') : Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16)).join(':');
  return [canonical(text), parseInt(port, 16)];
}

/** One spelling per address: IPv6 compressed, an IPv4-mapped IPv6 address as plain IPv4. */
function canonical(address: string): string {
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  const text = net.isIP(address) === 0 ? address : new net.SocketAddress({ address, family }).address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  return mapped === null ? text : mapped[1]!;
}

function isLocalAddress(address: string): boolean {
  if (address === '::1' || address.startsWith('127.')) return true;
  return Object.values(os.networkInterfaces()).some((list) => list?.some((iface) => canonical(iface.address) === address) ?? false);
}

async function readOr(file: string): Promise<string> {
  return fs.promises.readFile(file, 'utf8').catch(() => '');
}

/**
 * A process holding socket `inode` (the first found), or null when no process Keel can see does.
 * Synchronous: a thread-pool round trip per descriptor made it several times slower. Newest
 * processes first, where a client that just connected usually is.
 */
function socketHolder(inode: number): number | null {
  const target = `socket:[${inode}]`;
  const pids = readdirOr('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => b - a);
  for (const pid of pids) {
    for (const fd of readdirOr(`/proc/${pid}/fd`)) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return pid;
      } catch {
        // Closed meanwhile, or the process is gone.
      }
    }
  }
  return null;
}

function readdirOr(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** A descendant of this Keel in another PID namespace: a command bwrap runs for it. */
async function inKeelSandbox(pid: number): Promise<boolean> {
  const [own, theirs] = await Promise.all([fs.promises.readlink('/proc/self/ns/pid'), fs.promises.readlink(`/proc/${pid}/ns/pid`).catch(() => null)]);
  // Gone since it was found: it cannot be placed, so it counts as sandboxed.
  if (theirs === null) return true;
  if (theirs === own) return false;
  let current: number | undefined = pid;
  for (let step = 0; step < MAX_ANCESTORS && current !== undefined && current > 1; step++) {
    if (current === process.pid) return true;
    current = readProcess(current)?.ppid;
  }
  return false;
}
