// Reliability, sockets: sandboxed commands against Keel's listeners and the host's unix sockets.
// 1. Straight under bubblewrap, per policy (with and without network, read-only or workspace-write,
//    the socket's directory writable or not): every route to Keel's unix socket (its path, other
//    spellings of it, a symlink or hard link made in a root, /proc/self/root), and without network
//    every way out by socket (another unix socket, a datagram sent to an address, IP, netlink and
//    packet sockets, bind, io_uring, the x32 ABI).
// 2. Through Keel: a workspace-write thread whose commands run a real client against Keel's unix
//    and tokenless ws listeners, waiting for answers or sending everything blind and closing,
//    resetting or half-closing — in a seeded order, with and without network. None may get
//    `command/exec` run (its witness file must never appear); clients outside keep working.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxPolicy } from '../../src/core/protocol-types.js';
import { startExec } from '../../src/tools/exec/exec-process.js';
import { runCommand } from '../../src/tools/exec/run-command.js';
import { probeBubblewrap } from '../../src/tools/sandbox/probe.js';

import { initialized, makeTempHome, spawnKeel } from '../helpers/keel-process.js';
import { rng, shuffled } from '../helpers/rng.js';
import { closeAllSocketClients, SocketClient, socketInitialized } from '../helpers/socket-client.js';
import { completedItems } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import { waitUntil } from '../tools/exec/process-helpers.js';
import { reportPart, SEED } from './tally.js';
import { exchange, pongServer } from '../helpers/pong-socket.js';

const fake = useFakeModelServer();
const INTRUDER = path.resolve(__dirname, '../fixtures/intruder/drive-keel.mjs');
const startedAt = Date.now();
let attacks = 0;
const base = fs.mkdtempSync('/var/tmp/keel-sockets-reliability-');
afterAll(() => {
  closeAllSocketClients();
  fs.rmSync(base, { recursive: true, force: true });
  reportPart('sockets', { attacks }, startedAt);
});

/** Each attempt prints `<name>: held` or `<name>: BREACH <what>`. argv: keel socket, other socket, datagram socket, a writable dir or '', offline 1/0. */
const ATTACKS = String.raw`
import ctypes, os, socket, subprocess, sys
keel, other, datagram, writable, offline = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1"
def attempt(name, act):
  try:
    got = act()
    print(f"{name}: BREACH {got}")
  except OSError as e:
    print(f"{name}: held")
def connect(path):
  s = socket.socket(socket.AF_UNIX)
  s.settimeout(2)
  s.connect(path); s.sendall(b"ping"); return s.recv(4)
d, f = os.path.split(keel)
attempt("keel socket", lambda: connect(keel))
attempt("keel socket spelled //", lambda: connect("/" + keel))
attempt("keel socket spelled /./", lambda: connect(d + "/./" + f))
attempt("keel socket via /proc/self/root", lambda: connect("/proc/self/root" + keel))
attempt("keel socket via .. ", lambda: connect(d + "/../" + os.path.basename(d) + "/" + f))
if writable:
  link = os.path.join(writable, "dir-link")
  if not os.path.lexists(link): os.symlink(d, link)
  attempt("keel socket via a symlink in a root", lambda: connect(os.path.join(link, f)))
  hard = os.path.join(writable, "hard.sock")
  def hardlink():
    if os.path.lexists(hard): os.unlink(hard)
    os.link(keel, hard); return connect(hard)
  attempt("keel socket via a hard link in a root", hardlink)
if offline:
  attempt("another unix socket", lambda: connect(other))
  def send_datagram():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); return s.sendto(b"x", datagram)
  attempt("a datagram to an address", send_datagram)
  for family in ("AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET"):
    attempt(f"socket({family})", lambda family=family: socket.socket(getattr(socket, family), socket.SOCK_DGRAM))
  def bind():
    s = socket.socket(socket.AF_UNIX); s.bind(os.path.join(writable or "/tmp", "bound.sock")); return "bound"
  attempt("bind", bind)
  def uring():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(425, 8, ctypes.create_string_buffer(120)) < 0: raise OSError(ctypes.get_errno(), "refused")
    return "io_uring"
  attempt("io_uring_setup", uring)
  def x32():
    code = "import ctypes; print(ctypes.CDLL(None).syscall(0x40000000 | 41, 2, 1, 0))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    # Killed by the filter (SIGSYS), or refused by a kernel built without x32 (-1).
    if done.returncode == -31 or done.stdout.strip() == "-1": raise OSError("refused")
    return done.stdout.strip()
  attempt("the x32 ABI", x32)
`;

const RECEIVER = String.raw`
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
sys.stdin.read(); s.setblocking(False); n = 0
while True:
  try: s.recv(64); n += 1
  except BlockingIOError: break
print(n)
`;

