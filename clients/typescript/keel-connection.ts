// The protocol side of a Keel (or any Codex app-server) client, with no transport and nothing of
// Node's, so the same code runs in a browser page: one generic `request` typed from generated/,
// answers to server requests (safe defaults when nobody answers), and every notification folded
// into thread state with core's reducer. A transport hands it each received message (`receive`),
// gives it a function to send with, and calls `disconnect` when the server is gone.
import type { ClientRequests, ServerNotifications, ServerRequests } from '../../generated/methods.js';
import { eventFromNotification, foldNotification } from '../../src/core/codec.js';
import type { ClientSettings } from '../../src/core/events.js';
import type { Thread, ThreadStatus } from '../../generated/protocol.js';
import { reduce } from '../../src/core/reduce.js';
import { emptyClientState, type KeelState, type ThreadState } from '../../src/core/state.js';
import { defaultAnswer } from './default-answers.js';
import { KeelRpcError } from './rpc-error.js';
import { toWireThread } from './thread-view.js';

export type Notification = { [M in keyof ServerNotifications]: NotificationOf<M> }[keyof ServerNotifications];
/** `seq` (Keel's): the thread's event sequence number, on notifications about a thread. */
export type NotificationOf<M extends keyof ServerNotifications> = { method: M; params: ServerNotifications[M]['params']; emittedAtMs: number; seq?: number };
/** The catch-all for server requests no `onRequest` handler takes. */
export type ServerRequestHandler = (method: string, params: unknown, request: { id: number | string }) => Promise<unknown> | unknown;
export type RequestHandler<M extends keyof ServerRequests> = (
  params: ServerRequests[M]['params'],
  request: { id: number | string; method: M },
) => Promise<ServerRequests[M]['result']> | ServerRequests[M]['result'];

/** A message as it crossed the wire, for logs and inspectors: `in` from the server, `out` to it. */
export interface WireMessage {
  direction: 'in' | 'out';
  message: Incoming;
  /** When this client sent or received it (ms since the epoch). */
  atMs: number;
}

export type Incoming = { id?: number | string; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown }; emittedAtMs?: number; seq?: number };

export class KeelConnection {
  /** Every thread this client has heard about, folded from the notifications. */
  state: KeelState<ClientSettings> = emptyClientState;
  private nextId = 1;
  private gone: KeelRpcError | null = null;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Set<(notification: Notification) => void>();
  private readonly wireListeners = new Set<(message: WireMessage) => void>();
  private readonly requestHandlers = new Map<string, (params: unknown, request: { id: number | string; method: string }) => unknown>();
  private catchAll: ServerRequestHandler | null = null;
  private readonly statuses = new Map<string, ThreadStatus>();
  private readonly seqs = new Map<string, number>();

  /** `sendText`: writes one serialized message (the transport adds its framing: a newline, a frame). */
  constructor(private readonly sendText: (text: string) => void) {}

  /** `initialize` then `initialized`. */
  async open(clientInfo = { name: 'keel-client', version: '0.1.0' }, capabilities: ClientRequests['initialize']['params']['capabilities'] = null) {
    const result = await this.request('initialize', { clientInfo, capabilities });
    this.notify('initialized');
    return result;
  }

  /** Resolves with the result; rejects with KeelRpcError on an error answer or when the server is gone. */
  request<M extends keyof ClientRequests>(method: M, params: ClientRequests[M]['params']): Promise<ClientRequests[M]['result']> {
    return this.requestUntyped(method, params) as Promise<ClientRequests[M]['result']>;
  }

