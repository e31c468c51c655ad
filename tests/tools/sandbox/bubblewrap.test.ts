// Real commands under bubblewrap through runCommand, startExec and exec sessions: what they may
// write, read and reach, and that ending them ends everything they started.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxPolicy } from '../../../src/core/protocol-types.js';
import { startExec } from '../../../src/tools/exec/exec-process.js';
import { liveGroupMembers } from '../../../src/tools/exec/process-group.js';
import { ptyLeader } from '../../../src/tools/exec/pty.js';
import { runCommand } from '../../../src/tools/exec/run-command.js';
import { ExecSessions } from '../../../src/tools/exec/sessions.js';
import type { CommandSandbox } from '../../../src/tools/sandbox/bubblewrap.js';
import { probeBubblewrap } from '../../../src/tools/sandbox/probe.js';
import { expectAllGone, groupOf, outputCollector } from '../exec/process-helpers.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bwrap-')));
const root = path.join(base, 'root');
const outside = path.join(base, 'outside');
const keelHome = path.join(base, 'keel-home');
for (const dir of [path.join(root, '.git'), path.join(root, 'sub/.git/hooks'), path.join(root, 'deep/a/b/vendored/.git'), outside, keelHome]) fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(root, 'sub/.git/config'), '[core]\n');
// A submodule's or worktree's .git is a file naming its git directory.
fs.mkdirSync(path.join(root, 'linked'));
fs.writeFileSync(path.join(root, 'linked/.git'), 'gitdir: ../sub/.git\n');
fs.writeFileSync(path.join(keelHome, 'config.toml'), 'model = "secret"\n');
fs.writeFileSync(path.join(outside, 'notes.txt'), 'readable\n');
fs.symlinkSync(outside, path.join(root, 'escape'));

/** The root alone is writable: the test tree lives in /tmp, so /tmp and $TMPDIR are left out. */
const workspace: SandboxPolicy = { type: 'workspaceWrite', writableRoots: [root], excludeSlashTmp: true, excludeTmpdirEnvVar: true };
let bwrapPath = '';
const sandbox = (policy: SandboxPolicy = workspace): CommandSandbox => ({ bwrapPath, policy, context: { cwd: root, keelHome, env: {} } });
/** A shell line run in the root under `policy`: exit code and output. */
async function sandboxed(line: string, policy: SandboxPolicy = workspace) {
  const result = await runCommand({ argv: ['sh', '-c', line], cwd: root, sandbox: sandbox(policy), env: { ...process.env, KEEL_HOME: keelHome } });
  return { exitCode: result.exitCode, output: result.output };
}

