// A command run in the editor's terminal (ACP `terminal/*`, when the client offers `terminal`): the
// user watches it live where the tool call shows it. It is still Keel's command: Keel's gate decided
// it may run, and the sandbox's launch wraps it (bubblewrap's argv; its seccomp filter, which
// startExec hands bwrap on a pipe, is read from a private file here, since the editor spawns the
// process). The handle it gives the exec library (tools/exec/command-starter.ts) is a running
// command like any other: its output arrives by polling `terminal/output`, its end by
// `terminal/wait_for_exit`; a timeout, an interrupt or terminate() is `terminal/kill`. The editor's
// terminal takes no input from Keel, so stdin is closed. Once ended the terminal is released (the
// editor keeps showing its output in the tool call, as ACP asks).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CreateTerminalResponse, TerminalExitStatus, TerminalOutputResponse } from '@agentclientprotocol/sdk';
import { endedResult, ExecError, HeadTailText, OUTPUT_MAX_BYTES, type CommandStarter, type ExecResult, type ExecSpec, type KillReason, type RunningCommand } from '../../tools/exec/index.js';
import { sandboxedLaunch, SECCOMP_FD } from '../../tools/sandbox/index.js';

/** How often a running command's output is asked for. */
export const TERMINAL_POLL_MS = 200;

/** Sends one request to the editor; rejects with its error (or when it has gone). */
export type EditorRequest = <T>(method: string, params: Record<string, unknown>) => Promise<T>;

/** Starts commands in the session's editor terminal; `show` puts a new terminal in the tool call. */
export function editorTerminal(request: EditorRequest, sessionId: string, show: (terminalId: string) => void): CommandStarter {
  return async (spec) => {
    const program = spec.argv[0];
    if (program === undefined || program === '') throw new ExecError('spawnFailed', 'no command to run');
    if (!fs.statSync(spec.cwd, { throwIfNoEntry: false })?.isDirectory()) throw new ExecError('cwdNotFound', `working directory not found: ${spec.cwd}`);
    const launch = launchOf(spec);
    let created: CreateTerminalResponse;
    try {
      created = await request<CreateTerminalResponse>('terminal/create', {
        sessionId,
        command: launch.argv[0]!,
        args: launch.argv.slice(1),
        env: Object.entries(spec.env ?? {}).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }])),
        cwd: spec.cwd,
        outputByteLimit: spec.maxOutputBytes ?? OUTPUT_MAX_BYTES,
      });
    } catch (error) {
      launch.cleanUp();
      throw new ExecError('spawnFailed', `the editor could not start ${program} in its terminal: ${(error as Error).message}`);
    }
    show(created.terminalId);
    return new EditorTerminalCommand(request, sessionId, created.terminalId, spec, launch.cleanUp);
  };
}

