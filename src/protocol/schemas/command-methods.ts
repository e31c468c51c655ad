// command/exec* (Codex v2): one command run for a client outside any turn, with its stdin, output
// stream, end and terminal size under the client's control by a connection-scoped processId. And
// the params of thread/shellCommand (a user's command run inside a thread), for the thread side.
import * as z from 'zod';
import { emptyObject, UInt } from './common.js';
import { SandboxPolicy } from './thread-model.js';

const UInt16 = z.number().int().min(0).max(65_535);

export const CommandExecTerminalSize = z.object({
  rows: UInt16.describe('Terminal height in character cells.'),
  cols: UInt16.describe('Terminal width in character cells.'),
});

export const CommandExecParams = z.object({
  command: z.array(z.string()).describe('Program and arguments, run as given (no shell). Empty arrays are refused.'),
  processId: z
    .string()
    .nullish()
    .describe('Client-chosen id, scoped to this connection, for command/exec/write, /terminate and /resize. Required with tty, streamStdin or streamStdoutStderr.'),
  tty: z.boolean().optional().describe('Run in a pseudo-terminal (implies streamStdin and streamStdoutStderr; output arrives on stdout). Keel makes one with util-linux `script` on Linux; elsewhere refused.'),
  streamStdin: z.boolean().optional().describe('Accept command/exec/write; otherwise the command reads EOF.'),
  streamStdoutStderr: z.boolean().optional().describe('Stream output as command/exec/outputDelta notifications, not repeated in the response.'),
  outputBytesCap: UInt.nullish().describe('Per-stream cap on output bytes kept or streamed; default 1 MiB. Past it output is read and dropped.'),
  disableOutputCap: z.boolean().optional().describe('No output cap. Cannot be combined with outputBytesCap.'),
  disableTimeout: z.boolean().optional().describe('No timeout. Cannot be combined with timeoutMs.'),
  timeoutMs: z.number().int().nullish().describe('Timeout in milliseconds (default 10000); on expiry the whole process group ends and exitCode is 124.'),
  cwd: z.string().nullish().describe("Working directory; relative paths are resolved against Keel's. Default: Keel's."),
  env: z.record(z.string(), z.string().nullable()).nullish().describe("Over Keel's environment: a string sets a variable, null unsets it."),
  size: CommandExecTerminalSize.nullish().describe('Initial terminal size with tty (default 24×80).'),
  sandboxPolicy: SandboxPolicy.nullish().describe('readOnly or workspaceWrite: the command runs under bubblewrap, its roots from its cwd (refused, naming the cause and the fix, where bubblewrap cannot work); none, dangerFullAccess or externalSandbox: unconfined.'),
  permissionProfile: z.string().nullish().describe('Keel has no named permission profiles: any profile is refused.'),
});

export const CommandExecResponse = z.object({
  exitCode: z.number().int().describe('The exit code; 128 + n for signal n; 124 after the timeout.'),
  stdout: z.string().describe('Captured stdout (UTF-8); empty when streamed.'),
  stderr: z.string().describe('Captured stderr (UTF-8); empty when streamed.'),
});

export const CommandExecOutputStream = z.enum(['stdout', 'stderr']);

export const CommandExecOutputDeltaNotification = z.object({
  processId: z.string(),
  stream: CommandExecOutputStream,
  deltaBase64: z.string(),
  capReached: z.boolean().describe('True on the last chunk of a stream that reached outputBytesCap; later output of that stream is dropped.'),
});

export const CommandExecWriteParams = z.object({
  processId: z.string(),
  deltaBase64: z.string().nullish().describe('Bytes for stdin, base64.'),
  closeStdin: z.boolean().optional().describe('Close stdin after writing.'),
});
export const CommandExecWriteResponse = emptyObject();

export const CommandExecTerminateParams = z.object({ processId: z.string() });
export const CommandExecTerminateResponse = emptyObject();

export const CommandExecResizeParams = z.object({ processId: z.string(), size: CommandExecTerminalSize });
export const CommandExecResizeResponse = emptyObject();

/** thread/shellCommand: a user's shell command run in a thread, recorded as a commandExecution item. */
export const ThreadShellCommandParams = z.object({
  threadId: z.string(),
  command: z.string(),
  timeoutMs: z.number().int().nullish(),
});
export const ThreadShellCommandResponse = emptyObject();
