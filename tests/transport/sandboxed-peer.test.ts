// Whether a TCP client is a command Keel runs in a sandbox (src/server/listeners/sandboxed-peer.ts):
// the /proc/net/tcp table read right, real clients in this process, in a plain child process and in
// a bubblewrap sandbox with network, and a client that closed before it could be looked at.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTcpTable, sandboxedPeerRefusal } from '../../src/server/listeners/sandboxed-peer.js';
import { startExec, type ExecProcess } from '../../src/tools/exec/exec-process.js';
import { probeBubblewrap } from '../../src/tools/sandbox/probe.js';
import type { CommandSandbox } from '../../src/tools/sandbox/bubblewrap.js';

describe('parseTcpTable', () => {
  it('reads IPv4 and IPv6 ends (an IPv4-mapped address as IPv4), state, uid and inode', () => {
    const v4 = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:937D 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 89511 1 0000000000000000 20 4 30 10 -1`;
    const v6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:C350 06 00000000:00000000 03:00000D19 00000000     0        0 0 3 0000000000000000
   1: 0000000000000000FFFF00000100007F:1F91 0000000000000000FFFF00000100007F:C351 01 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000`;
    expect([...parseTcpTable(v4), ...parseTcpTable(v6)]).toEqual([
      { local: '127.0.0.1', localPort: 37757, remote: '127.0.0.1', remotePort: 8080, state: 1, uid: 1000, inode: 89511 },
      { local: '::1', localPort: 8080, remote: '::1', remotePort: 50000, state: 6, uid: 0, inode: 0 },
      { local: '127.0.0.1', localPort: 8081, remote: '127.0.0.1', remotePort: 50001, state: 1, uid: 0, inode: 4242 },
    ]);
  });
});

describe('sandboxedPeerRefusal', () => {
  let server: net.Server;
  let port = 0;
  const accepted: net.Socket[] = [];
  const waiting: Array<(socket: net.Socket) => void> = [];
  let bwrapPath = '';

  beforeAll(async () => {
    const probe = await probeBubblewrap();
    if (!probe.ok) throw new Error(`these tests need a working bwrap: ${probe.cause}`);
    bwrapPath = probe.path;
    server = net.createServer((socket) => {
      socket.on('error', () => {});
      const next = waiting.shift();
      if (next === undefined) accepted.push(socket);
      else next(socket);
    });
    // Both families on one socket: an IPv4 client shows as ::ffff:127.0.0.1 on this side.
    await new Promise<void>((resolve) => server.listen(0, '::', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => {
    for (const socket of accepted) socket.destroy();
    server.close();
  });

  /** The server side of the next connection. */
  const nextConnection = () => new Promise<net.Socket>((resolve) => (accepted.length > 0 ? resolve(accepted.shift()!) : waiting.push(resolve)));

  /** A python client that connects, says so, and holds the connection until its stdin ends. */
  async function holdingClient(host: string, sandbox?: CommandSandbox): Promise<{ process: ExecProcess; socket: net.Socket }> {
    const line = `import socket,sys\ns=socket.create_connection(("${host}",${port}))\nprint("connected",flush=True)\nsys.stdin.read()`;
    const connection = nextConnection();
    const process = await startExec({ argv: ['python3', '-c', line], cwd: '/', sandbox });
    return { process, socket: await connection };
  }

  it.each(['127.0.0.1', '::1'])('lets a client in this process and one in a plain child process through (%s)', async (host) => {
    const client = net.connect(port, host);
    expect(await sandboxedPeerRefusal(await nextConnection())).toBeNull();
    client.destroy();
    const child = await holdingClient(host);
    expect(await sandboxedPeerRefusal(child.socket)).toBeNull();
    child.process.closeStdin();
    expect(await child.process.done).toMatchObject({ exitCode: 0, output: 'connected\n' });
  });

  it.each(['127.0.0.1', '::1'])('refuses a client in a sandbox with network (%s)', async (host) => {
    const sandbox: CommandSandbox = { bwrapPath, policy: { type: 'readOnly', networkAccess: true }, context: { cwd: '/', keelHome: '/nonexistent-keel-home' } };
    const child = await holdingClient(host, sandbox);
    expect(await sandboxedPeerRefusal(child.socket)).toBe('the connection comes from a command Keel runs in a sandbox');
    child.process.closeStdin();
    expect(await child.process.done).toMatchObject({ exitCode: 0, output: 'connected\n' });
  });

  it('refuses a client that closed its socket before it could be looked at', async () => {
    const client = net.connect(port, '127.0.0.1');
    const socket = await nextConnection();
    const ended = new Promise((resolve) => socket.once('end', resolve));
    client.end('GET / HTTP/1.1\r\n\r\n');
    client.destroy();
    await ended;
    expect(await sandboxedPeerRefusal(socket)).toMatch(/^(the local process that opened this connection closed it|Keel cannot find the local socket)/);
  });
});
