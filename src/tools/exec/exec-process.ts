// One running command: spawned as the leader of its own process group (detached), stdout and stderr
// read as they arrive, decoded as UTF-8 per stream (a character split across chunks is held until
// it is whole), merged in arrival order into the output Keel keeps (HeadTailText, 1 MiB by
// default). A timeout, an abort signal or terminate() ends the whole group: SIGTERM, then SIGKILL
// after a grace. The result says which of them ended it.
//
// When the command's own process exits, Keel reads on until its pipes close. A background process
// that keeps them open (`server &`) is given EXIT_DRAIN_MS, then Keel stops reading and reports
// the command ended; that process is left running (it may die of SIGPIPE on its next write).
//
// Backpressure: an output callback that returns a promise pauses reading (so the command blocks on
// a full pipe) until the promise settles.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { defaultCommandEnv } from './env.js';
import { ExecError } from './errors.js';
import { HeadTailText, OUTPUT_MAX_BYTES } from './output-caps.js';
import { signalGroup } from './process-group.js';
import { DEFAULT_TERMINAL_SIZE, ptyCommand, ptyLeader, requirePty, resizePty, type TerminalSize } from './pty.js';
import { sandboxedLaunch, SECCOMP_FD, type CommandSandbox, type SandboxLaunch } from '../sandbox/bubblewrap.js';

export type OutputStream = 'stdout' | 'stderr';

/** Between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 1_000;
/** How long Keel reads on after the command's process exited while something still holds its pipes. */
export const EXIT_DRAIN_MS = 1_000;

export interface ExecSpec {
  /** Program and arguments, run as given (no shell unless argv names one: see shellArgv). */
  argv: readonly string[];
  cwd: string;
  /** The whole environment; default Keel's under the default shell_environment_policy (env.ts defaultCommandEnv). */
  env?: NodeJS.ProcessEnv;
  /** `pipe` (default): writable through write(); `closed`: the command reads EOF. A tty always has one. */
  stdin?: 'pipe' | 'closed';
  /** Run in a pseudo-terminal (see pty.ts); stdout and stderr then arrive merged on stdout. */
  tty?: boolean;
  /** The terminal's size with `tty`; default 24×80. */
  size?: TerminalSize;
  /** Ends the command after this long (0: at once); null or absent: no timeout. */
  timeoutMs?: number | null;
  /** Ends the command when aborted (a turn interrupt, a cancelled request). */
  signal?: AbortSignal;
  /** Output kept for the result: head and tail, the middle elided and said so. Default 1 MiB. */
  maxOutputBytes?: number;
  killGraceMs?: number;
  drainMs?: number;
  /** Decoded output as it arrives, per stream. A returned promise pauses reading until it settles. */
  onOutput?: (text: string, stream: OutputStream) => void | Promise<void>;
  /** Raw bytes as they arrive, per stream. A returned promise pauses reading until it settles. */
  onBytes?: (bytes: Buffer, stream: OutputStream) => void | Promise<void>;
  /** Runs the command under bubblewrap (inside the pty, when there is one); absent: unconfined. */
  sandbox?: CommandSandbox;
}

export interface ExecResult {
  /** The exit status; null when a signal ended the process (see `signal`). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr merged in arrival order, within `maxOutputBytes` (head and tail). */
  output: string;
  /** Every byte the command wrote, kept or not. */
  outputBytes: number;
  /** Bytes dropped from the middle of `output`. */
  elidedBytes: number;
  /** Ended by the timeout. */
  timedOut: boolean;
  /** Ended by the abort signal. */
  aborted: boolean;
  /** Ended by terminate(). */
  terminated: boolean;
  durationMs: number;
}

/** The exit code of a command its timeout ended, as Codex's (and timeout(1)'s). */
export const TIMEOUT_EXIT_CODE = 124;

/** The exit code reported for a finished command: 124 when its timeout ended it, else what a shell would say. */
export function reportedExitCode(result: Pick<ExecResult, 'exitCode' | 'signal' | 'timedOut'>): number {
  return result.timedOut ? TIMEOUT_EXIT_CODE : conventionalExitCode(result);
}

/** A status a shell would report: the exit code, or 128 + the signal number; -1 when neither is known. */
export function conventionalExitCode(result: Pick<ExecResult, 'exitCode' | 'signal'>): number {
  if (result.exitCode !== null) return result.exitCode;
  const number = result.signal === null ? undefined : os.constants.signals[result.signal];
  return number === undefined ? -1 : 128 + number;
}

