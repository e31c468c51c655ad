// The pid file of the daemon: which process serves which socket, since when. A pid file whose
// process is gone, or whose pid now belongs to another process (another start time or boot, see
// kernel/liveness.ts, or not started to serve that socket), describes no daemon.
import fs from 'node:fs';
import { whyNotAlive, type ProcessIdentity, type ProcessProbe } from '../../kernel/liveness.js';
import { PRIVATE_FILE_MODE } from '../../kernel/private-files.js';
import { listenUrl } from './daemon-paths.js';

/** `startTime` and `bootId` are null where there is no /proc, and in a record an older Keel wrote. */
export interface DaemonRecord extends ProcessIdentity {
  socketPath: string;
  /** The Keel version that started it. */
  version: string;
  startedAtMs: number;
}

export function readPidFile(file: string): DaemonRecord | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DaemonRecord>;
    const { pid, startTime, bootId, socketPath, version, startedAtMs } = parsed;
    if (!Number.isInteger(pid) || (pid as number) <= 0 || typeof socketPath !== 'string') return null;
    return {
      pid: pid as number,
      startTime: typeof startTime === 'string' ? startTime : null,
      bootId: typeof bootId === 'string' ? bootId : null,
      socketPath,
      version: typeof version === 'string' ? version : 'unknown',
      startedAtMs: typeof startedAtMs === 'number' ? startedAtMs : 0,
    };
  } catch {
    return null;
  }
}

/** Written whole or not at all: a reader never sees half a record. */
export function writePidFile(file: string, record: DaemonRecord): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(record)}\n`, { mode: PRIVATE_FILE_MODE });
  fs.renameSync(temp, file);
}

export function removePidFile(file: string): void {
  fs.rmSync(file, { force: true });
}

/**
 * The process is alive and is the daemon the record names: started with `--listen unix://SOCKET`.
 * Where the arguments cannot be read (no /proc) a live pid is taken at its word. A zombie's
 * arguments are empty, so a killed daemon nobody reaped counts as gone.
 */
export function isDaemonProcess(record: DaemonRecord, probe: ProcessProbe): boolean {
  if (whyNotAlive(record, probe) !== null) return false;
  const args = probe.commandLine(record.pid);
  if (args === null) return true;
  const url = listenUrl(record.socketPath);
  return args.some((arg, i) => (arg === '--listen' && args[i + 1] === url) || arg === `--listen=${url}`);
}

export type PidFileState =
  | { state: 'running'; record: DaemonRecord }
  /** `stale`: a pid file is there but no such daemon runs (gone, pid reused, or unreadable). */
  | { state: 'stopped'; stale: boolean };

export function pidFileState(file: string, probe: ProcessProbe): PidFileState {
  const record = readPidFile(file);
  if (record !== null && isDaemonProcess(record, probe)) return { state: 'running', record };
  return { state: 'stopped', stale: record !== null || fs.existsSync(file) };
}
