// Signalling a server's whole process group (POSIX; on Windows only the process itself), and the
// last resort: groups still alive when Keel exits are sent SIGTERM, so a Keel that exits without
// shutting its MCP manager down leaves no servers behind.
import fs from 'node:fs';
import { groupExists, liveGroupMembers, signalGroup as signalExecGroup } from '../tools/exec/process-group.js';

const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function rememberProcessGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGTERM');
  });
}

export function forgetProcessGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** Signals the whole group (the process itself on Windows); a group already gone is no error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') process.kill(pid, signal);
    else signalExecGroup(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Whether any process of the group still runs. A zombie does not count: once a grandchild is
 * dead, reaping it is its new parent's business (an init that never reaps must not stall stop()).
 */
export function groupAlive(pid: number): boolean {
  try {
    if (process.platform === 'win32') process.kill(pid, 0);
    else if (!groupExists(pid)) return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Without /proc the members cannot be told apart: the group counts as alive while it exists.
  return process.platform !== 'linux' || !fs.existsSync('/proc/self') || liveGroupMembers(pid).length > 0;
}

/** Checks `done` every 10 ms until it holds or `timeoutMs` passes; for stop paths only, never while idle. */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
