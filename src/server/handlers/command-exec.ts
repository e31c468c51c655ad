// command/exec and its controls: one command a client runs outside any turn (an argv, no shell), in
// Keel's cwd or the one given, with Keel's environment; the response comes when it ends. With a
// `readOnly` or `workspaceWrite` sandboxPolicy it runs under bubblewrap as a thread's commands do
// (roots from its cwd); without a working bubblewrap it is refused with the cause and the fix, as
// there is no turn to ask in. No policy, `dangerFullAccess` or `externalSandbox`: unconfined. A
// client-chosen processId (scoped to its connection) lets it write stdin, terminate, resize, and
// receive the output as command/exec/outputDelta notifications before that response. Defaults are
// Codex's: a 10 s timeout (exit code 124 when it fires), 1 MiB of output per stream. The processes
// end when Keel closes (keel.onClose).
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Keel } from '../open-keel.js';
import { DomainErrors } from '../../kernel/errors.js';
import type { ParamsOf, ResultOf } from '../../protocol/wire-types.js';
import { isExecError, reportedExitCode, PTY_TERM, startExec, withOverrides, type ExecProcess, type ExecSpec, type OutputStream } from '../../tools/exec/index.js';
import { probeBubblewrap, writableRoots, type CommandSandbox } from '../../tools/sandbox/index.js';
import type { Handler, RequestContext } from '../dispatch.js';
import type { Session } from '../session.js';

type CommandExecMethod = 'command/exec' | 'command/exec/write' | 'command/exec/terminate' | 'command/exec/resize';

/** Codex's default timeout for command/exec. */
export const COMMAND_EXEC_TIMEOUT_MS = 10_000;
/** Codex's default output cap, per stream. */
export const COMMAND_EXEC_OUTPUT_CAP = 1024 * 1024;

interface Running {
  /** Resolves once the command runs; rejects when it could not start. */
  started: Promise<ExecProcess>;
  stdin: boolean;
}

/** The command/exec processes: by connection and processId for the controls, all of them for shutdown. */
export class CommandExecProcesses {
  private readonly byConnection = new Map<Session, Map<string, Running>>();
  private readonly all = new Set<ExecProcess>();

  /**
   * Claims `processId` on this connection for the command `start` starts, until the returned
   * release runs; refuses an id in use. Controls sent meanwhile wait for the start, so a write
   * right behind its command/exec reaches it.
   */
  claim(session: Session, processId: string, stdin: boolean, started: Promise<ExecProcess>): () => void {
    const ids = this.byConnection.get(session) ?? new Map<string, Running>();
    if (ids.has(processId)) throw DomainErrors.invalid(`duplicate active command/exec process id: ${JSON.stringify(processId)}`);
    ids.set(processId, { started, stdin });
    this.byConnection.set(session, ids);
    return () => {
      ids.delete(processId);
      if (ids.size === 0) this.byConnection.delete(session);
    };
  }

  track(process: ExecProcess): void {
    this.all.add(process);
    void process.done.then(() => this.all.delete(process));
  }

  async find(session: Session, processId: string): Promise<{ process: ExecProcess; stdin: boolean }> {
    const entry = this.byConnection.get(session)?.get(processId);
    const process = await entry?.started.catch(() => null);
    if (entry === undefined || process === null || process === undefined) throw DomainErrors.invalid(`no active command/exec for process id ${JSON.stringify(processId)}`);
    return { process, stdin: entry.stdin };
  }

  /** Ends every process (each whole group) and resolves once all have ended. */
  async terminateAll(): Promise<void> {
    const all = [...this.all];
    for (const process of all) process.terminate();
    await Promise.all(all.map((process) => process.done));
  }
}

/** One stream's output up to the cap: kept for the response, or handed out for streaming. */
class StreamCapture {
  private readonly chunks: Buffer[] = [];
  private seen = 0;
  private reached = false;

  constructor(
    private readonly cap: number | null,
    private readonly keep: boolean,
  ) {}

  /** What of `bytes` is within the cap, and whether the cap is now reached; null once it was. */
  take(bytes: Buffer): { bytes: Buffer; capReached: boolean } | null {
    if (this.reached) return null;
    const part = this.cap === null ? bytes : bytes.subarray(0, Math.max(0, this.cap - this.seen));
    this.seen += part.length;
    this.reached = this.cap !== null && this.seen >= this.cap;
    if (this.keep) this.chunks.push(part);
    return { bytes: part, capReached: this.reached };
  }

