// Commands a client runs outside any turn (an argv, no shell): in Keel's default cwd or one
// relative to it, with Keel's command environment and the client's overrides over it, confined by
// bubblewrap when the sandbox policy confines (roots from the command's cwd, as a thread's
// commands are) and refused when bubblewrap cannot work here (there is no turn to ask in). Output
// is kept for the result, or handed to the caller as it arrives; a processId lets the owner write
// stdin, terminate and resize. Refusals are CommandRefused values; the protocol's handler words them.
import path from 'node:path';
import type { SandboxPolicy } from '../../core/protocol-types.js';
import { isExecError, PTY_TERM, reportedExitCode, startExec, withOverrides, type ExecProcess, type OutputStream, type TerminalSize } from '../../tools/exec/index.js';
import { probeBubblewrap, writableRoots, type CommandSandbox, type SandboxContext } from '../../tools/sandbox/index.js';
import { CommandRefused } from './command-refusal.js';
import { CommandProcesses, type CommandOwner } from './command-processes.js';
import { OutputCapture } from './output-capture.js';

export interface CommandExecDeps {
  /** Where a command runs when it names no cwd, and what a relative one is relative to. */
  defaultCwd(): string;
  /** The environment commands start from: Keel's, under shell_environment_policy. */
  commandEnv(): NodeJS.ProcessEnv;
  /** What every sandbox covers whatever its cwd (Keel's home, listener sockets, database files); `env` is also where bubblewrap is looked for. */
  sandbox: Omit<SandboxContext, 'cwd'> & { env: NodeJS.ProcessEnv };
}

export interface CommandRequest {
  argv: readonly string[];
  /** Relative to the default cwd; null: that cwd. */
  cwd: string | null;
  /** Over the command environment; null removes a variable. */
  env: Readonly<Record<string, string | null>>;
  tty: boolean;
  size: TerminalSize | null;
  /** Stdin stays open for write(); else the command reads EOF. */
  streamStdin: boolean;
  /** Output goes to onOutput as it arrives (and not into the result). */
  streamOutput: boolean;
  /** null: no timeout. */
  timeoutMs: number | null;
  /** Bytes per stream, kept or streamed; null: no cap. */
  outputCap: number | null;
  /** null: unconfined. */
  sandboxPolicy: SandboxPolicy | null;
  /** The owner's handle on the command for the controls; null: none. */
  processId: string | null;
}

export interface OutputChunk {
  stream: OutputStream;
  bytes: Buffer;
  /** This chunk reached the stream's cap: nothing more of it comes. */
  capReached: boolean;
}

export interface CommandRun {
  /** Ends the command (its whole group) when aborted. */
  signal: AbortSignal;
  /** Streamed output; a returned promise pauses the command's output until it settles (backpressure). */
  onOutput?(chunk: OutputChunk): Promise<void> | void;
}

export interface CommandOutcome {
  /** 124 when the timeout ended it, else what a shell would report. */
  exitCode: number;
  /** The kept output (empty when streamed). */
  stdout: string;
  stderr: string;
}

export class CommandExec {
  private readonly processes = new CommandProcesses();

  constructor(private readonly deps: CommandExecDeps) {}

  /** Runs a command to its end; its processId is the owner's meanwhile, claimed before anything starts. */
  async run(owner: CommandOwner, request: CommandRequest, { signal, onOutput }: CommandRun): Promise<CommandOutcome> {
    const { processId, streamOutput } = request;
    const cwd = path.resolve(this.deps.defaultCwd(), request.cwd ?? '.');
    const base = this.deps.commandEnv();
    const env = request.tty && !base.TERM ? { ...base, TERM: PTY_TERM } : base;
    const captures: Record<OutputStream, OutputCapture> = {
      stdout: new OutputCapture(request.outputCap, !streamOutput),
      stderr: new OutputCapture(request.outputCap, !streamOutput),
    };
    let announce!: { resolve: (process: ExecProcess) => void; reject: (error: unknown) => void };
    const started = new Promise<ExecProcess>((resolve, reject) => (announce = { resolve, reject }));
    started.catch(() => {});
    const release = processId === null ? null : this.processes.claim(owner, processId, request.streamStdin, started);
    try {
      // Probed once the processId is claimed, so controls sent right behind wait for the start.
      const sandbox = await this.sandboxFor(request.sandboxPolicy, cwd).catch((error: unknown) => {
        announce.reject(error);
        throw error;
      });
      const process = await startExec({
        argv: request.argv,
        cwd,
        env: withOverrides(env, request.env),
        tty: request.tty,
        size: request.size ?? undefined,
        stdin: request.streamStdin ? 'pipe' : 'closed',
        timeoutMs: request.timeoutMs,
        ...(sandbox === null ? {} : { sandbox }),
        signal,
        onBytes: (bytes, stream) => {
          const taken = captures[stream].take(bytes);
          if (taken === null || !streamOutput || onOutput === undefined) return;
          return onOutput({ stream, bytes: taken.bytes, capReached: taken.capReached }) ?? undefined;
        },
      }).catch((error: unknown) => {
        announce.reject(error);
        throw isExecError(error) ? new CommandRefused({ kind: 'notStarted', code: error.code, message: error.message }) : error;
      });
      announce.resolve(process);
      this.processes.track(process);
      const result = await process.done;
      return { exitCode: reportedExitCode(result), stdout: captures.stdout.text(), stderr: captures.stderr.text() };
    } finally {
      release?.();
    }
  }

  /** Writes to the command's stdin (when `bytes` has any), then closes it when asked. */
  async write(owner: CommandOwner, processId: string, bytes: Buffer | null, closeStdin: boolean): Promise<void> {
    const { process, stdin } = await this.processes.find(owner, processId);
    if (!stdin) throw new CommandRefused({ kind: 'stdinNotStreamed' });
    if (!process.stdinOpen) throw new CommandRefused({ kind: 'stdinClosed' });
    if (bytes !== null && bytes.length > 0) {
      await process.write(bytes).catch(() => {
        throw new CommandRefused({ kind: 'stdinClosed' });
      });
    }
    if (closeStdin) process.closeStdin();
  }

  /** Ends the command's whole group; its run then resolves with how it ended. */
  async terminate(owner: CommandOwner, processId: string): Promise<void> {
    (await this.processes.find(owner, processId)).process.terminate();
  }

  async resize(owner: CommandOwner, processId: string, size: TerminalSize): Promise<void> {
    const { process } = await this.processes.find(owner, processId);
    if (!process.tty) throw new CommandRefused({ kind: 'noTerminal', processId });
    await process.resize(size).catch((error: Error) => {
      throw new CommandRefused({ kind: 'resizeFailed', message: error.message });
    });
  }

  /** Ends every client's command and resolves once all have ended (Keel closing). */
  terminateAll(): Promise<void> {
    return this.processes.terminateAll();
  }

  /** The confinement a policy asks for (null: none); refused when bubblewrap cannot work here. */
  private async sandboxFor(policy: SandboxPolicy | null, cwd: string): Promise<CommandSandbox | null> {
    const context: SandboxContext = { cwd, ...this.deps.sandbox };
    if (policy === null || writableRoots(policy, context) === null) return null;
    const probe = await probeBubblewrap(this.deps.sandbox.env);
    if (!probe.ok) throw new CommandRefused({ kind: 'sandboxUnavailable', policy: policy.type, cause: probe.cause, fix: probe.fix });
    return { bwrapPath: probe.path, policy, context };
  }
}
