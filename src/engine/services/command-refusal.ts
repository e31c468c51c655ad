// Why a client's command was refused, as values: the engine names no protocol method, so each
// protocol's handler words these for its clients (Codex's handler: in the words Codex's clients know).
import type { ExecErrorCode } from '../../tools/exec/index.js';

export type CommandRefusal =
  /** The owner already runs a command under this processId. */
  | { kind: 'processIdInUse'; processId: string }
  /** No running command of the owner has this processId (never started, already ended, or another owner's). */
  | { kind: 'unknownProcess'; processId: string }
  /** The command was started without its stdin streamed. */
  | { kind: 'stdinNotStreamed' }
  | { kind: 'stdinClosed' }
  /** A resize of a command started without a terminal. */
  | { kind: 'noTerminal'; processId: string }
  | { kind: 'resizeFailed'; message: string }
  /** The sandbox policy confines, and bubblewrap cannot work here: nothing was run. */
  | { kind: 'sandboxUnavailable'; policy: string; cause: string; fix: string }
  /** The command could not start (its cwd, its program, a pty): the exec library's code and words. */
  | { kind: 'notStarted'; code: ExecErrorCode; message: string };

export class CommandRefused extends Error {
  constructor(readonly refusal: CommandRefusal) {
    super(`command refused: ${refusal.kind}`);
    this.name = 'CommandRefused';
  }
}
