// The Inspector's HTTP server on 127.0.0.1: the built page (dist/inspector/, nothing fetched from
// anywhere else: its Content-Security-Policy says so to the browser too) and, at /ws, a WebSocket
// relayed frame for frame to a new upstream connection to the app-server, one per page.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { PageAccess, type AccessDecision } from './page-access.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// No inline script, no eval, nothing from elsewhere; the WebSocket back to this server only.
// Rendered Markdown cannot run anything even if some HTML got through its escaping.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export interface PageServer {
  /** The address to open, with its one-time token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface PageServerOptions {
  /** dist/inspector: index.html and its assets. */
  pageDir: string;
  port: number;
  /** A new connection to the app-server, for one page. */
  openUpstream(): Promise<WebSocket>;
  /** Why an upstream could not be had, for the page (it shows it) and stderr. */
  onUpstreamError(error: Error): void;
}

export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const files = readPage(options.pageDir);
  let access: PageAccess | null = null;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const decision = access!.forPage(request, url);
    if (decision.kind === 'refuse') return refuse(response, decision);
    if (decision.kind === 'exchange') {
      // The token leaves the address bar (and the history) at once.
      response.writeHead(303, { ...SECURITY_HEADERS, 'set-cookie': decision.setCookie, location: '/' });
      return void response.end();
    }
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = files.get(name);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, { kind: 'refuse', status: 405 as 403, reason: 'only GET' });
    if (file === undefined) return refuse(response, { kind: 'refuse', status: 404 as 403, reason: `no ${url.pathname}` });
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream', 'content-length': file.length });
    response.end(request.method === 'HEAD' ? undefined : file);
  });
  const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 0 });
  server.on('upgrade', (request, socket, head) => {
    const decision = new URL(request.url ?? '/', 'http://127.0.0.1').pathname === '/ws' ? access!.forSocket(request) : ({ kind: 'refuse', status: 403, reason: 'not a WebSocket endpoint' } as const);
    if (decision.kind !== 'allow') {
      const status = decision.kind === 'refuse' ? decision.status : 403;
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (page) => relay(page, options));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  access = new PageAccess(port);
  return {
    url: `http://127.0.0.1:${port}/?token=${access.oneTimeToken}`,
    port,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Frames both ways, as they are. Until the upstream is open, the page's frames wait in order; if
 * it cannot be opened, the page's socket closes with the reason (1011), which the page shows.
 */
function relay(page: WebSocket, options: PageServerOptions): void {
  const waiting: string[] = [];
  let upstream: WebSocket | null = null;
  page.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    if (upstream === null) waiting.push(text);
    else upstream.send(text);
  });
  options.openUpstream().then(
    (socket) => {
      if (page.readyState !== WebSocket.OPEN) return void socket.close();
      upstream = socket;
      for (const text of waiting.splice(0)) socket.send(text);
      socket.on('message', (data, isBinary) => {
        if (!isBinary) page.send(data.toString());
      });
      socket.on('close', (code, reason) => page.close(code === 1005 || code === 1006 ? 1011 : code, reason.toString().slice(0, 120)));
      socket.on('error', () => {});
      page.on('close', () => socket.close());
    },
    (error: Error) => {
      options.onUpstreamError(error);
      // A close reason is at most 123 bytes.
      page.close(1011, `app-server: ${error.message}`.slice(0, 120));
    },
  );
  page.on('error', () => {});
}

function refuse(response: http.ServerResponse, decision: Extract<AccessDecision, { kind: 'refuse' }>): void {
  response.writeHead(decision.status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${decision.reason}\n`);
}

/** The built page, read once: it does not change while the inspector runs. */
function readPage(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    throw new Error(`the inspector page is not built (${dir} is missing): run npm run build`);
  }
  for (const name of names) if (!name.endsWith('.map')) files.set(name, fs.readFileSync(path.join(dir, name)));
  if (!files.has('index.html')) throw new Error(`the inspector page is not built (${dir} has no index.html): run npm run build`);
  return files;
}
