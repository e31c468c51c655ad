// A KeelConnection over a WebSocket, one JSON-RPC message per text frame (as Keel's and Codex's
// `--listen ws://` serve it), for browsers and any runtime with a WHATWG WebSocket. Nothing of
// Node's: the inspector page builds on it.
import { KeelConnection } from './keel-connection.js';
import { KeelRpcError, SERVER_EXITED } from './rpc-error.js';

export interface WebSocketKeel {
  connection: KeelConnection;
  /** Settles when the socket closes, with its close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Resolves once the socket is open; rejects when it cannot open. */
export function connectWebSocket(url: string, WebSocketImpl: typeof WebSocket = WebSocket): Promise<WebSocketKeel> {
  const socket = new WebSocketImpl(url);
  const connection = new KeelConnection((text) => socket.send(text));
  socket.addEventListener('message', (event) => {
    if (typeof event.data === 'string') connection.receive(event.data);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.addEventListener('close', (event) => {
      connection.disconnect(new KeelRpcError(SERVER_EXITED, `the connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`));
      resolve({ code: event.code, reason: event.reason });
    }),
  );
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve({ connection, closed, close: () => socket.close() }));
    void closed.then(({ code, reason }) => reject(new Error(`the connection closed (${code}${reason ? `: ${reason}` : ''}) before it opened`)));
  });
}
