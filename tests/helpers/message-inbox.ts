// Incoming messages of one Keel process, in arrival order, and the waits on them. A message is
// handed to at most one waiter ("consumed"); responses are also indexed by id so that waiting for
// thousands of answers stays cheap.
export type WireId = string | number;

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface IncomingMessage {
  id?: WireId | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: RpcErrorObject;
  emittedAtMs?: number;
  [member: string]: unknown;
}

/** A method name matches notifications and server requests; a predicate sees every message. */
export type MessageMatcher = string | ((message: IncomingMessage) => boolean);

interface Waiter {
  matches(message: IncomingMessage): boolean;
  resolve(message: IncomingMessage): void;
  reject(error: Error): void;
}

export function isWireId(value: unknown): value is WireId {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

export function isResponse(message: IncomingMessage): boolean {
  return typeof message.method !== 'string';
}

export class Inbox {
  readonly messages: IncomingMessage[] = [];
  private readonly consumed: boolean[] = [];
  private readonly waiters: Waiter[] = [];
  /** Indices of not-yet-consumed responses per id, oldest first. */
  private readonly answers = new Map<WireId, number[]>();
  private readonly answerWaiters = new Map<WireId, Waiter[]>();
  private endedBecause: string | undefined;

  /** `describe` adds context (stderr, exit status) to timeout messages. */
  constructor(private readonly describe: () => string) {}

  push(message: IncomingMessage): void {
    const index = this.messages.push(message) - 1;
    this.consumed.push(false);
    const id = message.id;
    if (isResponse(message) && id !== undefined && id !== null) {
      const waiter = this.answerWaiters.get(id)?.shift();
      if (waiter) return this.hand(index, waiter);
      this.answers.set(id, [...(this.answers.get(id) ?? []), index]);
    }
    const position = this.waiters.findIndex((waiter) => waiter.matches(message));
    if (position !== -1) this.hand(index, this.waiters.splice(position, 1)[0]!);
  }

  /** No more messages will come: pending and future waits fail at once instead of timing out. */
  end(reason: string): void {
    this.endedBecause = reason;
    const pending = [...this.waiters.splice(0), ...[...this.answerWaiters.values()].flat()];
    this.answerWaiters.clear();
    for (const waiter of pending) waiter.reject(new Error(`${reason} while a wait was pending\n${this.describe()}`));
  }

  /** The first not-yet-consumed response with this id. */
  response(id: WireId, timeoutMs: number): Promise<IncomingMessage> {
    const queue = this.answers.get(id) ?? [];
    while (queue.length > 0) {
      const index = queue.shift()!;
      if (!this.consumed[index]) {
        this.consumed[index] = true;
        return Promise.resolve(this.messages[index]!);
      }
    }
    return this.wait(`the response to id ${JSON.stringify(id)}`, timeoutMs, (waiter) => {
      const list = this.answerWaiters.get(id) ?? [];
      list.push(waiter);
      this.answerWaiters.set(id, list);
      return () => {
        const position = list.indexOf(waiter);
        if (position !== -1) list.splice(position, 1);
      };
    });
  }

  /** The first not-yet-consumed message that matches. */
  waitFor(matcher: MessageMatcher, timeoutMs: number): Promise<IncomingMessage> {
    const matches = typeof matcher === 'string' ? (m: IncomingMessage) => m.method === matcher : matcher;
    const index = this.messages.findIndex((message, i) => !this.consumed[i] && matches(message));
    if (index !== -1) {
      this.consumed[index] = true;
      return Promise.resolve(this.messages[index]!);
    }
    const what = typeof matcher === 'string' ? `a ${matcher} message` : `a message matching ${matcher.toString().slice(0, 200)}`;
    return this.wait(what, timeoutMs, (waiter) => {
      this.waiters.push({ ...waiter, matches });
      return () => {
        const position = this.waiters.findIndex((w) => w.resolve === waiter.resolve);
        if (position !== -1) this.waiters.splice(position, 1);
      };
    });
  }

  private hand(index: number, waiter: Waiter): void {
    this.consumed[index] = true;
    waiter.resolve(this.messages[index]!);
  }

  private wait(what: string, timeoutMs: number, register: (waiter: Waiter) => () => void): Promise<IncomingMessage> {
    if (this.endedBecause !== undefined) {
      return Promise.reject(new Error(`${this.endedBecause}; no ${what} arrived\n${this.describe()}`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unregister();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`));
      }, timeoutMs);
      const unregister = register({
        matches: () => false,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }
}
