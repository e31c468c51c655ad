// Exec sessions, Codex's unified exec: a command runs; the call returns after `yieldTimeMs` or
// when it exits, whichever comes first, with the output so far. A command still running stays
// addressable by its session id: write() sends it input (or, with no input, polls) and returns
// the output since the last call; terminate() ends it; closeAll() ends every one (the end of a
// turn or a thread). A session that has exited is forgotten once a call has reported its exit.
//
// Codex's numbers (codex-rs/core/src/unified_exec): start yields 10 s by default, write 250 ms;
// yields are clamped to 250 ms…30 s, and an empty write (a poll) waits at least 5 s. At most 64
// sessions: starting one more ends the least recently used one that is not among the 8 most
// recent, an exited one first. Ids are random integers in 1000…99999, as Codex's.
//
// Unlike Codex, stdin is a pipe without a tty too (`stdin: 'closed'` gives Codex's behaviour:
// the command reads EOF, and a write is refused with Codex's words).
import { defaultCommandEnv } from './env.js';
import { ExecError } from './errors.js';
import type { CommandStarter, RunningCommand } from './command-starter.js';
import { conventionalExitCode, startExec, type ExecResult, type OutputStream } from './exec-process.js';
import type { CommandSandbox } from '../sandbox/bubblewrap.js';
import { HeadTailText, OUTPUT_MAX_BYTES } from './output-caps.js';
import type { TerminalSize } from './pty.js';
import { shellArgv } from './shell.js';

export const EXEC_YIELD_MS = 10_000;
export const WRITE_YIELD_MS = 250;
export const MIN_YIELD_MS = 250;
export const MIN_POLL_YIELD_MS = 5_000;
export const MAX_YIELD_MS = 30_000;
export const MAX_SESSIONS = 64;
/** The most recently used sessions are never the ones ended to make room. */
export const PROTECTED_RECENT_SESSIONS = 8;

/** Codex's words when input is written to a session whose stdin is closed. */
export const STDIN_CLOSED_MESSAGE = 'stdin is closed for this session; rerun exec_command with tty=true to keep stdin open';

export interface SessionStartOptions {
  cmd: string;
  cwd: string;
  /** Default: bash if present, else sh. */
  shell?: string;
  /** `-lc` (default) or `-c`. */
  login?: boolean;
  tty?: boolean;
  size?: TerminalSize;
  /** Default 10 s, clamped to 250 ms…30 s. */
  yieldTimeMs?: number;
  /** Output kept per call (what has arrived since the previous one), head and tail. Default 1 MiB. */
  maxOutputBytes?: number;
  /** The whole environment; default Keel's under the default shell_environment_policy (env.ts defaultCommandEnv). */
  env?: NodeJS.ProcessEnv;
  /** Default `pipe`. */
  stdin?: 'pipe' | 'closed';
  /** Ends the command after this long, whatever the calls; default none. */
  timeoutMs?: number | null;
  /** Ends the command when aborted (e.g. the turn's interrupt). */
  signal?: AbortSignal;
  /** Runs the command under bubblewrap; absent: unconfined. */
  sandbox?: CommandSandbox;
  /** Where the command runs; default Keel's own process (startExec). */
  starter?: CommandStarter;
  /** Every piece of output as it arrives (the item's output deltas). */
  onOutput?: (text: string, stream: OutputStream) => void | Promise<void>;
  /** Once, when the command has started, before any output is reported: its session id and pid. */
  onStart?: (sessionId: number, pid: number) => void;
  /** Once, when the command has ended, reported or not: its whole output (1 MiB, head and tail), status and duration. */
  onExit?: (result: ExecResult) => void;
}

export interface SessionChunk {
  /** Null once the command has exited (this call reports it; the id is forgotten). */
  sessionId: number | null;
  /** The exit status once exited (128 + n for signal n); null while running. */
  exitCode: number | null;
  /** Output since the previous call, within `maxOutputBytes` (head and tail, the middle said elided). */
  output: string;
  /** Bytes of output since the previous call, before any was dropped. */
  originalBytes: number;
  /** How long this call waited. */
  wallTimeMs: number;
  pid: number;
  /** Once exited: the whole command's result. */
  result: ExecResult | null;
}

export interface SessionInfo {
  sessionId: number;
  pid: number;
  command: string;
  running: boolean;
}

export interface ExecSessionsOptions {
  maxSessions?: number;
  /** Session ids; default random in 1000…99999 (an id in use is drawn again). */
  newId?: () => number;
}

