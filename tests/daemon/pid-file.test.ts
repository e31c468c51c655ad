// The daemon's pid file: which records describe a running daemon. A pid whose process is gone, or
// that now belongs to another program (other arguments, another start time or boot), or to a
// zombie, describes none.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { osProcessProbe, type ProcessProbe } from '../../src/kernel/liveness.js';
import { isDaemonProcess, pidFileState, readPidFile, writePidFile, type DaemonRecord } from '../../src/cli/daemon/pid-file.js';

/** Field 22 of /proc/<pid>/stat, read here rather than through the code under test. */
function startTimeOf(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-pid-'));
  dirs.push(dir);
  return dir;
}

const record: DaemonRecord = { pid: 4242, startTime: '5000', bootId: 'boot-a', socketPath: '/h/app-server-control/app-server-control.sock', version: '0.1.0', startedAtMs: 1_700_000_000_000 };
/** A fake OS; `startTime` null and `bootId` null: one without /proc. */
const probe = (alive: boolean, commandLine: string[] | null, startTime: string | null = null, bootId: string | null = null): ProcessProbe => ({
  isAlive: () => alive,
  commandLine: () => commandLine,
  stat: () => (startTime === null ? null : { state: 'S', startTime }),
  bootId: () => bootId,
});
const keelArgs = (listen: string[]) => ['/usr/bin/node', '/opt/keel/dist/keel.cjs', 'app-server', ...listen];

describe('isDaemonProcess', () => {
  const table: Array<[name: string, probe: ProcessProbe, expected: boolean]> = [
    ['alive, started with --listen unix://SOCKET', probe(true, keelArgs(['--listen', `unix://${record.socketPath}`])), true],
    ['alive, --listen=unix://SOCKET', probe(true, keelArgs([`--listen=unix://${record.socketPath}`])), true],
    ['gone', probe(false, null), false],
    ['pid reused by another program', probe(true, ['/usr/sbin/sshd', '-D']), false],
    ['pid reused by a keel serving another socket', probe(true, keelArgs(['--listen', 'unix:///elsewhere.sock'])), false],
    ['a zombie (no arguments)', probe(true, []), false],
    ['alive where arguments cannot be read (no /proc)', probe(true, null), true],
    ['alive, same arguments, same start time and boot', probe(true, keelArgs(['--listen', `unix://${record.socketPath}`]), '5000', 'boot-a'), true],
    ['pid reused by a keel serving the same socket (another start time)', probe(true, keelArgs(['--listen', `unix://${record.socketPath}`]), '9000', 'boot-a'), false],
    ['pid reused after a restart (another boot)', probe(true, keelArgs(['--listen', `unix://${record.socketPath}`]), '5000', 'boot-b'), false],
  ];
  it.each(table)('%s', (_name, p, expected) => {
    expect(isDaemonProcess(record, p)).toBe(expected);
  });

  it('with the real OS: a live process started with those arguments is one; this test process is not', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'app-server', '--listen', `unix://${record.socketPath}`], { stdio: 'ignore' });
    try {
      const now = { startTime: startTimeOf(child.pid!), bootId: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() };
      expect(isDaemonProcess({ ...record, pid: child.pid!, ...now }, osProcessProbe)).toBe(true);
      expect(isDaemonProcess({ ...record, pid: process.pid, startTime: startTimeOf(process.pid), bootId: now.bootId }, osProcessProbe)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('with the real OS: a live process with those arguments but another start time (a reused pid) is not one; an older record without one is', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'app-server', '--listen', `unix://${record.socketPath}`], { stdio: 'ignore' });
    try {
      expect(isDaemonProcess({ ...record, pid: child.pid!, startTime: '1', bootId: null }, osProcessProbe)).toBe(false);
      expect(isDaemonProcess({ ...record, pid: child.pid!, startTime: null, bootId: null }, osProcessProbe)).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('with the real OS: a pid whose process has exited is not one', () => {
    const { pid } = spawnSync(process.execPath, ['-e', '']);
    expect(isDaemonProcess({ ...record, pid: pid! }, osProcessProbe)).toBe(false);
  });
});

describe('pid file', () => {
  it('reads a record an older Keel wrote (no start time or boot id) as one judged by its pid alone', () => {
    const file = path.join(tempDir(), 'daemon.pid');
    const { startTime: _s, bootId: _b, ...old } = record;
    fs.writeFileSync(file, JSON.stringify(old));
    expect(readPidFile(file)).toEqual({ ...record, startTime: null, bootId: null });
  });

  it('round-trips a record, written 0600', () => {
    const file = path.join(tempDir(), 'daemon.pid');
    writePidFile(file, record);
    expect(readPidFile(file)).toEqual(record);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['daemon.pid']);
  });

  it('states: none, running, stale (gone, reused, unreadable)', () => {
    const file = path.join(tempDir(), 'daemon.pid');
    const running = probe(true, keelArgs(['--listen', `unix://${record.socketPath}`]));
    expect(pidFileState(file, running)).toEqual({ state: 'stopped', stale: false });
    writePidFile(file, record);
    expect(pidFileState(file, running)).toEqual({ state: 'running', record });
    expect(pidFileState(file, probe(false, null))).toEqual({ state: 'stopped', stale: true });
    expect(pidFileState(file, probe(true, ['/bin/bash']))).toEqual({ state: 'stopped', stale: true });
    fs.writeFileSync(file, 'not json');
    expect(pidFileState(file, running)).toEqual({ state: 'stopped', stale: true });
    fs.writeFileSync(file, JSON.stringify({ pid: -1, socketPath: 'x' }));
    expect(pidFileState(file, running)).toEqual({ state: 'stopped', stale: true });
  });
});