  /** The kept bytes as UTF-8; a character the cap cut in two is left out. */
  text(): string {
    const decoder = new StringDecoder('utf8');
    const text = decoder.write(Buffer.concat(this.chunks));
    return this.reached ? text : text + decoder.end();
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(field: string, value: string): Buffer {
  if (!BASE64.test(value)) throw DomainErrors.invalid('not valid base64', field);
  return Buffer.from(value, 'base64');
}

function checkSize(size: { rows: number; cols: number }): void {
  if (size.rows === 0 || size.cols === 0) throw DomainErrors.invalid('rows and cols must be greater than 0', 'size');
}

/** A refusal to start: the caller's to fix (a directory, a program, a pty), so -32600/-32602, never a server fault. */
function startRefused(error: unknown): Error {
  if (!isExecError(error)) return error as Error;
  if (error.code === 'cwdNotFound') return DomainErrors.invalid(error.message, 'cwd');
  if (error.code === 'noPty') return DomainErrors.invalid(`command/exec tty is ${error.message}`);
  return DomainErrors.invalid(error.message);
}

type ExecParams = ParamsOf<'command/exec'>;

/** What command/exec runs and how, from its params; refuses what Codex refuses, and what Keel cannot do. */
interface ExecPlan {
  spec: Omit<ExecSpec, 'signal' | 'onBytes' | 'sandbox'>;
  /** The confinement, probed once the processId is claimed (so controls right behind wait for it). */
  sandbox(): Promise<CommandSandbox | null>;
  processId: string | null;
  streamOutput: boolean;
  streamStdin: boolean;
  cap: number | null;
}

function planExec(params: ExecParams, keel: Keel): ExecPlan {
  if (params.command.length === 0) throw DomainErrors.invalid('command must not be empty');
  const tty = params.tty === true;
  const streamOutput = tty || params.streamStdoutStderr === true;
  const streamStdin = tty || params.streamStdin === true;
  if (params.size != null && !tty) throw DomainErrors.invalid('requires tty: true', 'size');
  if (params.size != null) checkSize(params.size);
  if (params.disableOutputCap === true && params.outputBytesCap != null) throw DomainErrors.invalid('cannot be combined with disableOutputCap', 'outputBytesCap');
  if (params.disableTimeout === true && params.timeoutMs != null) throw DomainErrors.invalid('cannot be combined with disableTimeout', 'timeoutMs');
  if (params.timeoutMs != null && params.timeoutMs < 0) throw DomainErrors.invalid(`must be non-negative, got ${params.timeoutMs}`, 'timeoutMs');
  const processId = params.processId ?? null;
  if (processId === null && (tty || streamStdin || streamOutput)) throw DomainErrors.invalid('command/exec tty or streaming requires a client-supplied processId');
  if (params.permissionProfile != null) {
    throw DomainErrors.invalid(`unknown permission profile: ${params.permissionProfile} (Keel has no named permission profiles; permissionProfile/list is empty)`);
  }
  const cwd = path.resolve(keel.defaults().cwd, params.cwd ?? '.');
  // Keel's environment under shell_environment_policy (no keys by default); the client's `env` over it.
  const base = keel.commandEnv();
  const env = tty && !base.TERM ? { ...base, TERM: PTY_TERM } : base;
  return {
    spec: {
      argv: params.command,
      cwd,
      env: withOverrides(env, params.env ?? {}),
      tty,
      size: params.size ?? undefined,
      stdin: streamStdin ? 'pipe' : 'closed',
      timeoutMs: params.disableTimeout === true ? null : (params.timeoutMs ?? COMMAND_EXEC_TIMEOUT_MS),
    },
    sandbox: () => sandboxFor(params.sandboxPolicy, cwd, keel),
    processId,
    streamOutput,
    streamStdin,
    cap: params.disableOutputCap === true ? null : (params.outputBytesCap ?? COMMAND_EXEC_OUTPUT_CAP),
  };
}

/** The confinement a sandboxPolicy asks for (null: none); refused when bubblewrap cannot work here. */
async function sandboxFor(policy: ExecParams['sandboxPolicy'], cwd: string, keel: Keel): Promise<CommandSandbox | null> {
  const context = { cwd, keelHome: keel.home, keelSockets: keel.listenerSockets, hiddenFiles: keel.hiddenFiles, env: keel.env };
  if (policy == null || writableRoots(policy, context) === null) return null;
  const probe = await probeBubblewrap(keel.env);
  if (!probe.ok) throw DomainErrors.invalid(`command/exec cannot run in sandboxPolicy ${policy.type}: the sandbox is unavailable (${probe.cause}); ${probe.fix}`);
  return { bwrapPath: probe.path, policy, context };
}

/** Runs a planned command/exec to its end; its processId is claimed meanwhile, before anything starts. */
async function runExec(plan: ExecPlan, processes: CommandExecProcesses, { session, signal }: RequestContext): Promise<ResultOf<'command/exec'>> {
  const { processId, streamOutput } = plan;
  const captures: Record<OutputStream, StreamCapture> = { stdout: new StreamCapture(plan.cap, !streamOutput), stderr: new StreamCapture(plan.cap, !streamOutput) };
  let announce!: { resolve: (process: ExecProcess) => void; reject: (error: unknown) => void };
  const started = new Promise<ExecProcess>((resolve, reject) => (announce = { resolve, reject }));
  started.catch(() => {});
  const release = processId === null ? null : processes.claim(session, processId, plan.streamStdin, started);
  try {
    const sandbox = await plan.sandbox().catch((error: unknown) => {
      announce.reject(error);
      throw error;
    });
    const process = await startExec({
      ...plan.spec,
      ...(sandbox === null ? {} : { sandbox }),
      signal,
      onBytes: (bytes, stream) => {
        const taken = captures[stream].take(bytes);
        if (taken === null || !streamOutput || processId === null) return;
        session.notify('command/exec/outputDelta', { processId, stream, deltaBase64: taken.bytes.toString('base64'), capReached: taken.capReached });
        // While the client leaves Keel's output unread, the command waits on a full pipe.
        return session.ready() ?? undefined;
      },
    }).catch((error: unknown) => {
      announce.reject(error);
      throw startRefused(error);
    });
    announce.resolve(process);
    processes.track(process);
    const result = await process.done;
    return {
      exitCode: reportedExitCode(result),
      stdout: captures.stdout.text(),
      stderr: captures.stderr.text(),
    };
  } finally {
    release?.();
  }
}

export function commandExecHandlers(keel: Keel, processes = new CommandExecProcesses()): { [M in CommandExecMethod]: Handler<M> } {
  keel.onClose(() => processes.terminateAll());
  return {
    'command/exec': (params, ctx) => runExec(planExec(params, keel), processes, ctx),

    'command/exec/write': async (params, { session }) => {
      if (params.deltaBase64 == null && params.closeStdin !== true) throw DomainErrors.invalid('either deltaBase64 or closeStdin is required', 'deltaBase64');
      const bytes = params.deltaBase64 == null ? null : decodeBase64('deltaBase64', params.deltaBase64);
      const { process, stdin } = await processes.find(session, params.processId);
      if (!stdin) throw DomainErrors.invalid('stdin streaming is not enabled for this command/exec');
      if (!process.stdinOpen) throw DomainErrors.invalid('stdin is already closed');
      if (bytes !== null && bytes.length > 0) {
        await process.write(bytes).catch(() => {
          throw DomainErrors.invalid('stdin is already closed');
        });
      }
      if (params.closeStdin === true) process.closeStdin();
      return {};
    },

    'command/exec/terminate': async (params, { session }) => {
      (await processes.find(session, params.processId)).process.terminate();
      return {};
    },

    'command/exec/resize': async (params, { session }) => {
      checkSize(params.size);
      const { process } = await processes.find(session, params.processId);
      if (!process.tty) throw DomainErrors.invalid(`command/exec ${JSON.stringify(params.processId)} has no terminal to resize: it was started without tty`);
      await process.resize(params.size).catch((error: Error) => {
        throw DomainErrors.invalid(`failed to resize the terminal: ${error.message}`);
      });
      return {};
    },
  };
}
