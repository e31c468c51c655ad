// A WebSocket client of the daemon's Unix socket. The connection is made by hand rather than
// through a `ws+unix:` URL: a URL percent-encodes the path (a home with a space in it would name
// another file), while net.connect takes the path as it is.
import net from 'node:net';
import WebSocket from 'ws';

export interface SocketOptions {
  /** The HTTP upgrade must be answered within this. */
  handshakeTimeoutMs?: number;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** The last error the connection had, if any (a connection that drops has one). */
  error: Error | null;
}

export interface DaemonConnection {
  socket: WebSocket;
  /**
   * Settles when the connection closes, however and whenever: heard from its creation, so a close
   * (or an error) that comes before its user attaches its own listeners is not missed.
   */
  closed: Promise<CloseInfo>;
}

/** Resolves once the WebSocket is open; rejects with the connection's error (its `code`: ENOENT, ECONNREFUSED…). */
export function openDaemonSocket(socketPath: string, options: SocketOptions = {}): Promise<DaemonConnection> {
  const socket = new WebSocket('ws://localhost/', {
    createConnection: () => net.connect(socketPath),
    // A local socket: compressing costs CPU and saves nothing.
    perMessageDeflate: false,
    // The daemon is our own server; a message it sends is as long as it is (stdio has no maximum either).
    maxPayload: 0,
    handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
  });
  let lastError: Error | null = null;
  socket.on('error', (error) => (lastError = error));
  const closed = new Promise<CloseInfo>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString(), error: lastError })));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, closed }));
    void closed.then(({ code, error }) => reject(error ?? new Error(`the connection closed (${code}) before it opened`)));
  });
}

/** Nothing listens there: no socket file, or one left by a server that is gone. */
export function isNoListener(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ECONNREFUSED';
}

export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}
