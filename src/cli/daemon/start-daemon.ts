// `daemon start`, and the proxy when no daemon listens: under the lock, a daemon that runs is
// reused (once it answers), a server someone started by hand on the socket is left serving, and
// otherwise one is spawned and waited for until it answers initialize. So however many start at
// once, one daemon ends up running.
import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../../kernel/private-files.js';
import { DaemonError, delay, type DaemonControl } from './daemon-control.js';
import type { DaemonPaths } from './daemon-paths.js';
import { describeError, isNoListener } from './daemon-socket.js';
import { withLock } from './lock-file.js';
import { pidFileState, removePidFile, writePidFile, type DaemonRecord } from './pid-file.js';
import { logTail, type SpawnedDaemon } from './spawn-daemon.js';
import { endDaemonProcess } from './stop-daemon.js';

/** `record` null: a server this command did not start answers on the socket. */
export type StartResult = { record: DaemonRecord; startedNow: boolean } | { record: null; startedNow: false };

export function startDaemon(paths: DaemonPaths, config: readonly string[], control: DaemonControl): Promise<StartResult> {
  makePrivateDir(paths.dir);
  const { lockTimeoutMs } = control.timing;
  return withLock(paths.lockFile, () => startLocked(paths, config, control), { timeoutMs: lockTimeoutMs, probe: control.probe });
}

async function startLocked(paths: DaemonPaths, config: readonly string[], control: DaemonControl): Promise<StartResult> {
  const { startTimeoutMs } = control.timing;
  const state = pidFileState(paths.pidFile, control.probe);
  if (state.state === 'running') {
    const { record } = state;
    if (record.socketPath !== paths.socketPath) {
      throw new DaemonError(`the daemon of this KEEL_HOME (pid ${record.pid}) listens on ${record.socketPath}, not ${paths.socketPath}: stop it first, or use --sock ${record.socketPath}`);
    }
    try {
      await control.handshake(record.socketPath, startTimeoutMs);
    } catch (error) {
      throw new DaemonError(`the daemon (pid ${record.pid}) runs but does not answer on ${record.socketPath}: ${describeError(error)}`, logTail(paths.logFile));
    }
    return { record, startedNow: false };
  }
  if (state.stale) removePidFile(paths.pidFile);
  try {
    await control.handshake(paths.socketPath, startTimeoutMs);
    return { record: null, startedNow: false };
  } catch (error) {
    if (!isNoListener(error)) throw new DaemonError(`${paths.socketPath}: ${describeError(error)}`);
  }
  removeDeadSocket(paths.socketPath);
  makePrivateDir(path.dirname(paths.socketPath));
  const daemon = control.spawn(paths, config);
  if (daemon.pid === 0) throw new DaemonError(`the daemon ${await daemon.exited}`);
  const record: DaemonRecord = { pid: daemon.pid, socketPath: paths.socketPath, version: control.version, startedAtMs: Date.now() };
  writePidFile(paths.pidFile, record);
  await untilServing(paths, record, daemon, control);
  return { record, startedNow: true };
}

/** A socket file nobody listens on (its server died): in the way of the next one. */
function removeDeadSocket(socketPath: string): void {
  try {
    if (fs.lstatSync(socketPath).isSocket()) fs.rmSync(socketPath, { force: true });
  } catch {
    // None there.
  }
}

async function untilServing(paths: DaemonPaths, record: DaemonRecord, daemon: SpawnedDaemon, control: DaemonControl): Promise<void> {
  const { startTimeoutMs, pollMs } = control.timing;
  const deadline = Date.now() + startTimeoutMs;
  let ended: string | null = null;
  void daemon.exited.then((how) => (ended = how));
  let lastError: unknown = null;
  while (ended === null && Date.now() < deadline) {
    try {
      await control.handshake(paths.socketPath, Math.max(deadline - Date.now(), 1));
      return;
    } catch (error) {
      lastError = error;
    }
    if (ended === null) await delay(pollMs);
  }
  if (ended !== null) {
    removePidFile(paths.pidFile);
    throw new DaemonError(`the daemon (pid ${record.pid}) ${ended} before it answered initialize; its log (${paths.logFile}) ends:`, logTail(paths.logFile));
  }
  // Half-started is worse than not started: a later start begins afresh.
  await endDaemonProcess(record, control).catch(() => undefined);
  removePidFile(paths.pidFile);
  const last = lastError === null ? '' : ` (last attempt: ${describeError(lastError)})`;
  throw new DaemonError(`the daemon (pid ${record.pid}) did not answer initialize on ${paths.socketPath} within ${startTimeoutMs} ms${last}, and was stopped; its log (${paths.logFile}) ends:`, logTail(paths.logFile));
}