/** What ended a command besides itself: its timeout, the abort signal, or terminate(). */
export type KillReason = 'timedOut' | 'aborted' | 'terminated';

/** A command's result once ended: its status, the output kept, and what ended it (null: it ended by itself). */
export function endedResult(status: Pick<ExecResult, 'exitCode' | 'signal'>, output: HeadTailText, outputBytes: number, reason: KillReason | null, startedAt: number): ExecResult {
  return {
    ...status,
    output: output.text(),
    outputBytes,
    elidedBytes: output.omittedBytes,
    timedOut: reason === 'timedOut',
    aborted: reason === 'aborted',
    terminated: reason === 'terminated',
    durationMs: Math.round(performance.now() - startedAt),
  };
}

async function checkCwd(cwd: string): Promise<void> {
  const stat = await fs.promises.stat(cwd).catch(() => null);
  if (stat === null || !stat.isDirectory()) throw new ExecError('cwdNotFound', `working directory not found: ${cwd}`);
}

/** Starts a command; resolves once it runs, rejects with ExecError when it cannot start. */
export async function startExec(spec: ExecSpec): Promise<ExecProcess> {
  const program = spec.argv[0];
  if (program === undefined || program === '') throw new ExecError('spawnFailed', 'no command to run');
  await checkCwd(spec.cwd);
  const tty = spec.tty === true;
  if (tty) requirePty();
  const env = spec.env ?? defaultCommandEnv(tty);
  // bwrap inside `script`: the pty is made outside the sandbox, and the sandboxed command is its leader.
  let sandboxed: SandboxLaunch;
  try {
    sandboxed = sandboxedLaunch(spec.sandbox, spec.argv, spec.cwd);
  } catch (error) {
    throw new ExecError('spawnFailed', `failed to start ${program}: ${(error as Error).message}`);
  }
  const launch = tty ? ptyCommand(sandboxed.argv, spec.size ?? DEFAULT_TERMINAL_SIZE, env) : { argv: sandboxed.argv, env };
  const stdin = tty || spec.stdin !== 'closed' ? 'pipe' : 'ignore';
  // bwrap reads its seccomp filter from SECCOMP_FD to the end, then closes it; `script` and its
  // shell pass the descriptor on to it untouched.
  const stdio: Array<'pipe' | 'ignore'> = [stdin, 'pipe', 'pipe', ...(sandboxed.seccomp === null ? [] : ['pipe' as const])];
  let child: ChildProcess;
  try {
    child = spawn(launch.argv[0]!, launch.argv.slice(1), { cwd: spec.cwd, env: launch.env, detached: true, stdio });
  } catch (error) {
    throw new ExecError('spawnFailed', `failed to start ${program}: ${(error as Error).message}`);
  }
  if (sandboxed.seccomp !== null) {
    const filter = child.stdio[SECCOMP_FD] as Writable;
    filter.on('error', () => {});
    filter.end(sandboxed.seccomp, () => filter.destroy());
  }
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new ExecError('spawnFailed', `failed to start ${program}: ${error.message}`)));
  });
  return new ExecProcess(child, spec, tty);
}

export class ExecProcess {
  /** Also the process group id. With `tty`, the pid of `script`. */
  readonly pid: number;
  readonly tty: boolean;
  /** Resolves once the command has ended and its output is read; never rejects. */
  readonly done: Promise<ExecResult>;
  private readonly startedAt = performance.now();
  private readonly output: HeadTailText;
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private outputBytes = 0;
  private openStreams = 2;
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private reason: KillReason | null = null;
  private finished = false;
  private holds = 0;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.kill('aborted');
  private resolveDone!: (result: ExecResult) => void;

