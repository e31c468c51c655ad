// A stand-in for the daemon's listener in tests: WebSocket over a Unix socket (an HTTP/1.1 upgrade,
// then one JSON-RPC message per text frame). It records every frame and, unless told otherwise,
// answers `initialize` and echoes every other request's params as its result.
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FixtureConnection {
  socket: WebSocket;
  /** Every frame received, as text, in order. */
  received: string[];
  closed: Promise<{ code: number; reason: string }>;
}

export interface FixtureServer {
  socketPath: string;
  connections: FixtureConnection[];
  /** The n-th connection (0-based), once it is open. */
  connection(index?: number, timeoutMs?: number): Promise<FixtureConnection>;
  close(): Promise<void>;
}

type Answer = (message: Record<string, unknown>, connection: FixtureConnection) => unknown;

export const echoAnswer: Answer = (message) => (message.method === 'initialize' ? { userAgent: 'fixture/0.0.0' } : { echo: message.params ?? null });

export interface FixtureOptions {
  /** How requests are answered; null: not at all (frames are only recorded). */
  answer?: Answer | null;
  /** Upgrades wait for this (a daemon slow to accept); `onUpgradeRequest` hears each one arrive. */
  acceptAfter?: Promise<void>;
  onUpgradeRequest?: () => void;
}

export async function startWsUnixServer(socketPath: string, options: FixtureOptions = {}): Promise<FixtureServer> {
  const { answer = echoAnswer, acceptAfter = Promise.resolve(), onUpgradeRequest = () => {} } = options;
  const server = http.createServer();
  const wss = new WebSocketServer({
    server,
    perMessageDeflate: false,
    verifyClient: (_info, accept) => {
      onUpgradeRequest();
      void acceptAfter.then(() => accept(true));
    },
  });
  const connections: FixtureConnection[] = [];
  const waiters: Array<() => void> = [];
  wss.on('connection', (socket) => {
    const connection: FixtureConnection = {
      socket,
      received: [],
      closed: new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
    };
    socket.on('message', (data) => {
      const text = data.toString();
      connection.received.push(text);
      if (answer === null) return;
      const message = JSON.parse(text) as Record<string, unknown>;
      if (message.id !== undefined && typeof message.method === 'string') socket.send(JSON.stringify({ id: message.id, result: answer(message, connection) }));
    });
    connections.push(connection);
    waiters.splice(0).forEach((wake) => wake());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    socketPath,
    connections,
    async connection(index = 0, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (connections[index] === undefined) {
        if (Date.now() > deadline) throw new Error(`no connection #${index} within ${timeoutMs} ms (${connections.length} so far)`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, deadline - Date.now()).unref();
        });
      }
      return connections[index]!;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
