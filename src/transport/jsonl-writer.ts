// Writes one JSON object per line, in Codex's dialect: no "jsonrpc" member, and every
// notification stamped with `emittedAtMs`. Lines written in the same tick go out in one write.
import type { Writable } from 'node:stream';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-jsonrpc/node';
import type { RequestIds } from './request-ids.js';

type Outgoing = Message & { id?: unknown; method?: string; params?: unknown; result?: unknown; error?: unknown };

export function encodeMessage(message: Outgoing, now: number): string {
  if (typeof message.method === 'string') {
    if (message.id === undefined) {
      return JSON.stringify({ method: message.method, params: message.params, emittedAtMs: now });
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

  constructor(
    private readonly output: Writable,
    private readonly ids: RequestIds,
  ) {
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

  writeNotification(method: string, params: unknown, emittedAtMs: number): void {
    if (this.closed) return;
    this.append(JSON.stringify({ method, params, emittedAtMs }) + '\n');
  }

  /** Answers a line the reader rejected; its id is the client's own, not an internal one. */
  writeRejection(id: string | number | null, error: unknown): void {
    if (this.closed) return;
    this.append(JSON.stringify({ id, error }) + '\n');
  }

  write(message: Message): Promise<void> {
    if (this.closed) return Promise.resolve();
    const outgoing = message as Outgoing;
    if (outgoing.method === undefined) outgoing.id = this.ids.toOriginal(outgoing.id);
    this.append(encodeMessage(outgoing, Date.now()) + '\n');
    const result = outgoing.result;
    if (typeof result === 'object' && result !== null) {
      const task = this.afterResult.get(result);
      if (task) {
        this.afterResult.delete(result);
        task();
      }
    }
    return Promise.resolve();
  }

  private append(line: string): void {
    this.pending += line;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // One write per turn of the event loop: a burst of deltas becomes one syscall.
      setImmediate(() => this.flushNow());
    }
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
