// One writer per database: the lock file beside it, taken by openDatabase and released by close().
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type KeelDatabase } from '../../src/store/database.js';
import { repoRoot } from '../helpers/conformance.js';

const dirs: string[] = [];
const opened: KeelDatabase[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function databaseFile(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-lock-')));
  dirs.push(dir);
  return path.join(dir, 'keel.db');
}

async function open(file: string, warnings: string[] = []): Promise<KeelDatabase> {
  const database = await openDatabase(file, { onWarning: (message) => warnings.push(message) });
  opened.push(database);
  return database;
}

/** Field 22 of /proc/<pid>/stat: the process's start time, in clock ticks since boot. */
function startTimeOf(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

/** The pid of a process that has come and gone (spawnSync reaps it). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

const bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const readLock = (file: string) => JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8'));
const writeLock = (file: string, holder: Record<string, unknown>) => fs.writeFileSync(`${file}.lock`, `${JSON.stringify(holder)}\n`);
const since = '2026-01-02T03:04:05.000Z';

describe('the database lock', () => {
  it('is taken beside the database, 0600, naming this process; close() removes it', async () => {
    const file = databaseFile();
    const database = await open(file);
    expect(readLock(file)).toEqual({ pid: process.pid, startTime: startTimeOf(process.pid), bootId, hostname: os.hostname(), since: expect.any(String) });
    expect(Date.parse(readLock(file).since)).toBeGreaterThan(Date.now() - 60_000);
    expect(fs.statSync(`${file}.lock`).mode & 0o777).toBe(0o600);
    await database.close();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('refuses a second writer while its holder lives, naming the holder; the lock stays the holder’s', async () => {
    const file = databaseFile();
    await open(file);
    const lock = fs.readFileSync(`${file}.lock`, 'utf8');
    const { since: heldSince } = readLock(file);
    await expect(openDatabase(file)).rejects.toThrow(
      `${file} is locked by process ${process.pid} (a Keel on this host, writing it since ${heldSince}): one process writes a database at a time — stop that one, or start this one with another --db`,
    );
    expect(fs.readFileSync(`${file}.lock`, 'utf8')).toBe(lock);
  });

  it('judges a lock an older Keel wrote (no boot id) by its pid and start time: a live holder is refused', async () => {
    const file = databaseFile();
    writeLock(file, { pid: process.pid, startTime: startTimeOf(process.pid), hostname: os.hostname(), since });
    await expect(openDatabase(file)).rejects.toThrow(`${file} is locked by process ${process.pid} (a Keel on this host, writing it since ${since})`);
  });

  it('refuses a lock held from another host, which this host cannot check, and says how to clear it', async () => {
    const file = databaseFile();
    writeLock(file, { pid: 4242, startTime: '77', hostname: 'elsewhere.example', since });
    await expect(openDatabase(file)).rejects.toThrow(
      `${file} is locked by process 4242 on host elsewhere.example (since ${since}), which this host cannot check: stop that Keel, or if it is gone, delete ${file}.lock`,
    );
  });

  const stale: Array<[name: string, holder: () => Record<string, unknown> | string, reason: string]> = [
    ['its process is gone', () => ({ pid: deadPid(), startTime: '77', hostname: os.hostname(), since }), 'its process is gone'],
    [
      'its pid now names another process (another start time)',
      () => ({ pid: process.pid, startTime: '1', hostname: os.hostname(), since }),
      'its pid now belongs to another process',
    ],
    [
      'its pid and start time are alive, but from an earlier boot',
      () => ({ pid: process.pid, startTime: startTimeOf(process.pid), bootId: 'an-earlier-boot', hostname: os.hostname(), since }),
      'the machine has restarted since',
    ],
    ['it is not a lock Keel wrote', () => 'not json', 'it is unreadable'],
  ];
  for (const [name, holder, reason] of stale) {
    it(`is taken over, and said so, when ${name}`, async () => {
      const file = databaseFile();
      const made = holder();
      if (typeof made === 'string') fs.writeFileSync(`${file}.lock`, made);
      else writeLock(file, made);
      const warnings: string[] = [];
      await open(file, warnings);
      expect(readLock(file)).toMatchObject({ pid: process.pid, hostname: os.hostname() });
      expect(warnings).toEqual([expect.stringMatching(new RegExp(`^took over the stale lock ${file}\\.lock.*: ${reason}$`))]);
    });
  }

  it('close() leaves alone a lock that is no longer its own', async () => {
    const file = databaseFile();
    const database = await open(file);
    writeLock(file, { pid: 4242, startTime: '77', hostname: 'elsewhere.example', since });
    await database.close();
    expect(readLock(file)).toMatchObject({ pid: 4242 });
  });

  it('is not taken for an in-memory database', async () => {
    const database = await open(':memory:');
    expect(database.path).toBe(':memory:');
    expect(fs.existsSync(':memory:.lock')).toBe(false);
  });

  it('lets exactly one of many processes racing for a stale lock take it over', async () => {
    const file = databaseFile();
    writeLock(file, { pid: deadPid(), startTime: '77', hostname: os.hostname(), since });
    // Each child opens the database when told to go (all at once), reports, and holds it until stdin ends.
    const script = `
      import { openDatabase } from ${JSON.stringify(path.join(repoRoot, 'src/store/database.ts'))};
      process.stdout.write('ready\\n');
      process.stdin.once('data', async () => {
        try { const db = await openDatabase(${JSON.stringify(file)}); process.stdout.write('held\\n'); process.stdin.once('end', () => db.close()); }
        catch (error) { process.stdout.write('refused ' + error.message + '\\n'); }
      });`;
    const children = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8');
      const line = (prefix: string) => new Promise<string>((resolve) => child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const found = out.split('\n').find((l) => l.startsWith(prefix));
        if (found !== undefined) resolve(found);
      }));
      return { child, ready: line('ready'), outcome: Promise.race([line('held'), line('refused')]) };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const { child } of children) child.stdin.write('go\n');
    const outcomes = await Promise.all(children.map((c) => c.outcome));
    for (const { child } of children) child.stdin.end();
    await Promise.all(children.map(({ child }) => new Promise((resolve) => child.on('close', resolve))));
    expect(outcomes.filter((o) => o === 'held')).toHaveLength(1);
    // A loser is refused by the lock file, or — when it got past the lock check while the winner was
    // taking over — by SQLite's own write lock; both name the database and why.
    const clear = (o: string) => o.includes(`${file} is locked by process `) || o.includes(`${file} is busy: another process holds its write lock`);
    expect(outcomes.filter((o) => o.startsWith('refused ') && !clear(o))).toEqual([]);
  }, 60_000); // each child loads the TypeScript sources through tsx
});
