// One JSON-RPC connection over a message-level channel: message texts in (a line, a frame; read
// and shaped by classify-line.ts), message texts out. It keeps the client's request ids as sent (any string
// or integer, "0" and 0 apart, an id reused once answered), hands each request to its handler with
// its id, turns `$/cancelRequest` into the request's AbortSignal, numbers server requests 0, 1, 2…
// and matches their answers by id, and writes a request's response before running the work that
// must follow it (its notifications, a turn's start).
import type { Log } from '../log.js';
import { ErrorCode, isRpcError, RpcError, RpcErrors } from '../protocol/errors.js';
import { classifyLine, type Message, type WireId } from './classify-line.js';
import { codexDialect, type Dialect } from './dialect.js';

/** Where message texts go: one call per message (a line on stdio, a frame on a WebSocket). */
export interface Outlet {
  send(text: string): void;
}

export interface IncomingRequest {
  /** The client's id, as it sent it. */
  id: WireId;
  method: string;
  params: unknown;
  /** Aborted when the client cancels the request (`$/cancelRequest`). */
  signal: AbortSignal;
  /** Runs `task` once this request's response has been written (even if no client is left to read it). */
  afterResponse(task: () => void): void;
}

export interface RpcHandlers {
  /** Resolves with the result, or rejects with the RpcError to answer. */
  request(request: IncomingRequest): Promise<unknown>;
  notification(method: string, params: unknown): void;
}

/** Why a server request will never be answered here: its connection is closed. */
export class ConnectionGone extends Error {
  constructor() {
    super('the connection is closed');
    this.name = 'ConnectionGone';
  }
}

export interface ServerRequest {
  id: number;
  /** The client's result; rejects with its RpcError, or with ConnectionGone once the connection closes. */
  answer: Promise<unknown>;
}

interface Queued {
  message: Message;
  /** A request's cancel switch, made when it is read: a cancel may come before it is dispatched. */
  abort?: AbortController;
}

/** vscode-jsonrpc's code for an error answer whose code is not a number; kept so such answers read the same. */
const UNKNOWN_ERROR_CODE = -32001;

export class RpcConnection {
  /** Messages read and not yet dispatched; `head` is the next one. */
  private queue: Queued[] = [];
  private head = 0;
  private scheduled = false;
  /** The latest request per client id, queued or running: what a cancel of that id aborts. */
  private readonly cancellable = new Map<WireId, AbortController>();
  private readonly waiting = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  private nextServerRequestId = 0;
  private unanswered = 0;
  private readonly answeredListeners = new Set<() => void>();
  private gone = false;

  constructor(
    private readonly out: Outlet,
    private readonly handlers: RpcHandlers,
    private readonly logger: Log,
    private readonly dialect: Dialect = codexDialect,
  ) {}

  /** Requests read and not yet answered. */
  get pendingRequests(): number {
    return this.unanswered;
  }

  /** Hears each time a request's response has been written. */
  onAnswered(listener: () => void): void {
    this.answeredListeners.add(listener);
  }

  /** One message's text from the channel: served, answered at once if it is no message, or skipped if blank. */
  receive(text: string): void {
    const verdict = classifyLine(text);
    if (verdict.kind === 'message') this.message(verdict.message);
    else if (verdict.kind === 'reject') this.reject(verdict.id, verdict.error);
  }

  /** A message too long to read: its id cannot be known without reading it, so it is answered with id null. */
  oversize(maxBytes: number): void {
    this.reject(null, RpcErrors.lineTooLong(maxBytes));
  }

  /** A message read. Dispatch is one message per turn of the event loop, in order. */
  message(message: Message): void {
    if (this.gone) return;
    if (this.dialect.requiresVersion && message.jsonrpc !== '2.0') {
      const id = message.id === undefined ? null : message.id;
      return this.reject(id, RpcErrors.invalidRequest('"jsonrpc" must be "2.0"'));
    }
    if (message.method !== undefined && message.id !== undefined && message.id !== null) {
      this.unanswered++;
      const abort = new AbortController();
      this.cancellable.set(message.id, abort);
      return this.enqueue({ message, abort });
    }
    if (message.method === '$/cancelRequest') return this.cancel(message.params);
    this.enqueue({ message });
  }

  /** Answers a message that could not be read (malformed, bad shape, too long) with the client's id, if it had one. */
  reject(id: WireId | null, error: RpcError): void {
    if (!this.gone) this.out.send(this.dialect.error(id, error.toJson()));
  }