/** The argv the terminal runs: the sandbox's launch, with its seccomp filter read from a file of Keel's. */
function launchOf(spec: ExecSpec): { argv: string[]; cleanUp: () => void } {
  let launch;
  try {
    launch = sandboxedLaunch(spec.sandbox, spec.argv, spec.cwd);
  } catch (error) {
    throw new ExecError('spawnFailed', `failed to start ${spec.argv[0]}: ${(error as Error).message}`);
  }
  if (launch.seccomp === null) return { argv: launch.argv, cleanUp: () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-seccomp-'));
  const filter = path.join(dir, 'filter');
  fs.writeFileSync(filter, launch.seccomp, { mode: 0o600 });
  // `sh -c 'exec "$@" 3<"$0"' FILTER bwrap …`: bwrap finds its filter on descriptor 3, as from startExec.
  const argv = ['/bin/sh', '-c', `exec "$@" ${SECCOMP_FD}<"$0"`, filter, ...launch.argv];
  return { argv, cleanUp: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

class EditorTerminalCommand implements RunningCommand {
  /** The editor's process is not Keel's to know. */
  readonly pid = 0;
  readonly done: Promise<ExecResult>;
  exited = false;
  readonly stdinOpen = false;
  private readonly startedAt = performance.now();
  private readonly output: HeadTailText;
  private outputBytes = 0;
  /** The editor's whole output when last asked (it may drop its beginning past the byte limit). */
  private seen = '';
  private reason: KillReason | null = null;
  private killed = false;
  private readonly onAbort = () => this.kill('aborted');
  private timeout: NodeJS.Timeout | undefined;

  constructor(
    private readonly request: EditorRequest,
    private readonly sessionId: string,
    private readonly terminalId: string,
    private readonly spec: ExecSpec,
    cleanUp: () => void,
  ) {
    this.output = new HeadTailText(spec.maxOutputBytes ?? OUTPUT_MAX_BYTES);
    if (spec.timeoutMs !== null && spec.timeoutMs !== undefined) this.timeout = setTimeout(() => this.kill('timedOut'), Math.max(0, spec.timeoutMs));
    if (spec.signal?.aborted) this.kill('aborted');
    else spec.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.done = this.run().finally(() => {
      cleanUp();
      clearTimeout(this.timeout);
      spec.signal?.removeEventListener('abort', this.onAbort);
    });
  }

  async write(): Promise<void> {
    throw new ExecError('stdinClosed', "stdin is closed: the command runs in the editor's terminal, which takes no input from Keel");
  }

  closeStdin(): void {}

  terminate(): void {
    this.kill('terminated');
  }

  async resize(): Promise<void> {
    throw new ExecError('noPty', "the command runs in the editor's terminal, whose size is the editor's");
  }

  private ask<T>(method: string): Promise<T> {
    return this.request<T>(method, { sessionId: this.sessionId, terminalId: this.terminalId });
  }

  private async run(): Promise<ExecResult> {
    let exit: TerminalExitStatus | null = null;
    const exited = this.ask<TerminalExitStatus>('terminal/wait_for_exit').then(
      (status) => (exit = status),
      () => (exit = { exitCode: null, signal: null }),
    );
    while (exit === null) {
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, TERMINAL_POLL_MS))]);
      if (!(await this.poll())) await exited;
    }
    this.exited = true;
    await this.poll();
    void this.ask('terminal/release').catch(() => {});
    const status = exit as TerminalExitStatus;
    return endedResult({ exitCode: status.exitCode ?? null, signal: (status.signal ?? null) as NodeJS.Signals | null }, this.output, this.outputBytes, this.reason, this.startedAt);
  }

  /** Takes what the terminal printed since the last poll; false when the editor would not say. */
  private async poll(): Promise<boolean> {
    let answer: TerminalOutputResponse;
    try {
      answer = await this.ask<TerminalOutputResponse>('terminal/output');
    } catch {
      return false;
    }
    const fresh = newOutput(this.seen, answer.output);
    this.seen = answer.output;
    if (fresh !== '') {
      this.outputBytes += Buffer.byteLength(fresh, 'utf8');
      this.output.push(fresh);
      // Backpressure as from a pipe: the next poll waits until the output is taken.
      await this.spec.onOutput?.(fresh, 'stdout');
    }
    return true;
  }

  private kill(reason: KillReason): void {
    if (this.exited || this.killed) return;
    this.killed = true;
    this.reason = reason;
    void this.ask('terminal/kill').catch(() => {});
  }
}

/**
 * What `now` adds to `before`, two snapshots of the terminal's output. Past its byte limit the
 * editor drops the beginning, so `now` then starts inside `before`: the part of `before` from where
 * `now`'s first characters occur, when `now` goes on with all of it, is what was seen; the rest is
 * new. When no such place is found, all of `now` is taken as new.
 */
export function newOutput(before: string, now: string): string {
  if (now.startsWith(before)) return now.slice(before.length);
  const head = now.slice(0, 64);
  for (let at = head === '' ? -1 : before.indexOf(head); at !== -1; at = before.indexOf(head, at + 1)) {
    const seen = before.slice(at);
    if (now.startsWith(seen)) return now.slice(seen.length);
  }
  return now;
}
