// Where the daemon of a KEEL_HOME keeps its state: one directory, private to its owner.
import path from 'node:path';

export interface DaemonPaths {
  /** `$KEEL_HOME/app-server-daemon/` (0700). */
  dir: string;
  /** JSON: the running daemon's pid, socket, version and start time. */
  pidFile: string;
  /** The daemon's stdout and stderr, truncated at each start. */
  logFile: string;
  /** Held (O_EXCL) while a start or stop is under way: one at a time per KEEL_HOME. */
  lockFile: string;
  socketPath: string;
}

export function daemonPaths(home: string, socketPath: string): DaemonPaths {
  const dir = path.join(home, 'app-server-daemon');
  return { dir, pidFile: path.join(dir, 'daemon.pid'), logFile: path.join(dir, 'daemon.log'), lockFile: path.join(dir, 'daemon.lock'), socketPath };
}

/** The `--listen` value the daemon is started with; also how its process is recognised. */
export function listenUrl(socketPath: string): string {
  return `unix://${socketPath}`;
}
