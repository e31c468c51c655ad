// command/exec*: a client runs one command outside any turn, and drives it by processId.
// thread/shellCommand: the user runs a command inside a thread, recorded there as an item.
import { clientRequest, serverNotification } from '../method-spec.js';
import * as C from '../schemas/command-methods.js';

export const commandMethods = {
  'command/exec': clientRequest({
    typeName: 'CommandExec',
    stability: 'stable',
    summary: 'Runs one command (an argv) outside any turn and answers when it ends: exit code, stdout, stderr; with a timeout, an output cap, streaming and a pty on request.',
    params: C.CommandExecParams,
    result: C.CommandExecResponse,
    codexResult: 'v2/CommandExecResponse',
    experimentalFields: ['permissionProfile'],
  }),
  'command/exec/write': clientRequest({
    typeName: 'CommandExecWrite',
    stability: 'stable',
    summary: 'Writes to the stdin of a running command/exec (by processId), or closes it.',
    params: C.CommandExecWriteParams,
    result: C.CommandExecWriteResponse,
    codexResult: 'v2/CommandExecWriteResponse',
  }),
  'command/exec/terminate': clientRequest({
    typeName: 'CommandExecTerminate',
    stability: 'stable',
    summary: "Ends a running command/exec's whole process group; its command/exec then answers.",
    params: C.CommandExecTerminateParams,
    result: C.CommandExecTerminateResponse,
    codexResult: 'v2/CommandExecTerminateResponse',
  }),
  'command/exec/resize': clientRequest({
    typeName: 'CommandExecResize',
    stability: 'stable',
    summary: "Resizes a running command/exec's pseudo-terminal.",
    params: C.CommandExecResizeParams,
    result: C.CommandExecResizeResponse,
    codexResult: 'v2/CommandExecResizeResponse',
  }),
  'thread/shellCommand': clientRequest({
    typeName: 'ThreadShellCommand',
    stability: 'stable',
    summary:
      "Runs the user's shell command line in the thread's cwd, unsandboxed, and answers at once; the command is a commandExecution item (source userShell) in the running turn, or in a turn of its own, and the model sees it next.",
    params: C.ThreadShellCommandParams,
    result: C.ThreadShellCommandResponse,
    codexResult: 'v2/ThreadShellCommandResponse',
  }),
  'command/exec/outputDelta': serverNotification({
    typeName: 'CommandExecOutputDelta',
    stability: 'stable',
    summary: 'Streamed output of a command/exec, base64, per stream.',
    params: C.CommandExecOutputDeltaNotification,
  }),
} as const;
