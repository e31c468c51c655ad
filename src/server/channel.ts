// One client's byte streams, whatever carries them (stdio, a WebSocket on a unix socket or TCP):
// what src/server/connections.ts serves a connection over.
import type { Readable, Writable } from 'node:stream';

export interface Channel {
  /** Names the connection in logs: `stdio`, `unix#2`, `ws#3 127.0.0.1:50522`. */
  label: string;
  /** JSONL in: one JSON-RPC message per line. */
  input: Readable;
  /** JSONL out: one JSON-RPC message per line. */
  output: Writable;
  /**
   * Ends the transport and resolves once it is closed: `graceful` says goodbye (shutdown),
   * `abort` cuts it (a client dropped for not reading would not take a goodbye). Stdio is left
   * to the process.
   */
  close(how: 'graceful' | 'abort'): Promise<void>;
}
