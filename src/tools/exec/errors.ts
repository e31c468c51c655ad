// The one error type of the exec library: what went wrong, as a code a caller can map (a tool result
// the model reads, a JSON-RPC error), in words a person can act on.
export type ExecErrorCode =
  /** The working directory does not exist or is not a directory. */
  | 'cwdNotFound'
  /** The program could not be started (not found, not executable, a NUL in an argument…). */
  | 'spawnFailed'
  /** A pseudo-terminal was asked for where Keel cannot make one. */
  | 'noPty'
  /** No session (or process) with that id: never started, or already ended and reported. */
  | 'unknownSession'
  /** Its stdin was never a pipe, or has been closed. */
  | 'stdinClosed';

export class ExecError extends Error {
  constructor(
    readonly code: ExecErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

export function isExecError(error: unknown): error is ExecError {
  return error instanceof ExecError;
}
