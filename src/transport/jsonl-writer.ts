// Writes one JSON object per line, in Codex's dialect: no "jsonrpc" member, and every
// notification stamped with `emittedAtMs`. Lines written in the same tick go out in one write.
import type { Writable } from 'node:stream';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-jsonrpc/node';
import { emittedAtOf } from './emitted-at.js';

type Outgoing = Message & { id?: unknown; method?: string; params?: unknown; result?: unknown; error?: unknown };

export function encodeMessage(message: Outgoing, now: number): string {
  if (typeof message.method === 'string') {
    if (message.id === undefined) {
      return JSON.stringify({ method: message.method, params: message.params, emittedAtMs: emittedAtOf(message.params, now) });
    }
    return JSON.stringify({ id: message.id, method: message.method, params: message.params });
  }
  if (message.error !== undefined) return JSON.stringify({ id: message.id ?? null, error: message.error });
  return JSON.stringify({ id: message.id, result: message.result ?? null });
}

export class JsonlMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private pending = '';
  private readonly afterResult = new WeakMap<object, () => void>();
  private flushScheduled = false;
  private closed = false;

  constructor(private readonly output: Writable) {
    super();
    output.on('error', (error) => {
      this.closed = true;
      this.fireError(error);
    });
    output.on('close', () => {
      this.closed = true;
      this.fireClose();
    });
  }

  /** Runs `task` right after the response carrying `result` (by identity) is written. */
  afterResponseWith(result: object, task: () => void): void {
    this.afterResult.set(result, task);
  }

  write(message: Message): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending += encodeMessage(message as Outgoing, Date.now()) + '\n';
    const result = (message as Outgoing).result;
    if (typeof result === 'object' && result !== null) {
      const task = this.afterResult.get(result);
      if (task) {
        this.afterResult.delete(result);
        task();
      }
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flushNow());
    }
    return Promise.resolve();
  }

  /** Writes what is buffered and resolves once the stream has taken it. */
  flush(): Promise<void> {
    this.flushNow();
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.output.write('', () => resolve()));
  }

  end(): void {
    this.flushNow();
  }

  private flushNow(): void {
    this.flushScheduled = false;
    if (this.pending === '' || this.closed) return;
    const chunk = this.pending;
    this.pending = '';
    this.output.write(chunk);
  }
}
