// command/exec and its controls, Codex's way: params checked and turned into a CommandRequest for
// the engine's CommandExec (src/engine/services/command-exec.ts: the process table, the sandbox,
// the output), its output streamed as command/exec/outputDelta notifications, its refusals worded
// as Codex words them. Codex's defaults: a 10 s timeout (exit code 124 when it fires), 1 MiB of
// output per stream. A client-chosen processId is scoped to its connection (the session is the
// owner key). The processes end when Keel closes (the composition root's close).
import { DomainErrors } from '../../kernel/errors.js';
import type { ParamsOf, ResultOf } from '../../protocol/wire-types.js';
import type { CommandExec, CommandRequest } from '../../engine/services/command-exec.js';
import { CommandRefused, type CommandRefusal } from '../../engine/services/command-refusal.js';
import type { Handler } from '../dispatch.js';

type CommandExecMethod = 'command/exec' | 'command/exec/write' | 'command/exec/terminate' | 'command/exec/resize';

/** Codex's default timeout for command/exec. */
export const COMMAND_EXEC_TIMEOUT_MS = 10_000;
/** Codex's default output cap, per stream. */
export const COMMAND_EXEC_OUTPUT_CAP = 1024 * 1024;

export interface CommandExecServices {
  commands: CommandExec;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(field: string, value: string): Buffer {
  if (!BASE64.test(value)) throw DomainErrors.invalid('not valid base64', field);
  return Buffer.from(value, 'base64');
}

function checkSize(size: { rows: number; cols: number }): void {
  if (size.rows === 0 || size.cols === 0) throw DomainErrors.invalid('rows and cols must be greater than 0', 'size');
}

/** A refusal in Codex's words: the caller's to fix (a directory, a program, a pty, an id), so -32600/-32602, never a server fault. */
function refusalError(refusal: CommandRefusal): Error {
  switch (refusal.kind) {
    case 'processIdInUse':
      return DomainErrors.invalid(`duplicate active command/exec process id: ${JSON.stringify(refusal.processId)}`);
    case 'unknownProcess':
      return DomainErrors.invalid(`no active command/exec for process id ${JSON.stringify(refusal.processId)}`);
    case 'stdinNotStreamed':
      return DomainErrors.invalid('stdin streaming is not enabled for this command/exec');
    case 'stdinClosed':
      return DomainErrors.invalid('stdin is already closed');
    case 'noTerminal':
      return DomainErrors.invalid(`command/exec ${JSON.stringify(refusal.processId)} has no terminal to resize: it was started without tty`);
    case 'resizeFailed':
      return DomainErrors.invalid(`failed to resize the terminal: ${refusal.message}`);
    case 'sandboxUnavailable':
      return DomainErrors.invalid(`command/exec cannot run in sandboxPolicy ${refusal.policy}: the sandbox is unavailable (${refusal.cause}); ${refusal.fix}`);
    case 'notStarted':
      if (refusal.code === 'cwdNotFound') return DomainErrors.invalid(refusal.message, 'cwd');
      if (refusal.code === 'noPty') return DomainErrors.invalid(`command/exec tty is ${refusal.message}`);
      return DomainErrors.invalid(refusal.message);
  }
}

/** The engine's call, its refusals worded for the client. */
async function worded<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw error instanceof CommandRefused ? refusalError(error.refusal) : error;
  }
}

/** What command/exec runs and how, from its params; refuses what Codex refuses, and what Keel cannot do. */
function commandRequest(params: ParamsOf<'command/exec'>): CommandRequest {
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
  return {
    argv: params.command,
    cwd: params.cwd ?? null,
    env: params.env ?? {},
    tty,
    size: params.size ?? null,
    streamStdin,
    streamOutput,
    timeoutMs: params.disableTimeout === true ? null : (params.timeoutMs ?? COMMAND_EXEC_TIMEOUT_MS),
    outputCap: params.disableOutputCap === true ? null : (params.outputBytesCap ?? COMMAND_EXEC_OUTPUT_CAP),
    sandboxPolicy: params.sandboxPolicy ?? null,
    processId,
  };
}

export function commandExecHandlers({ commands }: CommandExecServices): { [M in CommandExecMethod]: Handler<M> } {
  return {
    'command/exec': async (params, { session, signal }): Promise<ResultOf<'command/exec'>> => {
      const request = commandRequest(params);
      const { processId } = request;
      return worded(
        commands.run(session, request, {
          signal,
          onOutput: ({ stream, bytes, capReached }) => {
            if (processId === null) return;
            session.notify('command/exec/outputDelta', { processId, stream, deltaBase64: bytes.toString('base64'), capReached });
            // While the client leaves Keel's output unread, the command waits on a full pipe.
            return session.ready() ?? undefined;
          },
        }),
      );
    },

    'command/exec/write': async (params, { session }) => {
      if (params.deltaBase64 == null && params.closeStdin !== true) throw DomainErrors.invalid('either deltaBase64 or closeStdin is required', 'deltaBase64');
      const bytes = params.deltaBase64 == null ? null : decodeBase64('deltaBase64', params.deltaBase64);
      await worded(commands.write(session, params.processId, bytes, params.closeStdin === true));
      return {};
    },

    'command/exec/terminate': async (params, { session }) => {
      await worded(commands.terminate(session, params.processId));
      return {};
    },

    'command/exec/resize': async (params, { session }) => {
      checkSize(params.size);
      await worded(commands.resize(session, params.processId, params.size));
      return {};
    },
  };
}
