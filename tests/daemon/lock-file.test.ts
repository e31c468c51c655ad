// The lock that serialises daemon starts and stops per KEEL_HOME: exclusive across processes, and a
// lock left by a dead process is broken — also when its pid now belongs to another process.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockTimeout, parseLockLine, withLock } from '../../src/cli/daemon/lock-file.js';
import { repoRoot } from '../helpers/conformance.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function lockPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-lock-'));
  dirs.push(dir);
  return path.join(dir, 'daemon.lock');
}

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
/** Field 22 of /proc/<pid>/stat, read here rather than through the code under test. */
const startTimeOf = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};
const bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const myLine = `${process.pid} ${startTimeOf(process.pid)} ${bootId}\n`;

describe('parseLockLine', () => {
  it.each<[string, ReturnType<typeof parseLockLine>]>([
    ['4242 5000 boot-a\n', { pid: 4242, startTime: '5000', bootId: 'boot-a' }],
    ['4242 - -\n', { pid: 4242, startTime: null, bootId: null }],
    ['4242\n', { pid: 4242, startTime: null, bootId: null }],
    ['4242 5000', null],
    ['', null],
    ['x\n', null],
    ['0\n', null],
  ])('%j', (text, expected) => {
    expect(parseLockLine(text)).toEqual(expected);
  });
});

describe('withLock', () => {
  it('holds the lock (0600: its pid, start time and boot id) while the work runs and removes it after', async () => {
    const file = lockPath();
    const seen = await withLock(file, async () => ({ text: fs.readFileSync(file, 'utf8'), mode: fs.statSync(file).mode & 0o777 }), { timeoutMs: 1_000 });
    expect(seen).toEqual({ text: myLine, mode: 0o600 });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('removes it when the work throws', async () => {
    const file = lockPath();
    await expect(withLock(file, async () => Promise.reject(new Error('boom')), { timeoutMs: 1_000 })).rejects.toThrow('boom');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('runs concurrent holders one after the other', async () => {
    const file = lockPath();
    const log: string[] = [];
    let release!: () => void;
    const first = withLock(file, () => (log.push('first in'), new Promise<void>((resolve) => (release = resolve))).then(() => log.push('first out')), { timeoutMs: 5_000, pollMs: 5 });
    const second = withLock(file, async () => log.push('second in'), { timeoutMs: 5_000, pollMs: 5 });
    await expect.poll(() => log).toEqual(['first in']);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['first in', 'first out', 'second in']);
  });

  it('breaks a lock whose holder died', async () => {
    const file = lockPath();
    fs.writeFileSync(file, `${deadPid()}\n`);
    expect(await withLock(file, async () => fs.readFileSync(file, 'utf8'), { timeoutMs: 1_000 })).toBe(myLine);
  });

  it('breaks a lock whose pid is alive but now names another process (another start time, or another boot)', async () => {
    for (const reused of [`${process.pid} 1 ${bootId}\n`, `${process.pid} ${startTimeOf(process.pid)} another-boot\n`]) {
      const file = lockPath();
      fs.writeFileSync(file, reused);
      expect(await withLock(file, async () => fs.readFileSync(file, 'utf8'), { timeoutMs: 1_000 })).toBe(myLine);
    }
  });

  it('judges a lock an older Keel wrote (its pid alone) by that pid: a live one is waited for', async () => {
    const file = lockPath();
    fs.writeFileSync(file, `${process.pid}\n`);
    await expect(withLock(file, async () => 'never', { timeoutMs: 50, pollMs: 10 })).rejects.toBeInstanceOf(LockTimeout);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('breaks an empty lock once it is old (its creator died before writing), not before', async () => {
    const file = lockPath();
    fs.writeFileSync(file, '');
    await expect(withLock(file, async () => 'got it', { timeoutMs: 100, pollMs: 10, emptyStaleMs: 60_000 })).rejects.toBeInstanceOf(LockTimeout);
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(file, old, old);
    expect(await withLock(file, async () => 'got it', { timeoutMs: 1_000, emptyStaleMs: 60_000 })).toBe('got it');
  });

  it('gives up on a live holder after the timeout, naming it and the file', async () => {
    const file = lockPath();
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    fs.writeFileSync(file, `${holder.pid}\n`);
    try {
      const error = await withLock(file, async () => 'never', { timeoutMs: 100, pollMs: 10 }).catch((e: unknown) => e);
      expect(error).toEqual(new LockTimeout(`another keel (pid ${holder.pid}) has held ${file} for over 100 ms; if no keel runs, remove that file`));
      expect(fs.readFileSync(file, 'utf8')).toBe(`${holder.pid}\n`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('is exclusive across processes, and several waiters breaking the same dead lock take it one at a time', async () => {
    const file = lockPath();
    const counter = path.join(path.dirname(file), 'counter');
    fs.writeFileSync(counter, '0');
    fs.writeFileSync(file, `${deadPid()}\n`);
    // A read-modify-write of the counter: any two holders at once lose an increment.
    const script = `
      import fs from 'node:fs';
      import { withLock } from './src/cli/daemon/lock-file.ts';
      for (let i = 0; i < 50; i++) {
        await withLock(${JSON.stringify(file)}, async () => {
          const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8'));
          await new Promise((resolve) => setImmediate(resolve));
          fs.writeFileSync(${JSON.stringify(counter)}, String(n + 1));
        }, { timeoutMs: 30_000, pollMs: 1 });
      }`;
    const children = Array.from({ length: 4 }, () => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] }));
    const codes = await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    expect({ codes, counter: fs.readFileSync(counter, 'utf8'), lockLeft: fs.existsSync(file) }).toEqual({ codes: [0, 0, 0, 0], counter: '200', lockLeft: false });
  }, 60_000);
});
