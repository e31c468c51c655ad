// Starts `keel app-server --listen unix://SOCKET` in the background: its own session (a Ctrl-C or a
// closed terminal of whoever started it does not reach it), no stdin, stdout and stderr to the log
// (truncated, so its tail is this run's), and not waited for.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../kernel/private-files.js';
import { listenUrl, type DaemonPaths } from './daemon-paths.js';

export interface SpawnedDaemon {
  pid: number;
  /** Resolves with how it ended, if it ends while the starter still runs. */
  exited: Promise<string>;
}

export interface SpawnSettings {
  /** The Node binary and the Keel program (dist/keel.cjs) to run. */
  execPath: string;
  programPath: string;
  env: NodeJS.ProcessEnv;
  /** Where it runs: KEEL_HOME (or `/`), so it holds no client's directory open. */
  cwd: string;
}

/** Node's own flags first: --expose-gc, which the launcher's shebang would give it (kernel/idle-gc.ts). */
function daemonArgs(programPath: string, socketPath: string, config: readonly string[]): string[] {
  return ['--expose-gc', programPath, 'app-server', '--listen', listenUrl(socketPath), ...config.flatMap((value) => ['-c', value])];
}

export function spawnDaemon(paths: DaemonPaths, config: readonly string[], settings: SpawnSettings): SpawnedDaemon {
  makePrivateDir(paths.dir);
  const log = fs.openSync(paths.logFile, 'w', PRIVATE_FILE_MODE);
  try {
    const child = spawn(settings.execPath, daemonArgs(settings.programPath, paths.socketPath, config), {
      cwd: settings.cwd,
      env: settings.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(`could not start: ${error.message}`));
      child.once('exit', (code, signal) => resolve(signal !== null ? `killed by ${signal}` : `exited with code ${code}`));
    });
    if (child.pid === undefined) return { pid: 0, exited };
    child.unref();
    return { pid: child.pid, exited };
  } finally {
    fs.closeSync(log);
  }
}

/** The last lines of the daemon's log, for a start that failed. */
export function logTail(logFile: string, maxBytes = 4_000): string {
  try {
    const size = fs.statSync(logFile).size;
    const fd = fs.openSync(logFile, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(size, maxBytes));
      fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}
