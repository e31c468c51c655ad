// daemon start/stop/status with real processes, real signals and real sockets, the daemon being a
// stand-in (tests/fixtures/daemon/fake-daemon.mjs, started with keel's arguments): the rules of the
// pid file, the lock and the socket, whatever the server behind it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSocketPath } from '../../src/cli/daemon-command-line.js';
import { DaemonError, defaultTiming, type DaemonControl, type DaemonTiming } from '../../src/cli/daemon/daemon-control.js';
import { daemonPaths, type DaemonPaths } from '../../src/cli/daemon/daemon-paths.js';
import { osDaemonControl } from '../../src/cli/daemon/os-daemon-control.js';
import { readPidFile, writePidFile } from '../../src/cli/daemon/pid-file.js';
import { osProcessProbe } from '../../src/kernel/liveness.js';
import { daemonReport } from '../../src/cli/daemon/run-daemon-command.js';
import { spawnDaemon } from '../../src/cli/daemon/spawn-daemon.js';
import { startDaemon } from '../../src/cli/daemon/start-daemon.js';
import { stopDaemon } from '../../src/cli/daemon/stop-daemon.js';
import { keelVersion } from '../../src/version.js';
import { repoRoot } from '../helpers/conformance.js';
import { startWsUnixServer } from '../helpers/ws-unix-server.js';

const fakeDaemon = path.join(repoRoot, 'tests', 'fixtures', 'daemon', 'fake-daemon.mjs');
const homes: string[] = [];
const spawned = new Set<number>();