interface Session {
  id: number;
  command: string;
  process: RunningCommand;
  /** Output not yet returned by a call. */
  pending: HeadTailText;
  result: ExecResult | null;
  lastUsed: number;
  /** Calls waiting for the command to exit. */
  waiters: Set<() => void>;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export class ExecSessions {
  private readonly sessions = new Map<number, Session>();
  private readonly maxSessions: number;
  private readonly newId: () => number;
  private useCounter = 0;
  /** Ids handed to commands still starting. */
  private readonly reserved = new Set<number>();

  constructor(options: ExecSessionsOptions = {}) {
    this.maxSessions = options.maxSessions ?? MAX_SESSIONS;
    this.newId = options.newId ?? (() => 1000 + Math.floor(Math.random() * 99_000));
  }

  /** Starts `cmd`; rejects with ExecError when it cannot start (cwdNotFound, spawnFailed, noPty). */
  async start(options: SessionStartOptions): Promise<SessionChunk> {
    const started = performance.now();
    const yieldMs = clamp(options.yieldTimeMs ?? EXEC_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS);
    const pending = new HeadTailText(options.maxOutputBytes ?? OUTPUT_MAX_BYTES);
    const id = this.allocateId();
    this.reserved.add(id);
    let announced = false;
    const early: Array<[string, OutputStream]> = [];
    const proc = await (options.starter ?? startExec)({
      argv: shellArgv(options.cmd, options),
      cwd: options.cwd,
      env: options.env ?? defaultCommandEnv(options.tty === true),
      stdin: options.stdin ?? 'pipe',
      tty: options.tty,
      size: options.size,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      sandbox: options.sandbox,
      onOutput: (text, stream) => {
        pending.push(text);
        // Output that arrives before onStart has run is passed on right after it.
        if (!announced) early.push([text, stream]);
        else return options.onOutput?.(text, stream);
      },
    }).finally(() => this.reserved.delete(id));
    options.onStart?.(id, proc.pid);
    announced = true;
    for (const [text, stream] of early.splice(0)) void options.onOutput?.(text, stream);
    const session: Session = { id, command: options.cmd, process: proc, pending, result: null, lastUsed: ++this.useCounter, waiters: new Set() };
    this.makeRoom();
    this.sessions.set(session.id, session);
    void proc.done.then((result) => {
      session.result = result;
      for (const wake of session.waiters) wake();
      options.onExit?.(result);
    });
    await this.untilExitOr(session, started + yieldMs);
    return this.read(session, started);
  }

  /**
   * Writes `chars` to the session's stdin (nothing: just polls), then returns what arrived within
   * `yieldTimeMs` (default 250 ms; clamped to 250 ms…30 s, a poll to 5 s…30 s) or until it exits.
   * Input for a command that has already exited is not written: the answer reports the exit.
   */
  async write(sessionId: number, chars: string, options: { yieldTimeMs?: number } = {}): Promise<SessionChunk> {
    const started = performance.now();
    const session = this.sessions.get(sessionId);
    if (session === undefined) throw new ExecError('unknownSession', `Unknown process id ${sessionId}`);
    session.lastUsed = ++this.useCounter;
    const requested = options.yieldTimeMs ?? WRITE_YIELD_MS;
    const yieldMs = chars === '' ? clamp(requested, MIN_POLL_YIELD_MS, MAX_YIELD_MS) : clamp(requested, MIN_YIELD_MS, MAX_YIELD_MS);
    if (chars !== '' && session.result === null) {
      if (!session.process.stdinOpen) throw new ExecError('stdinClosed', STDIN_CLOSED_MESSAGE);
      // A command that does not read its stdin leaves a full pipe: the call still returns at its
      // deadline. A write that fails finds the command exited, which the answer reports.
      const written = session.process.write(chars).catch(() => undefined);
      await Promise.race([written, this.untilExitOr(session, started + yieldMs)]);
    }
    await this.untilExitOr(session, started + yieldMs);
    return this.read(session, started);
  }

  /** Ends a session's whole process group and forgets it; resolves with its result. */
  async terminate(sessionId: number): Promise<ExecResult> {
    const session = this.sessions.get(sessionId);
    if (session === undefined) throw new ExecError('unknownSession', `Unknown process id ${sessionId}`);
    session.process.terminate();
    const result = await session.process.done;
    this.sessions.delete(sessionId);
    return result;
  }

  /** Ends every session (each whole process group) and resolves once all have ended. */
  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of all) session.process.terminate();
    await Promise.all(all.map((session) => session.process.done));
  }

  /** closeAll(), for owners that end what they hold with `close()` (a turn's state). */
  close(): Promise<void> {
    return this.closeAll();
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((session) => ({ sessionId: session.id, pid: session.process.pid, command: session.command, running: session.result === null }));
  }

  get size(): number {
    return this.sessions.size;
  }

  private untilExitOr(session: Session, deadline: number): Promise<void> {
    if (session.result !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        session.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, deadline - performance.now()));
      session.waiters.add(wake);
    });
  }

  private read(session: Session, started: number): SessionChunk {
    const drained = session.pending.drain();
    const result = session.result;
    if (result !== null) this.sessions.delete(session.id);
    return {
      sessionId: result === null ? session.id : null,
      exitCode: result === null ? null : conventionalExitCode(result),
      output: drained.text,
      originalBytes: drained.totalBytes,
      wallTimeMs: performance.now() - started,
      pid: session.process.pid,
      result,
    };
  }

  private allocateId(): number {
    for (;;) {
      const id = this.newId();
      if (!this.sessions.has(id) && !this.reserved.has(id)) return id;
    }
  }

  /** At the cap, ends the least recently used session outside the most recent few, an exited one first. */
  private makeRoom(): void {
    if (this.sessions.size < this.maxSessions) return;
    const byUse = [...this.sessions.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    const protectedCount = Math.min(PROTECTED_RECENT_SESSIONS, this.maxSessions - 1);
    const candidates = byUse.slice(0, Math.max(0, byUse.length - protectedCount));
    const victim = candidates.find((session) => session.result !== null) ?? candidates[0];
    if (victim === undefined) return;
    this.sessions.delete(victim.id);
    victim.process.terminate();
  }
}
