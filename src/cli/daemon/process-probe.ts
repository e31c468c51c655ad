// What the daemon commands ask the OS about a pid. An interface, so the pid-file and lock logic can
// be tested with processes that died or whose pid now belongs to another program.
import fs from 'node:fs';

export interface ProcessProbe {
  /** The process exists (it may belong to another user). */
  isAlive(pid: number): boolean;
  /** Its arguments (`/proc/PID/cmdline`), or null where they cannot be read (no /proc, or gone). */
  commandLine(pid: number): string[] | null;
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
};
