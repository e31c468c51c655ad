// One start or stop at a time per KEEL_HOME: a lock file created with O_EXCL that holds its owner's
// pid, start time and boot id, space-separated on one line (pid first: an older Keel, which reads
// the pid alone, still recognises a live owner). A lock whose owner died, or whose pid now belongs
// to another process (kernel/liveness.ts), is broken — by one waiter at a time (a second O_EXCL
// file guards the break), so two waiters cannot both remove it and the fresh lock one of them took
// meanwhile.
import fs from 'node:fs';
import { identityOf, osProcessProbe, whyNotAlive, type ProcessIdentity, type ProcessProbe } from '../../kernel/liveness.js';
import { PRIVATE_FILE_MODE } from '../../kernel/private-files.js';

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  timeoutMs: number;
  probe?: ProcessProbe;
  pollMs?: number;
  /** A lock file still empty after this long lost its owner between create and write. */
  emptyStaleMs?: number;
}

export class LockTimeout extends Error {}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** `pid startTime bootId`, '-' for what cannot be known here (no /proc). */
function lockLine(identity: ProcessIdentity): string {
  return `${identity.pid} ${identity.startTime ?? '-'} ${identity.bootId ?? '-'}\n`;
}

/**
 * The owner a lock names; an older Keel's lock (the pid alone) has no start time or boot id. Null:
 * no whole line yet (its creator is still writing it, or died first: judged by the file's age).
 */
export function parseLockLine(text: string): ProcessIdentity | null {
  if (!text.endsWith('\n')) return null;
  const [pidText = '', startTime = '-', bootId = '-'] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!/^\d+$/.test(pidText) || !Number.isSafeInteger(pid) || pid <= 0) return null;
  return { pid, startTime: startTime === '-' ? null : startTime, bootId: bootId === '-' ? null : bootId };
}

function tryCreate(file: string, content: string): boolean {
  try {
    const fd = fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
    try {
      fs.writeSync(fd, content);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    throw error;
  }
}

/** The lock's content and age, or null when it is gone. */
function readLock(file: string): { text: string; ageMs: number } | null {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return { text, ageMs: Date.now() - fs.statSync(file).mtimeMs };
  } catch (error) {
    if (errno(error) === 'ENOENT') return null;
    throw error;
  }
}

function isStale(lock: { text: string; ageMs: number }, probe: ProcessProbe, emptyStaleMs: number): boolean {
  const owner = parseLockLine(lock.text);
  if (owner !== null) return whyNotAlive(owner, probe) !== null;
  return lock.ageMs > emptyStaleMs;
}

/** Removes the lock if it still holds `staleText`, and says whether it tried; one breaker at a time. */
function breakStale(file: string, staleText: string, emptyStaleMs: number, mine: string): boolean {
  const guard = `${file}.break`;
  if (!tryCreate(guard, mine)) {
    // A breaker that died holding the guard: its work takes microseconds, so an old guard is stale.
    const old = readLock(guard);
    if (old !== null && old.ageMs > emptyStaleMs) fs.rmSync(guard, { force: true });
    return false;
  }
  try {
    // Nobody else removes a stale lock while we hold the guard, so it cannot change between these.
    if (readLock(file)?.text === staleText) fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/** Runs `work` holding the lock; waits for another holder up to `timeoutMs`, breaking a dead one's lock. */
export async function withLock<T>(file: string, work: () => Promise<T>, options: LockOptions): Promise<T> {
  const { timeoutMs, probe = osProcessProbe, pollMs = 25, emptyStaleMs = 5_000 } = options;
  const deadline = Date.now() + timeoutMs;
  const mine = lockLine(identityOf(process.pid, probe));
  for (;;) {
    if (tryCreate(file, mine)) break;
    const lock = readLock(file);
    if (lock === null) continue;
    if (isStale(lock, probe, emptyStaleMs) && breakStale(file, lock.text, emptyStaleMs, mine)) continue;
    if (Date.now() >= deadline) {
      throw new LockTimeout(`another keel (pid ${parseLockLine(lock.text)?.pid ?? '?'}) has held ${file} for over ${timeoutMs} ms; if no keel runs, remove that file`);
    }
    await delay(pollMs);
  }
  try {
    return await work();
  } finally {
    fs.rmSync(file, { force: true });
  }
}
