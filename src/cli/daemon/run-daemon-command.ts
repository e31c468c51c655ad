// Entry of the lazily loaded daemon commands. `daemon start|stop|status` print exactly one JSON
// object on stdout: 0 with the state, 1 with {"status":"error","message"} (the daemon log's tail,
// when there is one, on stderr). `proxy` bridges stdio to the daemon (run-proxy.ts).
import type { DaemonAction, DaemonCommand } from '../daemon-command-line.js';
import { DaemonError, type DaemonControl } from './daemon-control.js';
import { daemonPaths, type DaemonPaths } from './daemon-paths.js';
import { describeError } from './daemon-socket.js';
import { LockTimeout } from './lock-file.js';
import { osDaemonControl } from './os-daemon-control.js';
import { pidFileState, type DaemonRecord } from './pid-file.js';
import { runProxy } from './run-proxy.js';
import { startDaemon } from './start-daemon.js';
import { stopDaemon } from './stop-daemon.js';

type Report = Record<string, unknown>;

function running(record: DaemonRecord, paths: DaemonPaths): Report {
  return { status: 'running', pid: record.pid, socketPath: record.socketPath, version: record.version, startedAtMs: record.startedAtMs, logPath: paths.logFile };
}

export async function daemonReport(action: DaemonAction, paths: DaemonPaths, config: readonly string[], control: DaemonControl): Promise<Report> {
  if (action === 'status') {
    const state = pidFileState(paths.pidFile, control.probe);
    return state.state === 'running' ? running(state.record, paths) : { status: 'stopped', socketPath: paths.socketPath };
  }
  if (action === 'stop') {
    const result = await stopDaemon(paths, control);
    return result.wasRunning ? { status: 'stopped', wasRunning: true, pid: result.pid, forced: result.forced } : { status: 'stopped', wasRunning: false };
  }
  const result = await startDaemon(paths, config, control);
  if (result.record === null) {
    // Someone else's server answers there: reported, not managed (stop and status do not see it).
    return { status: 'running', pid: null, socketPath: paths.socketPath, version: null, startedAtMs: null, logPath: null, startedNow: false };
  }
  return { ...running(result.record, paths), startedNow: result.startedNow };
}

export async function runDaemonCommand(command: DaemonCommand): Promise<number> {
  if (command.command === 'proxy') return runProxy(command);
  const paths = daemonPaths(command.home, command.socketPath);
  try {
    const report = await daemonReport(command.action, paths, command.config, osDaemonControl(command.home));
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (error) {
    const known = error instanceof DaemonError || error instanceof LockTimeout;
    process.stdout.write(`${JSON.stringify({ status: 'error', message: known ? error.message : describeError(error) })}\n`);
    if (error instanceof DaemonError && error.detail !== '') process.stderr.write(error.detail.endsWith('\n') ? error.detail : `${error.detail}\n`);
    return 1;
  }
}