  notify(method: string, params: unknown, emittedAtMs: number, seq?: number): void {
    if (!this.gone) this.out.send(this.dialect.notification(method, params, emittedAtMs, seq));
  }

  /** Asks the client; ids count from 0 per connection, as Codex's do. */
  request(method: string, params: unknown): ServerRequest {
    const id = this.nextServerRequestId++;
    if (this.gone) return { id, answer: Promise.reject(new ConnectionGone()) };
    const answer = new Promise<unknown>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.out.send(this.dialect.request(id, method, params));
    return { id, answer };
  }

  /**
   * Nothing more is read or written: messages not yet dispatched are dropped, and server requests
   * still waiting reject with ConnectionGone. Requests already running finish (and run their
   * after-response work) unheard.
   */
  close(): void {
    if (this.gone) return;
    this.gone = true;
    this.queue = [];
    this.head = 0;
    for (const { reject } of this.waiting.values()) reject(new ConnectionGone());
    this.waiting.clear();
  }

  /** A cancel of nothing (no params, no id, an id not seen) cancels nothing. */
  private cancel(params: unknown): void {
    if (typeof params !== 'object' || params === null) return;
    const id = (params as { id?: unknown }).id;
    if (typeof id !== 'string' && typeof id !== 'number') return;
    this.cancellable.get(id)?.abort();
  }

  private enqueue(entry: Queued): void {
    this.queue.push(entry);
    this.schedule();
  }

  // One message per macrotask, as vscode-jsonrpc dispatched them: `initialize` read in the same
  // chunk as the requests after it has set up the session before they are dispatched.
  private schedule(): void {
    if (this.scheduled || this.head === this.queue.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const entry = this.queue[this.head++];
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      if (entry !== undefined) this.dispatch(entry);
      this.schedule();
    });
  }

  private dispatch({ message, abort }: Queued): void {
    if (message.method === undefined) return this.answerReceived(message);
    if (abort === undefined) {
      try {
        this.handlers.notification(message.method, message.params);
      } catch (error) {
        this.logger.error({ err: error, method: message.method }, 'notification handler failed');
      }
      return;
    }
    void this.serve(message.id as WireId, message.method, message.params, abort);
  }

  private async serve(id: WireId, method: string, params: unknown, abort: AbortController): Promise<void> {
    const followUps: Array<() => void> = [];
    let text: string;
    try {
      const result = await this.handlers.request({ id, method, params, signal: abort.signal, afterResponse: (task) => followUps.push(task) });
      text = this.dialect.result(id, result);
    } catch (error) {
      text = this.dialect.error(id, this.asRpcError(error, method).toJson());
    } finally {
      if (this.cancellable.get(id) === abort) this.cancellable.delete(id);
    }
    if (!this.gone) this.out.send(text);
    for (const task of followUps) {
      try {
        task();
      } catch (error) {
        this.logger.error({ err: error, method }, 'post-response task failed');
      }
    }
    this.unanswered--;
    for (const listener of this.answeredListeners) listener();
  }

  /** Handlers answer with RpcErrors; anything else is a fault, worded as clients have always read it. */
  private asRpcError(error: unknown, method: string): RpcError {
    if (isRpcError(error)) return error;
    this.logger.error({ err: error, method }, 'request handler failed');
    const detail = error instanceof Error ? `failed with message: ${error.message}` : 'failed unexpectedly without providing any details.';
    return new RpcError(ErrorCode.internalError, `Request ${method} ${detail}`);
  }

  /** The client's answer to a server request: an answer to nothing (or to an id of another type) is ignored. */
  private answerReceived(message: Message): void {
    if (message.id === null || message.id === undefined) {
      this.logger.warn({ error: message.error }, 'the client answered with id null; there is nothing to match it to');
      return;
    }
    const waiter = typeof message.id === 'number' ? this.waiting.get(message.id) : undefined;
    if (waiter === undefined) {
      this.logger.debug({ id: message.id }, 'an answer to no open server request; ignored');
      return;
    }
    this.waiting.delete(message.id as number);
    if (message.error) {
      const { code, message: text, data } = message.error as { code?: unknown; message?: unknown; data?: unknown };
      waiter.reject(new RpcError(typeof code === 'number' ? code : UNKNOWN_ERROR_CODE, typeof text === 'string' ? text : '', data));
    } else {
      waiter.resolve(message.result);
    }
  }
}
