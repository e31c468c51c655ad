// A client of Keel's socket listeners (`--listen unix://…`, `ws://…`), as keel-process.ts is of its
// stdio: one JSON-RPC message per WebSocket text frame, each received frame parsed and passed
// through the conformance check (server-line.ts) before a test sees it; one typed `request`,
// `notify` and `waitFor`. Clients left open are cut by `closeAllSocketClients`.
import { WebSocket } from 'ws';
import type { ClientRequests } from '../../generated/methods.js';
import { recordViolation } from './conformance.js';
import { RpcFailure, testClientInfo } from './keel-process.js';
import { Inbox, isWireId, type IncomingMessage, type MessageMatcher, type WireId } from './message-inbox.js';
import { takeServerLine } from './server-line.js';

const DEFAULT_TIMEOUT_MS = 5_000;
const open = new Set<WebSocket>();

export interface Closed {
  code: number;
  reason: string;
}

/** `unix:///p.sock` → `ws+unix:///p.sock` (how the ws package names a unix socket); ws:// as is. */
export function clientUrl(listenUrl: string): string {
  return listenUrl.startsWith('unix://') ? `ws+unix://${listenUrl.slice('unix://'.length)}` : listenUrl;
}

export class SocketClient {
  readonly closed: Promise<Closed>;
  private readonly inbox = new Inbox(() => this.describe());
  private readonly sentMethods = new Map<WireId, string>();
  private nextId = 1;

  private constructor(
    readonly url: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) recordViolation('wire', 'a binary frame (Keel sends text frames)', String(data));
      takeServerLine(String(data), { requestMethodOf: (id) => this.sentMethods.get(id), deliver: (message) => this.inbox.push(message) });
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        open.delete(ws);
        this.inbox.end(`the socket closed (code ${code})`);
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  /** Connects to a listen URL (`unix:///p.sock` or `ws://host:port`), with a bearer token if given. */
  static connect(listenUrl: string, token?: string): Promise<SocketClient> {
    const ws = new WebSocket(clientUrl(listenUrl), token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
    open.add(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new SocketClient(listenUrl, ws)));
      ws.once('error', reject);
    });
  }

  get messages(): readonly IncomingMessage[] {
    return this.inbox.messages;
  }

  async request<M extends keyof ClientRequests>(method: M, params: ClientRequests[M]['params'], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ClientRequests[M]['result']> {
    const id = this.nextId++;
    this.sentMethods.set(id, method);
    this.ws.send(JSON.stringify({ id, method, params }));
    const answer = await this.inbox.response(id, timeoutMs);
    if (answer.error !== undefined) throw new RpcFailure(method, answer.error);
    return answer.result as ClientRequests[M]['result'];
  }

  /** Sends one frame as given; a request in it is remembered for the conformance check. */
  sendFrame(text: string): void {
    try {
      const { id, method } = JSON.parse(text) as { id?: unknown; method?: unknown };
      if (isWireId(id) && typeof method === 'string') this.sentMethods.set(id, method);
    } catch {
      // Not JSON on purpose.
    }
    this.ws.send(text);
  }

  notify(method: string, params?: unknown): void {
    this.ws.send(JSON.stringify(params === undefined ? { method } : { method, params }));
  }

  response(id: WireId, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<IncomingMessage> {
    return this.inbox.response(id, timeoutMs);
  }

  waitFor(matcher: MessageMatcher, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<IncomingMessage> {
    return this.inbox.waitFor(matcher, timeoutMs);
  }

  /** Stops reading the socket (as a client that stops reading would), and starts again. */
  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  close(): Promise<Closed> {
    this.ws.close();
    return this.closed;
  }

  private describe(): string {
    const recent = this.messages.slice(-10).map((m) => `  ${JSON.stringify(m).slice(0, 300)}`);
    return [`socket client of ${this.url}; ${this.messages.length} messages received${recent.length ? ', the last ones:' : ''}`, ...recent].join('\n');
  }
}

/** The handshake on a socket: `initialize`, then `initialized`. */
export async function socketInitialized(client: SocketClient, capabilities: Record<string, unknown> = {}) {
  const result = await client.request('initialize', { clientInfo: testClientInfo, capabilities });
  client.notify('initialized');
  return result;
}

/** What Keel answers an upgrade it refuses: the HTTP status and body. */
export function refusedUpgrade(listenUrl: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const ws = new WebSocket(clientUrl(listenUrl), { headers });
  open.add(ws);
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.once('open', () => reject(new Error(`${listenUrl} accepted the upgrade`)));
    ws.once('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        open.delete(ws);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
  });
}

export function closeAllSocketClients(): void {
  for (const ws of open) ws.terminate();
  open.clear();
}
