// `daemon stop`: SIGTERM (the server ends its turns, flushes and closes its store), then SIGKILL
// when that has not ended it within the grace period. Stopping when nothing runs is not an error;
// a stale pid file is removed either way.
import fs from 'node:fs';
import { defaultTiming, DaemonError, delay, type DaemonControl } from './daemon-control.js';
import type { DaemonPaths } from './daemon-paths.js';
import { withLock } from './lock-file.js';
import { isDaemonProcess, pidFileState, removePidFile, type DaemonRecord } from './pid-file.js';

export type StopResult = { wasRunning: false } | { wasRunning: true; pid: number; forced: boolean };

export async function stopDaemon(paths: DaemonPaths, control: DaemonControl): Promise<StopResult> {
  // Never started here: nothing to stop, and no directory to make for the lock.
  if (!fs.existsSync(paths.dir)) return { wasRunning: false };
  const { lockTimeoutMs } = control.timing;
  return withLock(paths.lockFile, () => stopLocked(paths, control), { timeoutMs: lockTimeoutMs, probe: control.probe });
}

async function stopLocked(paths: DaemonPaths, control: DaemonControl): Promise<StopResult> {
  const state = pidFileState(paths.pidFile, control.probe);
  if (state.state === 'stopped') {
    if (state.stale) removePidFile(paths.pidFile);
    return { wasRunning: false };
  }
  const forced = await endDaemonProcess(state.record, control);
  removePidFile(paths.pidFile);
  return { wasRunning: true, pid: state.record.pid, forced };
}

/** Ends the daemon's process; resolves true when it took SIGKILL. */
export async function endDaemonProcess(record: DaemonRecord, control: DaemonControl): Promise<boolean> {
  const { stopGraceMs, pollMs } = control.timing;
  const endedWithin = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (isDaemonProcess(record, control.probe)) {
      if (Date.now() >= deadline) return false;
      await delay(pollMs);
    }
    return true;
  };
  signal(record.pid, 'SIGTERM', control);
  if (await endedWithin(stopGraceMs)) return false;
  signal(record.pid, 'SIGKILL', control);
  if (await endedWithin(Math.max(stopGraceMs, defaultTiming.pollMs * 20))) return true;
  throw new DaemonError(`the daemon (pid ${record.pid}) is still running after SIGKILL`);
}

function signal(pid: number, name: NodeJS.Signals, control: DaemonControl): void {
  try {
    control.kill(pid, name);
  } catch (error) {
    // Gone already: what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
