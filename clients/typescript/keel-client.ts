// A typed client for Keel (or any Codex app-server): spawns the server, speaks JSONL on its stdio,
// offers one generic `request` typed from generated/, and folds every notification into thread
// state with core's reducer — so a UI built on it sees exactly what thread/read would return.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import type { ClientRequests, ServerNotifications } from '../../generated/methods.js';
import { foldNotification } from '../../src/core/codec.js';
import type { ClientSettings } from '../../src/core/events.js';
import { emptyClientState, type KeelState } from '../../src/core/state.js';

export interface SpawnKeelOptions {
  /** The server command; defaults to this checkout's built server. */
  command?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export class KeelRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export type Notification = { [M in keyof ServerNotifications]: { method: M; params: ServerNotifications[M]['params']; emittedAtMs: number } }[keyof ServerNotifications];
export type ServerRequestHandler = (method: string, params: unknown) => Promise<unknown> | unknown;

export class KeelClient {
  /** Every thread this client has heard about, folded from the notifications. */
  state: KeelState<ClientSettings> = emptyClientState;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Set<(notification: Notification) => void>();
  private serverRequests: ServerRequestHandler = (method) => {
    throw new KeelRpcError(-32601, `client does not handle ${method}`);
  };
  readonly exited: Promise<number | null>;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    readline.createInterface({ input: child.stdout }).on('line', (line) => this.receive(line));
    this.exited = new Promise((resolve) => child.on('close', (code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`keel exited (code ${code})`));
      this.pending.clear();
      resolve(code);
    }));
  }

  static spawn(options: SpawnKeelOptions = {}): KeelClient {
    const command = options.command ?? process.execPath;
    const args = options.args ?? (options.command ? [] : [new URL('../../dist/keel.cjs', import.meta.url).pathname]);
    return new KeelClient(spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: 'pipe' }));
  }

  /** `initialize` then `initialized`. */
  async open(clientInfo = { name: 'keel-client', version: '0.1.0' }, capabilities: ClientRequests['initialize']['params']['capabilities'] = null) {
    const result = await this.request('initialize', { clientInfo, capabilities });
    this.notify('initialized');
    return result;
  }

  request<M extends keyof ClientRequests>(method: M, params: ClientRequests[M]['params']): Promise<ClientRequests[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin.write(JSON.stringify({ id, method, params }) + '\n');
    });
  }

  notify(method: string, params?: unknown): void {
    this.child.stdin.write(JSON.stringify(params === undefined ? { method } : { method, params }) + '\n');
  }

  /** Calls `listener` for every notification; returns the function that stops it. */
  onNotification(listener: (notification: Notification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

  /** Answers server→client requests (approvals, tool calls). */
  handleServerRequests(handler: ServerRequestHandler): void {
    this.serverRequests = handler;
  }

  async close(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }

  private receive(line: string): void {
    const message = JSON.parse(line) as { id?: number | string; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown }; emittedAtMs?: number };
    if (message.method !== undefined && message.id !== undefined) return void this.answer(message.id, message.method, message.params);
    if (message.method !== undefined) {
      const notification = { method: message.method, params: message.params, emittedAtMs: message.emittedAtMs ?? Date.now() } as Notification;
      this.state = foldNotification(this.state, notification);
      for (const listener of [...this.listeners]) listener(notification);
      return;
    }
    const waiter = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (waiter === undefined) return;
    this.pending.delete(message.id as number);
    if (message.error) waiter.reject(new KeelRpcError(message.error.code, message.error.message, message.error.data));
    else waiter.resolve(message.result);
  }

  private async answer(id: number | string, method: string, params: unknown): Promise<void> {
    let reply: object;
    try {
      reply = { id, result: await this.serverRequests(method, params) };
    } catch (error) {
      const rpc = error instanceof KeelRpcError ? error : new KeelRpcError(-32603, (error as Error).message);
      reply = { id, error: { code: rpc.code, message: rpc.message, data: rpc.data } };
    }
    this.child.stdin.write(JSON.stringify(reply) + '\n');
  }
}
