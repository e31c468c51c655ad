// Everything the page knows, in one place the components read: the connection (whose state is
// folded by the client library's reducer: there is no second translator here), the raw message
// log, the server requests waiting for the user, and which thread is open. Components subscribe
// and re-render on `changed`, at most once a frame however fast deltas arrive.
import { KeelConnection, type Notification, type WireMessage } from '../../../typescript/keel-connection.js';
import { KeelRpcError } from '../../../typescript/rpc-error.js';
import { connectWebSocket } from '../../../typescript/websocket-connection.js';
import type { ClientRequests, ServerRequests } from '../../../../generated/methods.js';
import type { InitializeResponse, Thread } from '../../../../generated/protocol.js';

export type ConnectionStatus = { kind: 'connecting' } | { kind: 'open'; server: InitializeResponse } | { kind: 'closed'; reason: string };

/** A server request waiting for the user (an approval, questions, an elicitation…). */
export interface PendingServerRequest {
  id: number | string;
  method: keyof ServerRequests | string;
  params: unknown;
  receivedAtMs: number;
  answer(result: unknown): void;
  fail(code: number, message: string): void;
}

/** How many raw messages the log keeps (the oldest go first). */
export const LOG_LIMIT = 5000;

export class InspectorModel {
  status: ConnectionStatus = { kind: 'connecting' };
  connection: KeelConnection | null = null;
  /** Every message both ways, oldest first, at most LOG_LIMIT. */
  log: WireMessage[] = [];
  /** Server requests not yet answered, oldest first. */
  pending: PendingServerRequest[] = [];
  /** The thread shown in the main pane. */
  selectedThreadId: string | null = null;
  /** Bumped on every change; components compare it to know they are stale. */
  version = 0;
  private readonly subscribers = new Set<() => void>();
  private readonly notificationListeners = new Set<(notification: Notification) => void>();
  private scheduled = false;
  private starting: Promise<ClientRequests['thread/start']['result']> | null = null;

  constructor(readonly url: string) {}

  async connect(): Promise<void> {
    let socket;
    try {
      socket = await connectWebSocket(this.url);
    } catch (error) {
      this.status = { kind: 'closed', reason: (error as Error).message };
      return this.changed();
    }
    const connection = socket.connection;
    this.connection = connection;
    connection.onWire((message) => {
      this.log.push(message);
      if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
      this.changed();
    });
    connection.onNotification((notification) => {
      if (notification.method === 'serverRequest/resolved') this.dropPending(notification.params.requestId);
      for (const listener of [...this.notificationListeners]) listener(notification);
    });
    connection.handleServerRequests((method, params, { id }) => new Promise((resolve, reject) => this.addPending({ id, method, params, resolve, reject })));
    void socket.closed.then(({ code, reason }) => {
      this.status = { kind: 'closed', reason: reason || `the connection closed (${code})` };
      this.pending = [];
      this.changed();
    });
    try {
      const server = await connection.open({ name: 'keel-inspector', version: '0.1.0' }, { experimentalApi: true });
      this.status = { kind: 'open', server };
    } catch (error) {
      this.status = { kind: 'closed', reason: `initialize failed: ${(error as Error).message}` };
    }
    this.changed();
  }

  /** A typed request on the open connection; rejects when there is none. */
  request<M extends keyof ClientRequests>(method: M, params: ClientRequests[M]['params']): Promise<ClientRequests[M]['result']> {
    if (this.connection === null) return Promise.reject(new Error('not connected'));
    return this.connection.request(method, params);
  }

  /** The open thread's folded state as the wire Thread object (turns and items), if loaded. */
  wireThread(threadId: string): Thread | undefined {
    return this.connection?.wireThread(threadId);
  }

  /** Opens a thread: resumes it (which subscribes this connection to its live events) and adopts its turns. */
  async openThread(threadId: string): Promise<void> {
    this.selectedThreadId = threadId;
    this.changed();
    const { thread } = await this.request('thread/resume', { threadId });
    this.connection?.adoptThread(thread);
    this.changed();
  }

  /**
   * Starts a thread and shows it. A start already on its way is the one answered: "New thread"
   * then Send, quicker than the server's answer, makes one thread, not two.
   */
  startThread(): Promise<ClientRequests['thread/start']['result']> {
    this.starting ??= this.request('thread/start', {})
      .then((started) => {
        this.showThread(started.thread);
        return started;
      })
      .finally(() => (this.starting = null));
    return this.starting;
  }

  /** Takes a thread the server just answered with (thread/start, thread/fork) and shows it. */
  showThread(thread: Thread): void {
    this.connection?.adoptThread(thread);
    this.selectedThreadId = thread.id;
    this.changed();
  }

  onNotification(listener: (notification: Notification) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  subscribe(listener: () => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /** Marks the model changed; subscribers hear of it once, on the next frame. */
  changed(): void {
    this.version++;
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      for (const listener of [...this.subscribers]) listener();
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(run);
    else setTimeout(run, 16);
  }

  private addPending(entry: { id: number | string; method: string; params: unknown; resolve: (value: unknown) => void; reject: (error: Error) => void }): void {
    const settle = () => {
      this.pending = this.pending.filter((request) => request.id !== entry.id);
      this.changed();
    };
    this.pending = [
      ...this.pending,
      {
        id: entry.id,
        method: entry.method,
        params: entry.params,
        receivedAtMs: Date.now(),
        answer: (result) => {
          entry.resolve(result);
          settle();
        },
        fail: (code, message) => {
          entry.reject(new KeelRpcError(code, message));
          settle();
        },
      },
    ];
    this.changed();
  }

  private dropPending(requestId: number | string): void {
    const before = this.pending.length;
    this.pending = this.pending.filter((request) => request.id !== requestId);
    if (this.pending.length !== before) this.changed();
  }
}
