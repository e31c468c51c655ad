// The error a request rejects with: the server's JSON-RPC error, or the client's own when the
// server went away before answering.
export class KeelRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'KeelRpcError';
  }
}

/** JSON-RPC's "method not found". */
export const METHOD_NOT_FOUND = -32601;
/** A request the server never answered because it exited (JSON-RPC's implementation-defined range). */
export const SERVER_EXITED = -32099;