  /** Any method by name, params unchecked: for consoles and for methods newer than generated/. */
  requestUntyped(method: string, params: unknown): Promise<unknown> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ id, method, params });
    });
  }

  notify(method: string, params?: unknown): void {
    this.send(params === undefined ? { method } : { method, params });
  }

  /** Calls `listener` for every notification (after it is folded into `state`); returns the function that stops it. */
  onNotification(listener: (notification: Notification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` with every message sent or received, as it crossed the wire; returns the function that stops it. */
  onWire(listener: (message: WireMessage) => void): () => void {
    this.wireListeners.add(listener);
    return () => this.wireListeners.delete(listener);
  }

  /** Calls `handler` with the params of every `method` notification; returns the function that stops it. */
  on<M extends keyof ServerNotifications>(method: M, handler: (params: ServerNotifications[M]['params'], notification: NotificationOf<M>) => void): () => void {
    return this.onNotification((n) => {
      if (n.method === method) handler(n.params as ServerNotifications[M]['params'], n as NotificationOf<M>);
    });
  }

  /** Resolves with the first notification that matches. */
  next<M extends Notification['method']>(method: M, match: (n: Extract<Notification, { method: M }>) => boolean = () => true): Promise<Extract<Notification, { method: M }>> {
    return new Promise((resolve) => {
      const stop = this.onNotification((n) => {
        if (n.method === method && match(n as Extract<Notification, { method: M }>)) {
          stop();
          resolve(n as Extract<Notification, { method: M }>);
        }
      });
    });
  }

  /**
   * Answers the server's `method` requests with what `handler` returns (a throw answers an error);
   * replaces an earlier handler for it. Returns the function that goes back to the default.
   */
  onRequest<M extends keyof ServerRequests>(method: M, handler: RequestHandler<M>): () => void {
    const entry = handler as (params: unknown, request: { id: number | string; method: string }) => unknown;
    this.requestHandlers.set(method, entry);
    return () => {
      if (this.requestHandlers.get(method) === entry) this.requestHandlers.delete(method);
    };
  }

  /** Answers every server request no `onRequest` handler takes (instead of the safe defaults). */
  handleServerRequests(handler: ServerRequestHandler): void {
    this.catchAll = handler;
  }

  /** The folded state of one thread, if this client has seen it. */
  thread(threadId: string): ThreadState<ClientSettings> | undefined {
    return this.state.threads[threadId];
  }

  /**
   * The thread as the wire Thread object, turns and items included (as thread/read includeTurns).
   * Its status is the last one the server announced: the approval flags come from server
   * requests, which the reducer does not see.
   */
  wireThread(threadId: string): Thread | undefined {
    const thread = this.thread(threadId);
    return thread && toWireThread(thread, this.statuses.get(threadId));
  }

  /**
   * Takes a thread as the server answered it (thread/read, thread/resume, thread/start: turns and
   * items included) as this client's folded state of it, replacing what it had: the same decoding
   * a `thread/started` notification gets, so live notifications fold on top of it.
   */
  adoptThread(thread: Thread): void {
    // Created when the Thread says it was: a notification's own time stands in for that only when it is new.
    const event = eventFromNotification({ method: 'thread/started', params: { thread }, emittedAtMs: thread.createdAt * 1000 });
    if (event === null) return;
    const { [thread.id]: _replaced, ...others } = this.state.threads;
    const adopted = reduce({ threads: others }, event);
    const state = adopted.threads[thread.id];
    // Its last change is the server's (the event's time is its creation): what a thread/read answers.
    this.state = state === undefined ? adopted : { threads: { ...adopted.threads, [thread.id]: { ...state, updatedAtMs: Math.max(state.updatedAtMs, thread.updatedAt * 1000) } } };
    this.statuses.set(thread.id, thread.status);
  }

  /** The highest `seq` heard about a thread (0 when none): what `thread/resume {afterSeq}` takes after a reconnect. */
  lastSeq(threadId: string): number {
    return this.seqs.get(threadId) ?? 0;
  }

  /**
   * Picks up where `previous` (a client whose connection dropped) left off: its folded state and
   * seqs, then `thread/resume {afterSeq}` for each thread it followed, so the events it missed
   * arrive and fold in before live ones. Resolves once every resume is answered.
   */
  async takeOver(previous: KeelConnection, threadIds: readonly string[] = [...previous.seqs.keys()]): Promise<void> {
    this.state = previous.state;
    for (const [threadId, seq] of previous.seqs) this.seqs.set(threadId, Math.max(seq, this.lastSeq(threadId)));
    for (const [threadId, status] of previous.statuses) this.statuses.set(threadId, status);
    await Promise.all(threadIds.map((threadId) => this.request('thread/resume', { threadId, afterSeq: previous.lastSeq(threadId), excludeTurns: true })));
  }

  /** True once the transport said the server is gone. */
  get disconnected(): boolean {
    return this.gone !== null;
  }

  /** The transport lost the server: every pending request and every later one rejects with `error`. */
  disconnect(error: KeelRpcError): void {
    if (this.gone) return;
    this.gone = error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  /** One message from the server, as text; what does not parse is not protocol and is dropped. */
  receive(text: string): void {
    let message: Incoming;
    try {
      message = JSON.parse(text) as Incoming;
    } catch {
      return; // Not protocol (a server's stray output): nothing to fold or answer.
    }
    if (typeof message !== 'object' || message === null) return;
    this.tap('in', message);
    if (message.method !== undefined && message.id !== undefined) return void this.answer(message.id, message.method, message.params);
    if (message.method !== undefined) {
      const seq = typeof message.seq === 'number' ? { seq: message.seq } : {};
      return this.notified({ method: message.method, params: message.params, emittedAtMs: message.emittedAtMs ?? Date.now(), ...seq } as Notification);
    }
    const waiter = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (waiter === undefined) return;
    this.pending.delete(message.id as number);
    if (message.error) waiter.reject(new KeelRpcError(message.error.code, message.error.message, message.error.data));
    else waiter.resolve(message.result);
  }

  private send(message: Incoming): void {
    this.tap('out', message);
    this.sendText(JSON.stringify(message));
  }

  private tap(direction: WireMessage['direction'], message: Incoming): void {
    if (this.wireListeners.size === 0) return;
    const atMs = Date.now();
    for (const listener of [...this.wireListeners]) listener({ direction, message, atMs });
  }

  private notified(notification: Notification): void {
    this.state = foldNotification(this.state, notification);
    const threadId = threadOf(notification.params);
    if (notification.seq !== undefined && threadId !== null && notification.seq > this.lastSeq(threadId)) this.seqs.set(threadId, notification.seq);
    if (notification.method === 'thread/started') this.statuses.set(notification.params.thread.id, notification.params.thread.status);
    if (notification.method === 'thread/status/changed') this.statuses.set(notification.params.threadId, notification.params.status);
    for (const listener of [...this.listeners]) listener(notification);
  }

  private async answer(id: number | string, method: string, params: unknown): Promise<void> {
    let reply: Incoming;
    try {
      const handler = this.requestHandlers.get(method);
      const result = handler ? handler(params, { id, method }) : this.catchAll ? this.catchAll(method, params, { id }) : defaultAnswer(method, params);
      reply = { id, result: await result };
    } catch (error) {
      const rpc = error instanceof KeelRpcError ? error : new KeelRpcError(-32603, (error as Error).message);
      reply = { id, error: { code: rpc.code, message: rpc.message, data: rpc.data } };
    }
    if (!this.gone) this.send(reply);
  }
}

/** The thread a notification is about: `threadId`, or the `thread` it carries. */
export function threadOf(params: unknown): string | null {
  const p = params as { threadId?: unknown; thread?: { id?: unknown } } | null;
  if (typeof p?.threadId === 'string') return p.threadId;
  return typeof p?.thread?.id === 'string' ? p.thread.id : null;
}
