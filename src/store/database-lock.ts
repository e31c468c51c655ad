// One writer per database. `<database>.lock`, beside it, names the process that writes it: pid,
// start time and boot (so a reused pid is not mistaken for the holder: kernel/liveness.ts), host,
// and since when. Another live
// holder means refusal, naming it; a holder that is gone (killed, crashed) leaves a stale lock,
// which the next process takes over and says so. Without this two processes would both accept
// turns on the same thread and the log would interleave them.
//
// Race-free: every check-and-write of the lock file runs inside `exclusive` — the database's own
// write lock (BEGIN IMMEDIATE), which the kernel drops when a process dies — so two processes
// taking over one stale lock run one after the other, and the second finds the first alive.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { identityOf, whyNotAlive, type ProcessIdentity } from '../kernel/liveness.js';
import { PRIVATE_FILE_MODE } from '../kernel/private-files.js';

/** `startTime` and `bootId` are null where there is no /proc; a lock from an older Keel has no `bootId` (read as null). */
export interface LockHolder extends ProcessIdentity {
  hostname: string;
  /** When the lock was taken (ISO 8601). */
  since: string;
}

export class DatabaseLockedError extends Error {
  constructor(file: string, lockFile: string, holder: LockHolder) {
    super(
      holder.hostname === os.hostname()
        ? `${file} is locked by process ${holder.pid} (a Keel on this host, writing it since ${holder.since}): one process writes a database at a time — stop that one, or start this one with another --db`
        : `${file} is locked by process ${holder.pid} on host ${holder.hostname} (since ${holder.since}), which this host cannot check: stop that Keel, or if it is gone, delete ${lockFile}`,
    );
    this.name = 'DatabaseLockedError';
  }
}

export interface DatabaseLock {
  /** Removes the lock file if it is still this process's. */
  release(): void;
}

export interface LockOptions {
  /** Runs `step` while no other process runs its own (the database's write lock). */
  exclusive(step: () => void): void;
  /** A stale lock was taken over: what it was and why it was stale. */
  onTakeover(message: string): void;
}

/** Takes the lock of `file` (which exists) or throws DatabaseLockedError. */
export function lockDatabase(file: string, options: LockOptions): DatabaseLock {
  // The real path: two spellings of one database (a symlink) must find the same lock.
  const lockFile = `${fs.realpathSync(file)}.lock`;
  const mine = `${JSON.stringify(currentHolder())}\n`;
  options.exclusive(() => {
    const text = readIfThere(lockFile);
    if (text !== undefined) {
      const holder = parseHolder(text);
      const stale = holder === undefined ? 'it is unreadable' : staleness(holder);
      if (stale === null) throw new DatabaseLockedError(file, lockFile, holder!);
      const who = holder === undefined ? '' : ` of process ${holder.pid} (since ${holder.since})`;
      options.onTakeover(`took over the stale lock ${lockFile}${who}: ${stale}`);
    }
    // Written whole to a temp file, then renamed over: a reader never sees half a lock.
    const temp = `${lockFile}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(temp, mine, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      fs.renameSync(temp, lockFile);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw error;
    }
  });
  return {
    release: () => {
      if (readIfThere(lockFile) === mine) fs.rmSync(lockFile, { force: true });
    },
  };
}

function currentHolder(): LockHolder {
  return { ...identityOf(process.pid), hostname: os.hostname(), since: new Date().toISOString() };
}

/** Why the holder's lock is stale, or null while its process lives (or cannot be checked: another host). */
function staleness(holder: LockHolder): string | null {
  return holder.hostname === os.hostname() ? whyNotAlive(holder) : null;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    const ok = Number.isSafeInteger(holder.pid) && holder.pid! > 0 && typeof holder.hostname === 'string' && typeof holder.since === 'string' &&
      (holder.startTime === null || typeof holder.startTime === 'string') && (holder.bootId == null || typeof holder.bootId === 'string');
    return ok ? { ...(holder as LockHolder), bootId: holder.bootId ?? null } : undefined;
  } catch {
    return undefined;
  }
}

function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
