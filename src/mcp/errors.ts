// Why an MCP request failed, as a kind the engine can branch on and a message for the user/model
// that names the server and the tool.

export type McpCallErrorKind =
  /** The server is not `ready` (still starting, failed, stopped, or not configured). */
  | 'notReady'
  /** No answer within the tool timeout; the request was cancelled on the server. */
  | 'timeout'
  /** The server process exited (or the connection closed) while the request was in flight. */
  | 'exited'
  /** The caller's signal aborted it. */
  | 'cancelled'
  /** The server answered with a protocol error (unknown tool, invalid arguments…). */
  | 'failed';

export class McpCallError extends Error {
  constructor(
    readonly kind: McpCallErrorKind,
    readonly server: string,
    /** The tool name, or `resource <uri>` for a resource read. */
    readonly target: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'McpCallError';
  }
}
