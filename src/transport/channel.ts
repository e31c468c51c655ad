// One client's messages, whatever carries them: stdio as lines (stream-channel.ts), a WebSocket as
// one frame per message (server/listeners/websocket-channel.ts). What a connection is served over
// (server/connections.ts): the channel frames, the connection speaks JSON-RPC.

/** What the channel hands over as the client sends. */
export interface Inbound {
  /** One message's text (a line, a frame), not yet parsed. */
  message(text: string): void;
  /** A message longer than the channel reads; its bytes are dropped unread. */
  oversize(maxBytes: number): void;
  /** The client sends no more. */
  end(): void;
}

export interface Channel {
  /** Names the connection in logs: `stdio`, `unix#2`, `ws#3 127.0.0.1:50522`. */
  label: string;
  /** Starts handing over what the client sends (held back until then); returns how to stop. */
  listen(inbound: Inbound): () => void;
  /** Stops taking the client's messages (it is not reading Keel's output), and goes on. */
  pause(): void;
  resume(): void;
  /**
   * Sends messages in order, one message per text; `done` once the transport has taken them all
   * (with an error if it failed). An empty list is done once everything sent before is taken.
   */
  write(texts: string[], done: (error?: Error | null) => void): void;
  /** Bytes given to `write` that the transport has not taken yet: what the client is behind by. */
  queuedBytes(): number;
  /** Hears once the output side is gone: closed, or failed (`error`). */
  onClosed(listener: (error?: Error) => void): void;
  /**
   * Ends the transport and resolves once it is closed: `graceful` says goodbye (shutdown),
   * `abort` cuts it (a client dropped for not reading would not take a goodbye). Stdio is left
   * to the process.
   */
  close(how: 'graceful' | 'abort'): Promise<void>;
}
