// The daemon's pid file: which records describe a running daemon. A pid whose process is gone, or
// that now belongs to another program, or to a zombie, describes none.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { osProcessProbe, type ProcessProbe } from '../../src/cli/daemon/process-probe.js';
import { isDaemonProcess, pidFileState, readPidFile, writePidFile, type DaemonRecord } from '../../src/cli/daemon/pid-file.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-pid-'));
  dirs.push(dir);
  return dir;
}

const record: DaemonRecord = { pid: 4242, socketPath: '/h/app-server-control/app-server-control.sock', version: '0.1.0', startedAtMs: 1_700_000_000_000 };
const probe = (alive: boolean, commandLine: string[] | null): ProcessProbe => ({ isAlive: () => alive, commandLine: () => commandLine });
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
  ];
  it.each(table)('%s', (_name, p, expected) => {
    expect(isDaemonProcess(record, p)).toBe(expected);
  });

  it('with the real OS: a live process started with those arguments is one; this test process is not', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'app-server', '--listen', `unix://${record.socketPath}`], { stdio: 'ignore' });
    try {
      expect(isDaemonProcess({ ...record, pid: child.pid! }, osProcessProbe)).toBe(true);
      expect(isDaemonProcess({ ...record, pid: process.pid }, osProcessProbe)).toBe(false);
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