beforeAll(async () => {
  const probe = await probeBubblewrap();
  if (!probe.ok) throw new Error(`these tests need a working bwrap: ${probe.cause}`);
  bwrapPath = probe.path;
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('a command under bubblewrap', () => {
  it('writes inside its writable root', async () => {
    expect(await sandboxed('echo hi > inside.txt && cat inside.txt')).toEqual({ exitCode: 0, output: 'hi\n' });
    expect(fs.readFileSync(path.join(root, 'inside.txt'), 'utf8')).toBe('hi\n');
  });

  it('cannot write outside its roots, directly or through a symlink in the root', async () => {
    for (const target of [path.join(outside, 'x.txt'), path.join(root, 'escape', 'y.txt')]) {
      expect(await sandboxed(`echo x > ${target}`)).toEqual({ exitCode: 2, output: `sh: 1: cannot create ${target}: Read-only file system\n` });
    }
    expect(fs.readdirSync(outside)).toEqual(['notes.txt']);
  });

  it('cannot write into the root’s .git', async () => {
    const target = path.join(root, '.git', 'x');
    expect(await sandboxed(`echo x > ${target}`)).toEqual({ exitCode: 2, output: `sh: 1: cannot create ${target}: Read-only file system\n` });
    expect(fs.readdirSync(path.join(root, '.git'))).toEqual([]);
  });

  it('cannot write into the .git of a repository nested in the root (hooks, config), at any depth, or replace a .git file', async () => {
    const targets = ['sub/.git/hooks/post-checkout', 'sub/.git/config', 'deep/a/b/vendored/.git/config', 'linked/.git'].map((name) => path.join(root, name));
    for (const target of targets) {
      expect(await sandboxed(`echo x > ${target}`)).toEqual({ exitCode: 2, output: `sh: 1: cannot create ${target}: Read-only file system\n` });
    }
    expect(fs.readFileSync(path.join(root, 'sub/.git/config'), 'utf8')).toBe('[core]\n');
    expect(fs.readdirSync(path.join(root, 'sub/.git/hooks'))).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'linked/.git'), 'utf8')).toBe('gitdir: ../sub/.git\n');
  });

  it("cannot read Keel's home, which it sees empty", async () => {
    expect(await sandboxed('ls -A "$KEEL_HOME"; cat "$KEEL_HOME/config.toml"')).toEqual({
      exitCode: 1,
      output: `cat: ${keelHome}/config.toml: No such file or directory\n`,
    });
  });

  it("shows the skills of Keel's home, read-only, and nothing else of it", async () => {
    const home = path.join(base, 'home-with-skills');
    fs.mkdirSync(path.join(home, 'skills', 'lint'), { recursive: true });
    fs.writeFileSync(path.join(home, 'skills', 'lint', 'SKILL.md'), '---\nname: lint\n---\nRun the linter.\n');
    fs.writeFileSync(path.join(home, 'auth.json'), '{"OPENAI_API_KEY":"sk-secret"}\n');
    fs.symlinkSync(path.join(home, 'auth.json'), path.join(home, 'skills', 'leak'));
    const withSkills: CommandSandbox = { bwrapPath, policy: workspace, context: { cwd: root, keelHome: home, env: {} } };
    const line = 'ls -A "$H"; cat "$H/skills/lint/SKILL.md"; cat "$H/auth.json" "$H/skills/leak"; echo x > "$H/skills/new"';
    const result = await runCommand({ argv: ['sh', '-c', line], cwd: root, sandbox: withSkills, env: { ...process.env, H: home } });
    expect({ exitCode: result.exitCode, output: result.output }).toEqual({
      exitCode: 2,
      output:
        'skills\n---\nname: lint\n---\nRun the linter.\n' +
        `cat: ${home}/auth.json: No such file or directory\ncat: ${home}/skills/leak: No such file or directory\n` +
        `sh: 1: cannot create ${home}/skills/new: Read-only file system\n`,
    });
  });

  it("hides Keel's home also when it lies inside a writable root", async () => {
    const policy: SandboxPolicy = { ...workspace, writableRoots: [base] };
    expect(await sandboxed('cat "$KEEL_HOME/config.toml"; echo x > "$KEEL_HOME/new"', policy)).toEqual({
      exitCode: 2,
      output: `cat: ${keelHome}/config.toml: No such file or directory\nsh: 1: cannot create ${keelHome}/new: Read-only file system\n`,
    });
  });

  it('cannot remount / read-write, even when Keel runs as root (its capabilities are dropped)', async () => {
    expect(await sandboxed('mount -o remount,rw / 2>/dev/null && echo remounted || echo refused; grep CapEff /proc/self/status')).toEqual({
      exitCode: 0,
      output: 'refused\nCapEff:\t0000000000000000\n',
    });
  });

  it('reads files outside its roots', async () => {
    expect(await sandboxed(`cat ${path.join(outside, 'notes.txt')}`, { type: 'readOnly' })).toEqual({ exitCode: 0, output: 'readable\n' });
  });

  it('runs in a PID namespace of its own, seeing only its processes', async () => {
    // Its shell is pid 2, after bwrap's init (pid 1); this test's own process is not there.
    const line = `echo $$; cat /proc/1/comm; test -e /proc/${process.pid} && echo host-visible || echo host-hidden`;
    expect(await sandboxed(line)).toEqual({ exitCode: 0, output: '2\nbwrap\nhost-hidden\n' });
  });

  it('reaches a loopback server on the host only when the policy allows the network', async () => {
    const server = net.createServer((socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const connect = `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3' 2>&1 | tail -n 1 | sed 's/^.*: //'`;
    try {
      // Its seccomp filter refuses the IP socket itself (the namespace alone would refuse the connection).
      expect(await sandboxed(connect, { type: 'readOnly' })).toEqual({ exitCode: 0, output: 'Operation not permitted\n' });
      expect(await sandboxed(connect, { type: 'readOnly', networkAccess: true })).toEqual({ exitCode: 0, output: 'hello\n' });
    } finally {
      server.close();
    }
  });
});

describe('ending a sandboxed command', () => {
  /** Two sleeps in the sandbox: with bwrap, its init and the shell, five processes in the group. */
  const TREE = 'sleep 100 & sleep 100 & echo started; wait';

  it('a timeout leaves no process behind', async () => {
    const output = outputCollector();
    const process = await startExec({ argv: ['sh', '-c', TREE], cwd: root, sandbox: sandbox(), timeoutMs: 1_000, onOutput: output.onOutput });
    const pids = await groupOf(process.pid, 5);
    expect(await process.done).toMatchObject({ timedOut: true, output: 'started\n' });
    await expectAllGone(pids);
    expect(liveGroupMembers(process.pid)).toEqual([]);
  });

  it('an abort leaves no process behind', async () => {
    const controller = new AbortController();
    const process = await startExec({ argv: ['sh', '-c', TREE], cwd: root, sandbox: sandbox(), signal: controller.signal });
    const pids = await groupOf(process.pid, 5);
    controller.abort();
    expect(await process.done).toMatchObject({ aborted: true });
    await expectAllGone(pids);
  });

  it('in a pty: the sandbox runs inside the terminal, and terminate() ends it all', async () => {
    const output = outputCollector();
    const process = await startExec({ argv: ['sh', '-c', `echo pid=$$; ${TREE}`], cwd: root, sandbox: sandbox(), tty: true, onOutput: output.onOutput });
    await output.until('started');
    expect(output.text).toBe('pid=2\r\nstarted\r\n');
    // In the terminal's session: bwrap (exec'd by script's shell), its init, sh and the two sleeps.
    const leader = ptyLeader(process.pid);
    expect(leader).not.toBeNull();
    const pids = [process.pid, ...(await groupOf(leader!, 5))];
    process.terminate();
    expect(await process.done).toMatchObject({ terminated: true });
    await expectAllGone(pids);
  });

  it('an exec session starts its command in the sandbox', async () => {
    const sessions = new ExecSessions();
    const chunk = await sessions.start({ cmd: `echo $$; echo x > ${path.join(outside, 'z')}`, cwd: root, shell: 'sh', login: false, sandbox: sandbox() });
    expect({ exitCode: chunk.exitCode, output: chunk.output }).toEqual({ exitCode: 2, output: `2\nsh: 1: cannot create ${path.join(outside, 'z')}: Read-only file system\n` });
    await sessions.closeAll();
  });
});
