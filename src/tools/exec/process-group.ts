// Process groups: every command runs as the leader of its own group (spawned detached), so one
// signal to the group reaches the shell and everything it started — `sleep 30 & sleep 30; wait`
// included. A process that makes its own group or session (setsid, a daemon) leaves ours and is
// not reached; that is the one way out. Membership is read from /proc (Linux only; elsewhere the
// lists are empty and `groupExists` still answers through kill(2)).
import fs from 'node:fs';
import { procStatFields } from '../../kernel/proc-stat.js';

/** Sends `signal` to every process of group `pgid`; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Whether any process (a zombie counts) is still in group `pgid`. */
export function groupExists(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

export interface ProcessEntry {
  pid: number;
  /** `/proc/<pid>/stat`'s state: R, S, D, Z (a zombie: ended, waiting for its parent to reap it)… */
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
}

/** One process as /proc describes it, or null when it is gone (or there is no /proc). */
export function readProcess(pid: number): ProcessEntry | null {
  const fields = procStatFields(pid);
  if (fields === null) return null;
  return { pid, state: fields[0] ?? '?', ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]) };
}

/** Every process of group `pgid`, zombies included (empty where there is no /proc). */
export function groupMembers(pgid: number): ProcessEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const members: ProcessEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProcess(Number(name));
    if (entry !== null && entry.pgid === pgid) members.push(entry);
  }
  return members;
}

/** The members of group `pgid` that still run (zombies have ended: only their exit status is left). */
export function liveGroupMembers(pgid: number): number[] {
  return groupMembers(pgid)
    .filter((entry) => entry.state !== 'Z' && entry.state !== 'X')
    .map((entry) => entry.pid);
}

/** The children of `pid` (Linux's /proc/<pid>/task/<pid>/children), empty when unknown. */
export function childPids(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter((field) => /^\d+$/.test(field))
      .map(Number);
  } catch {
    return [];
  }
}
