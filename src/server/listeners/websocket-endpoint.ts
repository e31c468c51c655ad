// One HTTP server that speaks WebSocket, on a unix socket or a TCP port: the upgrade gate (origin,
// token, and for a TCP listener without a token whether the client is a sandboxed command) before
// the handshake, one channel per client, the heartbeat. Plain HTTP gets Codex's
// health probes (`GET /healthz`, `GET /readyz`: 200, empty) and 404 for anything else.
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Log } from '../../log.js';
import type { Channel } from '../../transport/channel.js';
import { Heartbeat, HEARTBEAT_INTERVAL_MS } from './heartbeat.js';
import { refusalOf, type Refusal } from './upgrade-gate.js';
import { websocketChannel } from './websocket-channel.js';

/** The largest message taken, as Codex's WebSocket transport (and Keel's line limit): 64 MiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface EndpointOptions {
  /** `unix` or `ws`: the prefix of each connection's label. */
  kind: string;
  /** The SHA-256 of the capability token clients must present; null: none asked. */
  tokenDigest: Buffer | null;
  /** Asked once the gate let a request through, before the handshake: why to refuse its client (403), or null. */
  peerCheck?: (socket: net.Socket) => Promise<string | null>;
  logger: Log;
  accept(channel: Channel): void;
  /** Numbers connections across every endpoint of the process. */
  nextId(): number;
  heartbeatMs?: number;
}

export interface Endpoint {
  server: http.Server;
  /** Stops accepting; idle plain HTTP connections are closed, WebSocket clients are the connection set's to close. */
  close(): Promise<void>;
}

function refuse(socket: Duplex, { status, reason }: Refusal): void {
  const body = `${reason}\n`;
  socket.on('error', () => {});
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function peerOf(request: http.IncomingMessage): string {
  const { remoteAddress, remotePort } = request.socket;
  return remoteAddress === undefined ? '' : ` ${remoteAddress}:${remotePort}`;
}

export function createEndpoint(options: EndpointOptions): Endpoint {
  const { logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
  const labels = new WeakMap<WebSocket, string>();
  const heartbeat = new Heartbeat(options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS, (ws: WebSocket) =>
    logger.info({ connection: labels.get(ws) }, 'the client did not answer a ping; closing its connection'),
  );

  const server = http.createServer((request, response) => {
    if (request.headers.origin !== undefined) return response.writeHead(403).end();
    const healthProbe = request.method === 'GET' && (request.url === '/healthz' || request.url === '/readyz');
    response.writeHead(healthProbe ? 200 : 404).end();
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refusalOf(request, options.tokenDigest);
    if (refusal !== null) {
      logger.info({ peer: peerOf(request).trim(), status: refusal.status, reason: refusal.reason }, 'websocket connection refused');
      return refuse(socket, refusal);
    }
    const upgrade = () =>
      wss.handleUpgrade(request, socket, head, (ws) => {
        const label = `${options.kind}#${options.nextId()}${peerOf(request)}`;
        labels.set(ws, label);
        heartbeat.track(ws);
        options.accept(websocketChannel(ws, label));
      });
    if (options.peerCheck === undefined) return upgrade();
    // The client's bytes wait in the socket meanwhile (nothing reads it until the handshake).
    const ignore = () => {};
    socket.on('error', ignore);
    void options
      .peerCheck(request.socket)
      .catch((error: Error) => `Keel could not tell who opened this connection (${error.message})`)
      .then((reason) => {
        socket.off('error', ignore);
        if (reason === null) return upgrade();
        const refusal: Refusal = { status: 403, reason: `${reason}; this listener asks no token (--ws-auth capability-token)` };
        logger.info({ peer: peerOf(request).trim(), status: refusal.status, reason: refusal.reason }, 'websocket connection refused');
        refuse(socket, refusal);
      });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  return {
    server,
    close: async () => {
      heartbeat.stop();
      // Stops accepting at once; its callback would wait for every connected client to leave.
      server.close(() => {});
      server.closeAllConnections();
    },
  };
}
