// A typed client for Keel (or any Codex app-server): spawns the server or attaches to a pair of
// streams, speaks JSONL, offers one generic `request` typed from generated/, answers server
// requests (safe defaults when nobody does), and folds every notification into thread state with
// core's reducer — so a UI built on it sees exactly what thread/read would return.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import type { ClientRequests, ServerNotifications, ServerRequests } from '../../generated/methods.js';
import { foldNotification } from '../../src/core/codec.js';
import type { ClientSettings } from '../../src/core/events.js';
import type { Thread, ThreadItem, ThreadStatus, Turn } from '../../generated/protocol.js';
import { emptyClientState, type KeelState, type ThreadState } from '../../src/core/state.js';
import { defaultAnswer } from './default-answers.js';
import { KeelRpcError, SERVER_EXITED } from './rpc-error.js';
import { defaultServerCommand } from './server-command.js';
import { toWireThread } from './thread-view.js';

export { KeelRpcError, METHOD_NOT_FOUND, SERVER_EXITED } from './rpc-error.js';
export { defaultAnswers } from './default-answers.js';
export { toWireThread } from './thread-view.js';
export type { ClientRequests, ServerNotifications, ServerRequests } from '../../generated/methods.js';
export type { ClientSettings, KeelState, ThreadState, Thread, ThreadItem, ThreadStatus, Turn };

export interface SpawnKeelOptions {
  /** The server command; defaults to this checkout's built server, else `keel` on the PATH. */
  command?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The two ends of a connection to a server: what it writes, and where to write to it. */
export interface KeelStreams {
  readable: NodeJS.ReadableStream;
  writable: NodeJS.WritableStream;
}

export type Notification = { [M in keyof ServerNotifications]: NotificationOf<M> }[keyof ServerNotifications];
/** `seq` (Keel's): the thread's event sequence number, on notifications about a thread. */
export type NotificationOf<M extends keyof ServerNotifications> = { method: M; params: ServerNotifications[M]['params']; emittedAtMs: number; seq?: number };
/** The catch-all for server requests no `onRequest` handler takes. */
export type ServerRequestHandler = (method: string, params: unknown) => Promise<unknown> | unknown;
export type RequestHandler<M extends keyof ServerRequests> = (
  params: ServerRequests[M]['params'],
  request: { id: number | string; method: M },
) => Promise<ServerRequests[M]['result']> | ServerRequests[M]['result'];

type Incoming = { id?: number | string; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown }; emittedAtMs?: number; seq?: number };

export class KeelClient {
  /** Every thread this client has heard about, folded from the notifications. */
  state: KeelState<ClientSettings> = emptyClientState;
  /** Resolves with the server's exit code (null for attached streams, or a signal) once it is gone. */
  readonly exited: Promise<number | null>;
  private nextId = 1;
  private gone: KeelRpcError | null = null;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Set<(notification: Notification) => void>();
  private readonly requestHandlers = new Map<string, (params: unknown, request: { id: number | string; method: string }) => unknown>();
  private catchAll: ServerRequestHandler | null = null;
  private readonly statuses = new Map<string, ThreadStatus>();
  private readonly seqs = new Map<string, number>();
  private readonly streams: KeelStreams;

  constructor(source: ChildProcessWithoutNullStreams | KeelStreams) {
    const child = 'stdin' in source ? source : null;
    this.streams = child ? { readable: child.stdout, writable: child.stdin } : (source as KeelStreams);
    // A write after the server went away must not crash the host process; pending requests learn
    // of it through `exited`.
    (this.streams.writable as NodeJS.WritableStream & { on(event: 'error', fn: () => void): void }).on('error', () => {});
    const lines = readline.createInterface({ input: this.streams.readable });
    lines.on('line', (line) => this.receive(line));
    let failure: Error | null = null;
    this.exited = new Promise<number | null>((resolve) => {
      if (!child) return void lines.on('close', () => resolve(null));
      child.on('close', (code) => resolve(code));
      // A server that never started (no such command): an answer for every request, not a crash.
      child.on('error', (error) => {
        if (child.pid !== undefined) return;
        failure = error;
        resolve(null);
      });
    }).then((code) => {
      this.gone = new KeelRpcError(SERVER_EXITED, failure ? `keel did not start: ${failure.message}` : `keel exited (code ${code})`);
      for (const { reject } of this.pending.values()) reject(this.gone);
      this.pending.clear();
      return code;
    });
  }