afterEach(() => {
  for (const pid of spawned) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  spawned.clear();
  homes.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

function setup(mode = '', timing: Partial<DaemonTiming> = {}): { paths: DaemonPaths; control: DaemonControl } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-daemon-'));
  homes.push(home);
  const paths = daemonPaths(home, defaultSocketPath(home));
  const control: DaemonControl = {
    ...osDaemonControl(home, fakeDaemon),
    spawn: (p, config) => {
      const daemon = spawnDaemon(p, config, { execPath: process.execPath, programPath: fakeDaemon, env: { ...process.env, FAKE_DAEMON_MODE: mode }, cwd: home });
      spawned.add(daemon.pid);
      return daemon;
    },
    timing: { ...defaultTiming, startTimeoutMs: 5_000, stopGraceMs: 2_000, pollMs: 10, ...timing },
  };
  return { paths, control };
}

const alive = (pid: number) => osProcessProbe.isAlive(pid);
/** Field 22 of /proc/<pid>/stat, read here rather than through the code under test. */
const startTimeOf = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};
const bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe('daemon start, status, stop', () => {
  it('start spawns and waits for initialize; start again reuses it; stop ends it; stop again is not an error', async () => {
    const { paths, control } = setup();
    expect(await daemonReport('status', paths, [], control)).toEqual({ status: 'stopped', socketPath: paths.socketPath });

    const started = await daemonReport('start', paths, ['model=m'], control);
    const record = readPidFile(paths.pidFile)!;
    expect(record).toEqual({ pid: expect.any(Number), startTime: startTimeOf(record.pid), bootId, socketPath: paths.socketPath, version: keelVersion, startedAtMs: expect.any(Number) });
    const running = { status: 'running', pid: record.pid, socketPath: paths.socketPath, version: keelVersion, startedAtMs: record.startedAtMs, logPath: paths.logFile };
    expect(started).toEqual({ ...running, startedNow: true });
    expect(osProcessProbe.commandLine(record.pid)).toEqual([process.execPath, '--expose-gc', fakeDaemon, 'app-server', '--listen', `unix://${paths.socketPath}`, '-c', 'model=m']);
    expect(fs.readFileSync(paths.logFile, 'utf8')).toBe(`fake daemon ${record.pid} listening on ${paths.socketPath}\n`);
    expect(fs.statSync(paths.dir).mode & 0o777).toBe(0o700);

    expect(await daemonReport('status', paths, [], control)).toEqual(running);
    expect(await daemonReport('start', paths, [], control)).toEqual({ ...running, startedNow: false });

    expect(await daemonReport('stop', paths, [], control)).toEqual({ status: 'stopped', wasRunning: true, pid: record.pid, forced: false });
    expect({ pidFile: fs.existsSync(paths.pidFile), lock: fs.existsSync(paths.lockFile) }).toEqual({ pidFile: false, lock: false });
    // The daemon's parent here is this test process, which reaps it in its own time.
    await expect.poll(() => alive(record.pid)).toBe(false);
    expect(await daemonReport('stop', paths, [], control)).toEqual({ status: 'stopped', wasRunning: false });
    expect(await daemonReport('status', paths, [], control)).toEqual({ status: 'stopped', socketPath: paths.socketPath });
  });

  it('concurrent starts in one process: one daemon, started once', async () => {
    const { paths, control } = setup();
    const results = await Promise.all([1, 2, 3].map(() => startDaemon(paths, [], control)));
    const pids = new Set(results.map((r) => r.record?.pid));
    expect({ pids: pids.size, startedNow: results.filter((r) => r.startedNow).length, spawned: spawned.size }).toEqual({ pids: 1, startedNow: 1, spawned: 1 });
  });

  it('concurrent starts in separate processes: one daemon, started once', async () => {
    const { paths } = setup();
    const script = `
      import { osDaemonControl } from './src/cli/daemon/os-daemon-control.ts';
      import { daemonPaths } from './src/cli/daemon/daemon-paths.ts';
      import { startDaemon } from './src/cli/daemon/start-daemon.ts';
      const paths = daemonPaths(${JSON.stringify(path.dirname(paths.dir))}, ${JSON.stringify(paths.socketPath)});
      const result = await startDaemon(paths, [], osDaemonControl(${JSON.stringify(path.dirname(paths.dir))}, ${JSON.stringify(fakeDaemon)}));
      process.stdout.write(JSON.stringify({ pid: result.record.pid, startedNow: result.startedNow }));`;
    const outputs = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<{ pid: number; startedNow: boolean }>((resolve, reject) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { pid: number; startedNow: boolean }) : reject(new Error(`starter exited ${code}: ${out}`))));
          }),
      ),
    );
    const record = readPidFile(paths.pidFile)!;
    spawned.add(record.pid);
    expect([...outputs].sort((a, b) => Number(b.startedNow) - Number(a.startedNow))).toEqual([
      { pid: record.pid, startedNow: true },
      { pid: record.pid, startedNow: false },
      { pid: record.pid, startedNow: false },
    ]);
  }, 60_000);

  it('a pid file whose process is gone, or whose pid another program has, is replaced by a new daemon', async () => {
    const { paths, control } = setup();
    fs.mkdirSync(paths.dir, { recursive: true });
    for (const pid of [2 ** 22 + 1, process.pid]) {
      // As an older Keel wrote it (no start time or boot id): judged by its pid and arguments.
      writePidFile(paths.pidFile, { pid, startTime: null, bootId: null, socketPath: paths.socketPath, version: '0.0.1', startedAtMs: 1 });
      expect(await daemonReport('status', paths, [], control)).toEqual({ status: 'stopped', socketPath: paths.socketPath });
      const result = await startDaemon(paths, [], control);
      expect({ startedNow: result.startedNow, samePid: result.record?.pid === pid }).toEqual({ startedNow: true, samePid: false });
      await stopDaemon(paths, control);
    }
    expect(alive(process.pid)).toBe(true);
  });

  it('stop in a home where no daemon ever ran: not running, and nothing created', async () => {
    const { paths, control } = setup();
    expect(await stopDaemon(paths, control)).toEqual({ wasRunning: false });
    expect(fs.existsSync(paths.dir)).toBe(false);
  });

  it('stop removes a stale pid file and signals nobody', async () => {
    const { paths, control } = setup();
    fs.mkdirSync(paths.dir, { recursive: true });
    writePidFile(paths.pidFile, { pid: process.pid, startTime: null, bootId: null, socketPath: paths.socketPath, version: '0.0.1', startedAtMs: 1 });
    expect(await stopDaemon(paths, control)).toEqual({ wasRunning: false });
    expect(fs.existsSync(paths.pidFile)).toBe(false);
  });

  it('a server someone else started on the socket is reported and left serving; nothing is spawned', async () => {
    const { paths, control } = setup();
    fs.mkdirSync(path.dirname(paths.socketPath), { recursive: true });
    const server = await startWsUnixServer(paths.socketPath);
    try {
      expect(await daemonReport('start', paths, [], control)).toEqual({ status: 'running', pid: null, socketPath: paths.socketPath, version: null, startedAtMs: null, logPath: null, startedNow: false });
      expect({ spawned: spawned.size, pidFile: fs.existsSync(paths.pidFile), handshakes: server.connections.length }).toEqual({ spawned: 0, pidFile: false, handshakes: 1 });
    } finally {
      await server.close();
    }
  });

  it('a socket file left by a server that died is removed before the daemon starts', async () => {
    const { paths, control } = setup();
    fs.mkdirSync(path.dirname(paths.socketPath), { recursive: true });
    const squatter = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(paths.socketPath)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => squatter.stdout.once('data', resolve));
    squatter.kill('SIGKILL');
    await new Promise((resolve) => squatter.once('exit', resolve));
    expect(fs.lstatSync(paths.socketPath).isSocket()).toBe(true);
    expect((await startDaemon(paths, [], control)).startedNow).toBe(true);
  });

  it('refuses a second socket while the daemon of this home serves another', async () => {
    const { paths, control } = setup();
    const { record } = await startDaemon(paths, [], control);
    const other = { ...paths, socketPath: path.join(paths.dir, 'other.sock') };
    await expect(startDaemon(other, [], control)).rejects.toEqual(
      new DaemonError(`the daemon of this KEEL_HOME (pid ${record!.pid}) listens on ${paths.socketPath}, not ${other.socketPath}: stop it first, or use --sock ${paths.socketPath}`),
    );
  });
});

