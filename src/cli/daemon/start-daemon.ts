// `daemon start`, and the proxy when no daemon listens: under the lock, a daemon that runs is
// reused (once it answers), a server someone started by hand on the socket is left serving, and
// otherwise one is spawned and waited for until it answers initialize. So however many start at
// once, one daemon ends up running.
import fs from 'node:fs';
import path from 'node:path';
import { identityOf } from '../../kernel/liveness.js';
import { makePrivateDir } from '../../kernel/private-files.js';
import { DaemonError, delay, type DaemonControl } from './daemon-control.js';
import type { DaemonPaths } from './daemon-paths.js';
import { describeError, isNoListener } from './daemon-socket.js';
import { withLock } from './lock-file.js';
import { isDaemonProcess, pidFileState, removePidFile, writePidFile, type DaemonRecord } from './pid-file.js';
import { logTail } from './spawn-daemon.js';
import { endDaemonProcess } from './stop-daemon.js';

/** `record` null: a server this command did not start answers on the socket. */
export type StartResult = { record: DaemonRecord; startedNow: boolean } | { record: null; startedNow: false };

export function startDaemon(paths: DaemonPaths, config: readonly string[], control: DaemonControl): Promise<StartResult> {
  makePrivateDir(paths.dir);
  const { lockTimeoutMs } = control.timing;
  return withLock(paths.lockFile, () => startLocked(paths, config, control), { timeoutMs: lockTimeoutMs, probe: control.probe });
}

async function startLocked(paths: DaemonPaths, config: readonly string[], control: DaemonControl): Promise<StartResult> {
  const state = pidFileState(paths.pidFile, control.probe);
  if (state.state === 'running') {
    const { record } = state;
    if (record.socketPath !== paths.socketPath) {
      throw new DaemonError(`the daemon of this KEEL_HOME (pid ${record.pid}) listens on ${record.socketPath}, not ${paths.socketPath}: stop it first, or use --sock ${record.socketPath}`);
    }
    // It may still be starting, if the one that started it died before it answered.
    const wait = await untilAnswering(paths.socketPath, control, () => (isDaemonProcess(record, control.probe) ? null : 'exited'));
    if (wait.ok) return { record, startedNow: false };
    throw new DaemonError(`the daemon (pid ${record.pid}) runs but does not answer on ${record.socketPath}${lastAttempt(wait.lastError)}; its log (${paths.logFile}) ends:`, logTail(paths.logFile));
  }
  if (state.stale) removePidFile(paths.pidFile);
  try {
    await control.handshake(paths.socketPath, control.timing.startTimeoutMs);
    return { record: null, startedNow: false };
  } catch (error) {
    if (!isNoListener(error)) throw new DaemonError(`${paths.socketPath}: ${describeError(error)}`);
  }
  removeDeadSocket(paths.socketPath);
  makePrivateDir(path.dirname(paths.socketPath));
  const daemon = control.spawn(paths, config);
  if (daemon.pid === 0) throw new DaemonError(`the daemon ${await daemon.exited}`);
  const record: DaemonRecord = { ...identityOf(daemon.pid, control.probe), socketPath: paths.socketPath, version: control.version, startedAtMs: Date.now() };
  writePidFile(paths.pidFile, record);
  let ended: string | null = null;
  void daemon.exited.then((how) => (ended = how));
  const wait = await untilAnswering(paths.socketPath, control, () => ended);
  if (wait.ok) return { record, startedNow: true };
  if (wait.ended !== null) {
    removePidFile(paths.pidFile);
    throw new DaemonError(`the daemon (pid ${record.pid}) ${wait.ended} before it answered initialize; its log (${paths.logFile}) ends:`, logTail(paths.logFile));
  }
  // Half-started is worse than not started: a later start begins afresh.
  await endDaemonProcess(record, control).catch(() => undefined);
  removePidFile(paths.pidFile);
  const { startTimeoutMs } = control.timing;
  throw new DaemonError(
    `the daemon (pid ${record.pid}) did not answer initialize on ${paths.socketPath} within ${startTimeoutMs} ms${lastAttempt(wait.lastError)}, and was stopped; its log (${paths.logFile}) ends:`,
    logTail(paths.logFile),
  );
}

/** A socket file nobody listens on (its server died): in the way of the next one. */
function removeDeadSocket(socketPath: string): void {
  try {
    if (fs.lstatSync(socketPath).isSocket()) fs.rmSync(socketPath, { force: true });
  } catch {
    // None there.
  }
}

type Wait = { ok: true } | { ok: false; ended: string | null; lastError: unknown };

/** Tries the handshake until it succeeds, the daemon has ended (`ended` says how), or the start timeout. */
async function untilAnswering(socketPath: string, control: DaemonControl, ended: () => string | null): Promise<Wait> {
  const { startTimeoutMs, pollMs } = control.timing;
  const deadline = Date.now() + startTimeoutMs;
  let lastError: unknown = null;
  while (ended() === null && Date.now() < deadline) {
    try {
      await control.handshake(socketPath, Math.max(deadline - Date.now(), 1));
      return { ok: true };
    } catch (error) {
      lastError = error;
    }
    if (ended() === null) await delay(pollMs);
  }
  return { ok: false, ended: ended(), lastError };
}

const lastAttempt = (error: unknown) => (error === null ? '' : ` (last attempt: ${describeError(error)})`);