  static spawn(options: SpawnKeelOptions = {}): KeelClient {
    const { command, args } = options.command ? { command: options.command, args: options.args ?? [] } : { ...defaultServerCommand(), ...(options.args && { args: options.args }) };
    return new KeelClient(spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: 'pipe' }));
  }

  /** A client on any pair of streams: a socket, an in-process server, a test's pipes. */
  static attach(readable: NodeJS.ReadableStream, writable: NodeJS.WritableStream): KeelClient {
    return new KeelClient({ readable, writable });
  }

  /** `initialize` then `initialized`. */
  async open(clientInfo = { name: 'keel-client', version: '0.1.0' }, capabilities: ClientRequests['initialize']['params']['capabilities'] = null) {
    const result = await this.request('initialize', { clientInfo, capabilities });
    this.notify('initialized');
    return result;
  }

  /** Resolves with the result; rejects with KeelRpcError on an error answer or when the server exits. */
  request<M extends keyof ClientRequests>(method: M, params: ClientRequests[M]['params']): Promise<ClientRequests[M]['result']> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
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

  /** The highest `seq` heard about a thread (0 when none): what `thread/resume {afterSeq}` takes after a reconnect. */
  lastSeq(threadId: string): number {
    return this.seqs.get(threadId) ?? 0;
  }

  /**
   * Picks up where `previous` (a client whose connection dropped) left off: its folded state and
   * seqs, then `thread/resume {afterSeq}` for each thread it followed, so the events it missed
   * arrive and fold in before live ones. Resolves once every resume is answered.
   */
  async takeOver(previous: KeelClient, threadIds: readonly string[] = [...previous.seqs.keys()]): Promise<void> {
    this.state = previous.state;
    for (const [threadId, seq] of previous.seqs) this.seqs.set(threadId, Math.max(seq, this.lastSeq(threadId)));
    for (const [threadId, status] of previous.statuses) this.statuses.set(threadId, status);
    await Promise.all(threadIds.map((threadId) => this.request('thread/resume', { threadId, afterSeq: previous.lastSeq(threadId), excludeTurns: true })));
  }

  /** Ends the server's input; resolves with its exit code once it is gone. */
  async close(): Promise<number | null> {
    this.streams.writable.end();
    return this.exited;
  }

  private send(message: object): void {
    this.streams.writable.write(JSON.stringify(message) + '\n');
  }

  private receive(line: string): void {
    let message: Incoming;
    try {
      message = JSON.parse(line) as Incoming;
    } catch {
      return; // Not protocol (a server's stray output): nothing to fold or answer.
    }
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

  private notified(notification: Notification): void {
    this.state = foldNotification(this.state, notification);
    const threadId = threadOf(notification.params);
    if (notification.seq !== undefined && threadId !== null && notification.seq > this.lastSeq(threadId)) this.seqs.set(threadId, notification.seq);
    if (notification.method === 'thread/started') this.statuses.set(notification.params.thread.id, notification.params.thread.status);
    if (notification.method === 'thread/status/changed') this.statuses.set(notification.params.threadId, notification.params.status);
    for (const listener of [...this.listeners]) listener(notification);
  }

  private async answer(id: number | string, method: string, params: unknown): Promise<void> {
    let reply: object;
    try {
      const handler = this.requestHandlers.get(method);
      const result = handler ? handler(params, { id, method }) : this.catchAll ? this.catchAll(method, params) : defaultAnswer(method, params);
      reply = { id, result: await result };
    } catch (error) {
      const rpc = error instanceof KeelRpcError ? error : new KeelRpcError(-32603, (error as Error).message);
      reply = { id, error: { code: rpc.code, message: rpc.message, data: rpc.data } };
    }
    this.send(reply);
  }
}

/** The thread a notification is about: `threadId`, or the `thread` it carries. */
function threadOf(params: unknown): string | null {
  const p = params as { threadId?: unknown; thread?: { id?: unknown } } | null;
  if (typeof p?.threadId === 'string') return p.threadId;
  return typeof p?.thread?.id === 'string' ? p.thread.id : null;
}
