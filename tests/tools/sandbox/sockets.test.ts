// Unix sockets from inside the sandbox: Keel's own listener sockets are covered whatever the
// network policy (clients outside keep working), and without network no unix socket can be
// connected to at all (the seccomp filter), while socketpairs, subprocesses and git still work.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxPolicy } from '../../../src/core/protocol-types.js';
import { startExec } from '../../../src/tools/exec/exec-process.js';
import { runCommand } from '../../../src/tools/exec/run-command.js';
import type { CommandSandbox } from '../../../src/tools/sandbox/bubblewrap.js';
import { probeBubblewrap } from '../../../src/tools/sandbox/probe.js';
import { outputCollector } from '../exec/process-helpers.js';
import { exchange, pongServer } from '../../helpers/pong-socket.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-sockets-')));
const root = path.join(base, 'root');
const keelHome = path.join(base, 'keel-home');
// Outside every root: the roots below leave /tmp out, and this lies beside the root, not in it.
const outside = path.join(base, 'elsewhere');
const keelSocket = path.join(outside, 'keel.sock');
const otherSocket = path.join(outside, 'other.sock');
for (const dir of [root, keelHome, outside]) fs.mkdirSync(dir, { recursive: true });

const offline: SandboxPolicy = { type: 'workspaceWrite', writableRoots: [root], excludeSlashTmp: true, excludeTmpdirEnvVar: true };
const online: SandboxPolicy = { ...offline, networkAccess: true };
let bwrapPath = '';
const sandbox = (policy: SandboxPolicy): CommandSandbox => ({ bwrapPath, policy, context: { cwd: root, keelHome, keelSockets: [keelSocket], env: {} } });

/** Connects to a unix socket, sends "ping", prints what came back or the error. */
const connectTo = (socketPath: string) =>
  `python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX)
try:
  s.connect(sys.argv[1]); s.sendall(b"ping"); print(s.recv(16).decode())
except OSError as e: print(e.strerror)' ${socketPath}`;

async function sandboxed(line: string, policy: SandboxPolicy) {
  const result = await runCommand({ argv: ['sh', '-c', line], cwd: root, sandbox: sandbox(policy) });
  return { exitCode: result.exitCode, output: result.output };
}

const servers: net.Server[] = [];
beforeAll(async () => {
  const probe = await probeBubblewrap();
  if (!probe.ok) throw new Error(`these tests need a working bwrap: ${probe.cause}`);
  bwrapPath = probe.path;
  servers.push(await pongServer(keelSocket), await pongServer(otherSocket));
});
afterAll(() => {
  for (const server of servers) server.close();
  fs.rmSync(base, { recursive: true, force: true });
});

describe("Keel's listener socket", () => {
  it('cannot be reached from a sandbox, with or without network; a client outside keeps its connection and a new one connects', async () => {
    const before = net.connect(keelSocket);
    expect(await exchange(before)).toBe('pong');
    expect(await sandboxed(connectTo(keelSocket), online)).toEqual({ exitCode: 0, output: 'Connection refused\n' });
    expect(await sandboxed(connectTo(keelSocket), offline)).toEqual({ exitCode: 0, output: 'Operation not permitted\n' });
    // Covered, not removed or replaced: the same socket file, still answering outside.
    expect(fs.lstatSync(keelSocket).isSocket()).toBe(true);
    expect(await exchange(before)).toBe('pong');
    const after = net.connect(keelSocket);
    expect(await exchange(after)).toBe('pong');
    before.destroy();
    after.destroy();
  });

  it('cannot be removed or replaced from a sandbox whose roots hold it', async () => {
    const policy: SandboxPolicy = { ...online, writableRoots: [root, outside] };
    expect(await sandboxed(`rm -f ${keelSocket} 2>&1 | sed 's/^.*: //'; ${connectTo(keelSocket)}`, policy)).toEqual({ exitCode: 0, output: 'Device or resource busy\nConnection refused\n' });
    expect(await exchange(net.connect(keelSocket))).toBe('pong');
  });
});

describe('without network', () => {
  it('connects to no unix socket outside the roots (any other socket: only with network)', async () => {
    expect(await sandboxed(connectTo(otherSocket), offline)).toEqual({ exitCode: 0, output: 'Operation not permitted\n' });
    expect(await sandboxed(connectTo(otherSocket), online)).toEqual({ exitCode: 0, output: 'pong\n' });
  });

  it('opens no IP socket, binds and listens on nothing', async () => {
    const line = `python3 -c 'import socket
for family in (socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK):
  try: socket.socket(family); print("opened")
  except OSError as e: print(e.strerror)
s=socket.socket(socket.AF_UNIX)
try: s.bind("listener.sock"); print("bound")
except OSError as e: print(e.strerror)'`;
    expect(await sandboxed(line, offline)).toEqual({ exitCode: 0, output: 'Operation not permitted\n'.repeat(4) });
  });

  it('still runs socketpairs, subprocesses (Node, Python multiprocessing) and git', async () => {
    execFileSync('git', ['init', '-q', root]);
    const line = [
      `python3 -c 'import socket; a,b=socket.socketpair(); a.send(b"x"); print("pair", b.recv(1).decode())'`,
      `python3 -c 'import multiprocessing as mp
if __name__ == "__main__":
  with mp.Pool(2) as p: print("pool", p.map(abs, [-1, -2]))'`,
      `node -e 'console.log("node", String(require("child_process").execSync("echo child")).trim())'`,
      'git status --porcelain && echo git ok',
    ].join('; ');
    expect(await sandboxed(line, offline)).toEqual({ exitCode: 0, output: 'pair x\npool [1, 2]\nnode child\ngit ok\n' });
  });

  it('in a pty the filter holds too', async () => {
    const output = outputCollector();
    const process = await startExec({ argv: ['sh', '-c', connectTo(otherSocket)], cwd: root, sandbox: sandbox(offline), tty: true, onOutput: output.onOutput });
    expect(await process.done).toMatchObject({ exitCode: 0, output: 'Operation not permitted\r\n' });
  });

  it('leaves the command no descriptor of the filter (bwrap closes it once read)', async () => {
    // Not `ls /proc/$$/fd | …`: while the shell builds a pipeline it holds the pipe's two ends
    // itself, and a loaded machine let `ls` look before they were closed (3 and 4 listed). A plain
    // command with a redirection leaves the shell nothing open but its stdio.
    expect(await sandboxed('ls /proc/$$/fd > fds.txt; sort -n fds.txt | awk "\\$1 < 10"', offline)).toEqual({ exitCode: 0, output: '0\n1\n2\n' });
  });
});
