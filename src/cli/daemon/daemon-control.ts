// What `daemon start` and `daemon stop` do with the pid file, the lock and the process, with the OS
// and the socket passed in, so the rules can be tested with fake daemons.
import type { DaemonPaths } from './daemon-paths.js';
import type { ProcessProbe } from '../../kernel/liveness.js';
import type { SpawnedDaemon } from './spawn-daemon.js';

export interface DaemonControl {
  probe: ProcessProbe;
  /** Resolves once the server on the socket answers initialize; rejects with the connection's error. */
  handshake(socketPath: string, timeoutMs: number): Promise<void>;
  spawn(paths: DaemonPaths, config: readonly string[]): SpawnedDaemon;
  kill(pid: number, signal: NodeJS.Signals): void;
  version: string;
  timing: DaemonTiming;
}

export interface DaemonTiming {
  /** A start gives up when the daemon has not answered initialize within this. */
  startTimeoutMs: number;
  /** A stop sends SIGKILL when SIGTERM has not ended the daemon within this. */
  stopGraceMs: number;
  /** How long a start or stop waits for another one to finish. */
  lockTimeoutMs: number;
  /** How often the daemon's socket or process is looked at while waiting. */
  pollMs: number;
}

export const defaultTiming: DaemonTiming = { startTimeoutMs: 10_000, stopGraceMs: 5_000, lockTimeoutMs: 30_000, pollMs: 50 };

/** A start or stop that failed; `detail` (the daemon log's tail) is for stderr. */
export class DaemonError extends Error {
  constructor(
    message: string,
    readonly detail = '',
  ) {
    super(message);
  }
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