describe('daemon start finding a daemon whose starter died before it answered', () => {
  /** The daemon spawned and recorded, as a start that was then killed leaves it. */
  function orphan(mode: string, timing: Partial<DaemonTiming> = {}) {
    const { paths, control } = setup(mode, timing);
    fs.mkdirSync(path.dirname(paths.socketPath), { recursive: true });
    const daemon = control.spawn(paths, []);
    writePidFile(paths.pidFile, { pid: daemon.pid, startTime: startTimeOf(daemon.pid), bootId, socketPath: paths.socketPath, version: keelVersion, startedAtMs: 1 });
    return { paths, control, pid: daemon.pid };
  }

  it('waits for it to answer, and reuses it', async () => {
    const { paths, control, pid } = orphan('slow');
    const result = await startDaemon(paths, [], control);
    expect({ pid: result.record?.pid, startedNow: result.startedNow, spawned: spawned.size }).toEqual({ pid, startedNow: false, spawned: 1 });
  });

  it('one that never answers: an error naming it, its log on stderr', async () => {
    const { paths, control, pid } = orphan('silent', { startTimeoutMs: 500 });
    await expect.poll(() => fs.existsSync(paths.logFile) && fs.readFileSync(paths.logFile, 'utf8')).toBe(`fake daemon ${pid} listening on ${paths.socketPath}\n`);
    await expect(startDaemon(paths, [], control)).rejects.toEqual(
      new DaemonError(
        `the daemon (pid ${pid}) runs but does not answer on ${paths.socketPath} (last attempt: connected, but initialize got no answer); its log (${paths.logFile}) ends:`,
        `fake daemon ${pid} listening on ${paths.socketPath}\n`,
      ),
    );
  });
});

describe('daemon start and stop failing', () => {
  it('a daemon that exits before answering: the error, the tail of its log, no pid file', async () => {
    const { paths, control } = setup('exit');
    const error = (await startDaemon(paths, [], control).catch((e: unknown) => e)) as DaemonError;
    const [pid] = spawned;
    expect({ message: error.message, detail: error.detail, pidFile: fs.existsSync(paths.pidFile) }).toEqual({
      message: `the daemon (pid ${pid}) exited with code 3 before it answered initialize; its log (${paths.logFile}) ends:`,
      detail: 'fake daemon: refusing to start\n',
      pidFile: false,
    });
  });

  it('a daemon that never answers: stopped after the start timeout', async () => {
    const { paths, control } = setup('silent', { startTimeoutMs: 1_000 });
    const error = (await startDaemon(paths, [], control).catch((e: unknown) => e)) as DaemonError;
    const [pid] = spawned;
    expect({ message: error.message, detail: error.detail, pidFile: fs.existsSync(paths.pidFile) }).toEqual({
      message: `the daemon (pid ${pid}) did not answer initialize on ${paths.socketPath} within 1000 ms (last attempt: connected, but initialize got no answer), and was stopped; its log (${paths.logFile}) ends:`,
      detail: `fake daemon ${pid} listening on ${paths.socketPath}\n`,
      pidFile: false,
    });
    await expect.poll(() => alive(pid!)).toBe(false);
  });

  it('a daemon that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const { paths, control } = setup('stubborn', { stopGraceMs: 300 });
    const { record } = await startDaemon(paths, [], control);
    expect(await stopDaemon(paths, control)).toEqual({ wasRunning: true, pid: record!.pid, forced: true });
    await expect.poll(() => alive(record!.pid)).toBe(false);
  });
});
