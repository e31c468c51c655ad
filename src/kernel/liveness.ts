// Is the process a lock or pid file names still the one that wrote it? One answer for the three
// files that name a holder (keel.db's lock, the daemon's start/stop lock, the daemon's pid file).
//
// A pid alone is not enough: pids are reused, so a holder that died can seem alive while some
// other process wears its pid — and its lock would never be taken over. A holder is therefore
// recorded with its start time (field 22 of /proc/<pid>/stat, clock ticks since boot) and the boot
// it ran in (/proc/sys/kernel/random/boot_id: start times restart from zero at every boot). A
// record without them (no /proc, or written by an older Keel) is judged by its pid alone.
import fs from 'node:fs';
import { procStatFields } from './proc-stat.js';

/** Who holds a lock: enough to tell it from a later process given the same pid. */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat; null where there is no /proc (or not recorded). */
  startTime: string | null;
  /** The boot the process ran in; null where there is no /proc (or not recorded). */
  bootId: string | null;
}

/** What Keel asks the OS about a pid. An interface, so the rules can be tested with processes that died or whose pid now belongs to another program. */
export interface ProcessProbe {
  /** The process exists (it may belong to another user). */
  isAlive(pid: number): boolean;
  /** Its arguments (`/proc/PID/cmdline`), or null where they cannot be read (no /proc, or gone). */
  commandLine(pid: number): string[] | null;
  /** Its state letter (Z: a zombie) and start time, or null where they cannot be read (no /proc, or gone). */
  stat(pid: number): { state: string; startTime: string } | null;
  /** This boot's id, or null where there is none (no /proc). */
  bootId(): string | null;
}

export const osProcessProbe: ProcessProbe = {
  isAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: it exists, as someone else's.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  commandLine(pid) {
    try {
      const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return raw.split('\0').filter((arg, i, all) => arg !== '' || i < all.length - 1);
    } catch {
      return null;
    }
  },
  stat(pid) {
    const fields = procStatFields(pid);
    return fields === null ? null : { state: fields[0]!, startTime: fields[19]! };
  },
  bootId() {
    try {
      return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      return null;
    }
  },
};

/** The identity of the process `pid` now, as a holder records it. */
export function identityOf(pid: number, probe: ProcessProbe = osProcessProbe): ProcessIdentity {
  return { pid, startTime: probe.stat(pid)?.startTime ?? null, bootId: probe.bootId() };
}

/**
 * Why the recorded holder is no longer alive, or null while it is (or cannot be told apart: a
 * field not recorded, or not readable here, is not compared). Same host only: a pid means nothing
 * on another machine, so callers decide about other hosts before asking.
 */
export function whyNotAlive(holder: ProcessIdentity, probe: ProcessProbe = osProcessProbe): string | null {
  if (holder.bootId !== null) {
    const boot = probe.bootId();
    if (boot !== null && boot !== holder.bootId) return 'the machine has restarted since';
  }
  if (!probe.isAlive(holder.pid)) return 'its process is gone';
  const now = probe.stat(holder.pid);
  if (now?.state === 'Z') return 'its process has exited';
  if (now !== null && holder.startTime !== null && now.startTime !== holder.startTime) return 'its pid now belongs to another process';
  return null;
}