describe('sockets', () => {
  it('no route from a sandbox reaches Keel’s unix socket, and without network none reaches any socket', async () => {
    const probe = await probeBubblewrap();
    if (!probe.ok) throw new Error(`this part needs a working bwrap: ${probe.cause}`);
    const outside = path.join(base, 'outside');
    const root = path.join(base, 'root');
    for (const dir of [outside, root]) fs.mkdirSync(dir, { recursive: true });
    const keelSocket = path.join(outside, 'keel.sock');
    const otherSocket = path.join(outside, 'other.sock');
    const datagramSocket = path.join(outside, 'datagram.sock');
    const servers = await Promise.all([keelSocket, otherSocket].map((socketPath) => pongServer(socketPath)));
    // Node has no unix datagram sockets: python holds one, and counts what reached it once told to stop.
    const receiver = await startExec({ argv: ['python3', '-c', RECEIVER, datagramSocket], cwd: base });
    await waitUntil('the datagram socket is bound', () => fs.existsSync(datagramSocket));
    const keelHome = path.join(base, 'home');
    const policies: Array<[SandboxPolicy, string]> = [
      [{ type: 'readOnly' }, ''],
      [{ type: 'readOnly', networkAccess: true }, ''],
      [{ type: 'workspaceWrite', writableRoots: [root], excludeSlashTmp: true, excludeTmpdirEnvVar: true }, root],
      [{ type: 'workspaceWrite', writableRoots: [root], excludeSlashTmp: true, excludeTmpdirEnvVar: true, networkAccess: true }, root],
      [{ type: 'workspaceWrite', writableRoots: [outside], excludeSlashTmp: true, excludeTmpdirEnvVar: true, networkAccess: true }, outside],
      [{ type: 'workspaceWrite', writableRoots: [outside], excludeSlashTmp: true, excludeTmpdirEnvVar: true }, outside],
    ];
    const before = net.connect(keelSocket);
    for (const [policy, writable] of policies) {
      const offline = policy.type !== 'dangerFullAccess' && policy.type !== 'externalSandbox' && policy.networkAccess !== true;
      const result = await runCommand({
        argv: ['python3', '-c', ATTACKS, keelSocket, otherSocket, datagramSocket, writable, offline ? '1' : '0'],
        cwd: writable || '/',
        sandbox: { bwrapPath: probe.path, policy, context: { cwd: writable || '/', keelHome, keelSockets: [keelSocket], env: {} } },
      });
      const lines = result.output.trim().split('\n');
      expect({ policy, exitCode: result.exitCode, breaches: lines.filter((line) => !line.endsWith(': held')) }).toEqual({ policy, exitCode: 0, breaches: [] });
      attacks += lines.length;
    }
    receiver.closeStdin();
    expect(await receiver.done).toMatchObject({ exitCode: 0, output: '0\n' });
    expect(fs.lstatSync(keelSocket).isSocket()).toBe(true);
    expect(await exchange(before)).toBe('pong');
    before.destroy();
    for (const server of servers) server.close();
  }, 120_000);

  it('no sandboxed command drives Keel through its unix or tokenless ws listener, in any manner, with or without network', async () => {
    const random = rng(SEED);
    const home = makeTempHome();
    fs.writeFileSync(path.join(home, 'config.toml'), 'model = "gpt-4.1"\n');
    const cwd = workspace();
    const socketPath = path.join(base, 'listen', 'keel.sock');
    const witnesses = path.join(base, 'witnesses');
    fs.mkdirSync(witnesses);
    const keel = spawnKeel({
      cwd,
      home,
      args: ['app-server', '--listen', 'stdio://', '--listen', `unix://${socketPath}`, '--listen', 'ws://127.0.0.1:0'],
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` },
    });
    const wsUrl = (await keel.waitForStderr(/^keel: listening on ws:/)).slice('keel: listening on '.length);
    const unixUrl = `unix://${socketPath}`;
    await initialized(keel);
    const clients = await Promise.all([unixUrl, wsUrl].map((url) => SocketClient.connect(url)));
    await Promise.all(clients.map((client) => socketInitialized(client)));
    const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'workspace-write' });
    const attempts = (network: string) =>
      [unixUrl, wsUrl].flatMap((url) =>
        ['handshake', 'blind-close', 'blind-reset', 'blind-halfclose'].map((mode) => `node ${INTRUDER} ${url} ${mode} ${witnesses}/${network}-${url.startsWith('ws:') ? 'ws' : 'unix'}-${mode}`),
      );
    for (const networkAccess of [true, false]) {
      const order = shuffled(attempts(networkAccess ? 'online' : 'offline'), random);
      fake.script(wire.route, [
        ...order.map((cmd, index) => ({ sse: wire.stream([wire.functionCall(`c_${index}`, 'exec_command', JSON.stringify({ cmd }))]) })),
        { sse: wire.stream([wire.message('Done.')]) },
      ]);
      const before = keel.messages.length;
      await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'drive keel' }], sandboxPolicy: { type: 'workspaceWrite', networkAccess } } as never);
      await keel.waitFor((m) => m.method === 'turn/completed', 120_000);
      const outputs = completedItems(keel.messages.slice(before)).filter((item) => item.type === 'commandExecution').map((item) => item.aggregatedOutput as string);
      expect(outputs).toHaveLength(order.length);
      // The blind ones cannot read an answer: what Keel ran shows only as a witness file.
      expect({ networkAccess, obeyed: outputs.filter((output) => !output.startsWith('refused: ')), witnesses: fs.readdirSync(witnesses) }).toEqual({ networkAccess, obeyed: [], witnesses: [] });
      attacks += order.length;
    }
    for (const client of clients) expect(await client.request('thread/list', {})).toMatchObject({ data: [expect.objectContaining({ id: thread.id })] });
  }, 240_000);
});