  constructor(
    private readonly child: ChildProcess,
    private readonly spec: ExecSpec,
    tty: boolean,
  ) {
    this.pid = child.pid!;
    this.tty = tty;
    this.output = new HeadTailText(spec.maxOutputBytes ?? OUTPUT_MAX_BYTES);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    for (const stream of ['stdout', 'stderr'] as const) {
      const readable = child[stream]!;
      readable.on('data', (chunk: Buffer) => this.take(chunk, stream));
      readable.on('error', () => {});
      readable.on('close', () => {
        this.openStreams--;
        this.maybeFinish();
      });
    }
    // Writing to a command that has exited fails with EPIPE: write() reports it.
    child.stdin?.on('error', () => {});
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      this.exitStatus = { code, signal };
      if (this.openStreams > 0) this.drainTimer = setTimeout(() => this.stopReading(), spec.drainMs ?? EXIT_DRAIN_MS);
      this.maybeFinish();
    });
    if (spec.timeoutMs !== null && spec.timeoutMs !== undefined) {
      this.timeoutTimer = setTimeout(() => this.kill('timedOut'), Math.max(0, spec.timeoutMs));
    }
    if (spec.signal !== undefined) {
      if (spec.signal.aborted) this.kill('aborted');
      else spec.signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  /** Whether the command's own process has exited (its output may still be arriving). */
  get exited(): boolean {
    return this.exitStatus !== null;
  }

  /** Whether write() can still reach the command. */
  get stdinOpen(): boolean {
    const stdin = this.child.stdin;
    return stdin !== null && !stdin.writableEnded && !stdin.destroyed && this.exitStatus === null;
  }

  /** Writes to the command's stdin; resolves once the bytes are handed to the pipe. */
  async write(data: string | Uint8Array): Promise<void> {
    const stdin = this.child.stdin;
    if (stdin === null || !this.stdinOpen) throw new ExecError('stdinClosed', 'stdin is closed');
    await new Promise<void>((resolve, reject) =>
      stdin.write(data, (error) => (error ? reject(new ExecError('stdinClosed', `stdin is closed: ${error.message}`)) : resolve())),
    );
  }

  /** Closes stdin: the command reads EOF (in a pty, an end-of-file at the terminal). */
  closeStdin(): void {
    this.child.stdin?.end();
  }

  /** Ends the command's whole process group; `done` says `terminated`. */
  terminate(): void {
    this.kill('terminated');
  }

  /** Resizes the pseudo-terminal; ExecError('noPty') when the command has none (or has ended). */
  async resize(size: TerminalSize): Promise<void> {
    if (!this.tty) throw new ExecError('noPty', 'the command was not started in a pseudo-terminal');
    await resizePty(this.pid, size);
  }

  private take(chunk: Buffer, stream: OutputStream): void {
    this.outputBytes += chunk.length;
    const text = this.decoders[stream].write(chunk);
    if (text !== '') this.output.push(text);
    this.deliver(chunk, text, stream);
  }

  private deliver(chunk: Buffer | null, text: string, stream: OutputStream): void {
    const waits: Promise<void>[] = [];
    if (chunk !== null) {
      const pending = this.spec.onBytes?.(chunk, stream);
      if (pending instanceof Promise) waits.push(pending);
    }
    if (text !== '') {
      const pending = this.spec.onOutput?.(text, stream);
      if (pending instanceof Promise) waits.push(pending);
    }
    if (waits.length > 0) this.holdUntil(Promise.allSettled(waits));
  }

  private holdUntil(settled: Promise<unknown>): void {
    if (this.holds++ === 0) {
      this.child.stdout?.pause();
      this.child.stderr?.pause();
    }
    void settled.then(() => {
      if (--this.holds === 0 && !this.finished) {
        this.child.stdout?.resume();
        this.child.stderr?.resume();
      }
    });
  }

  private kill(reason: KillReason): void {
    if (this.finished) return;
    // The command's own process ended by itself: what is left (holding its pipes) is ended, but the
    // command is not said to have been killed.
    if (this.exitStatus === null && this.reason === null) this.reason = reason;
    if (this.killTimer !== undefined) return;
    this.signal('SIGTERM');
    this.killTimer = setTimeout(() => this.signal('SIGKILL'), this.spec.killGraceMs ?? KILL_GRACE_MS);
  }

  private signal(signal: NodeJS.Signals): void {
    // In a pty the command is in the terminal's session: its group first, so that `script` reports
    // the signal as the command's status; the SIGKILL that follows reaches both groups.
    const leader = this.tty ? ptyLeader(this.pid) : null;
    if (leader !== null) signalGroup(leader, signal);
    if (leader === null || signal === 'SIGKILL') signalGroup(this.pid, signal);
  }

  private stopReading(): void {
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }

  private maybeFinish(): void {
    if (this.finished || this.exitStatus === null || this.openStreams > 0) return;
    this.finished = true;
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.decoders[stream].end();
      if (rest !== '') {
        this.output.push(rest);
        this.deliver(null, rest, stream);
      }
    }
    clearTimeout(this.timeoutTimer);
    clearTimeout(this.drainTimer);
    this.spec.signal?.removeEventListener('abort', this.onAbort);
    // A pending SIGKILL stays scheduled: it ends what ignored SIGTERM, even after the leader exited.
    const { code, signal } = this.exitStatus;
    this.resolveDone(endedResult({ exitCode: code, signal }, this.output, this.outputBytes, this.reason, this.startedAt));
  }
}
