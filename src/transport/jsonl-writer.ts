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

/**
 * A notification's line. A thread's notification goes to each of its subscribers in turn with the
 * same params object, so the last line is kept: the second connection on is not encoded again.
 */
let lastLine: { method: string; params: unknown; emittedAtMs: number; seq: number | undefined; line: string } | null = null;

function notificationLine(method: string, params: unknown, emittedAtMs: number, seq: number | undefined): string {
  const last = lastLine;
  if (last !== null && last.params === params && last.method === method && last.emittedAtMs === emittedAtMs && last.seq === seq) return last.line;
  const line = JSON.stringify(seq === undefined ? { method, params, emittedAtMs } : { method, params, emittedAtMs, seq }) + '\n';
  // Only objects are shared by identity; a primitive or absent params is cheap to encode again.
  lastLine = typeof params === 'object' && params !== null ? { method, params, emittedAtMs, seq, line } : null;
  return line;
}

/** Above this much output not yet taken by the client, producers pause (turns stop reading their model). */
export const OUTPUT_HIGH_WATER_BYTES = 8 * 1024 * 1024;
/** …and they resume once the client has read it down to this. */
export const OUTPUT_LOW_WATER_BYTES = 1024 * 1024;

export interface WriterOptions {
  /**
   * The most output the client may leave untaken; past it the writer drops everything (it closes)
   * and tells `onOverflow`. Asked on every message, so it must be cheap.
   */
  limitBytes?: () => number;
}

export class JsonlMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private pending = '';
  private appendedBytes = 0;
  /** Resolved once the output is back under the low-water mark. */
  private writable: { promise: Promise<void>; resolve: () => void } | null = null;
  private readonly pressureListeners = new Set<(congested: boolean) => void>();
  private readonly overflowListeners = new Set<(bufferedBytes: number, limitBytes: number) => void>();
  /** Work to run once the response to an (internal) request id is written. */
  private readonly afterResponses = new Map<number, Array<() => void>>();
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly output: Writable,
    private readonly ids: RequestIds,
    private readonly options: WriterOptions = {},
  ) {
    super();
    output.on('error', (error) => {
      this.closed = true;
      this.fireError(error);
    });
    output.on('close', () => {
      this.closed = true;
      this.release();
      this.fireClose();
    });
    output.on('drain', () => this.release());
  }

  /** Output written but not yet taken by the client (approximate bytes: JSON is mostly ASCII). */
  bufferedBytes(): number {
    return this.pending.length + this.output.writableLength;
  }

  /**
   * Null while the client keeps up; else a promise that resolves once it has read the output down
   * to the low-water mark. Producers await it before making more.
   */
  whenWritable(): Promise<void> | null {
    if (this.writable !== null) return this.writable.promise;
    if (this.closed || this.bufferedBytes() <= OUTPUT_HIGH_WATER_BYTES) return null;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.writable = { promise, resolve };
    for (const listener of this.pressureListeners) listener(true);
    return promise;
  }

  /** Hears when producers are told to pause (true) and to go on (false). */
  onPressure(listener: (congested: boolean) => void): void {
    this.pressureListeners.add(listener);
  }

  /** Hears once when the output passed the limit and was dropped. */
  onOverflow(listener: (bufferedBytes: number, limitBytes: number) => void): void {
    this.overflowListeners.add(listener);
  }

  private release(): void {
    if (this.writable === null || (!this.closed && this.bufferedBytes() > OUTPUT_LOW_WATER_BYTES)) return;
    const { resolve } = this.writable;
    this.writable = null;
    resolve();
    for (const listener of this.pressureListeners) listener(false);
  }

  /**
   * Runs `task` right after the response to the request with this internal id is written (so a
   * request's notifications follow its response). Runs even when the output has closed: the work
   * may be more than notifications (turn/start starts its turn there), and shutdown ends it cleanly.
   */
  afterResponse(requestId: number, task: () => void): void {
    const tasks = this.afterResponses.get(requestId);
    if (tasks) tasks.push(task);
    else this.afterResponses.set(requestId, [task]);
  }

  /** `seq` (Keel's): the thread's event sequence number, on notifications about a thread. */
  writeNotification(method: string, params: unknown, emittedAtMs: number, seq?: number): void {
    if (this.closed) return;
    this.append(notificationLine(method, params, emittedAtMs, seq));
  }

  /** Answers a line the reader rejected; its id is the client's own, not an internal one. */
  writeRejection(id: string | number | null, error: unknown): void {
    if (this.closed) return;
    this.append(JSON.stringify({ id, error }) + '\n');
  }

  write(message: Message): Promise<void> {
    const outgoing = message as Outgoing;
    const internalId = outgoing.id;
    if (outgoing.method === undefined) outgoing.id = this.ids.toOriginal(internalId);
    if (!this.closed) this.append(encodeMessage(outgoing, Date.now()) + '\n');
    if (outgoing.method === undefined && typeof internalId === 'number') this.runAfterResponse(internalId);
    return Promise.resolve();
  }

  private runAfterResponse(requestId: number): void {
    const tasks = this.afterResponses.get(requestId);
    if (tasks === undefined) return;
    this.afterResponses.delete(requestId);
    for (const task of tasks) task();
  }

  /** Output the client has taken so far (approximate bytes): grows while it reads, however slowly. */
  takenBytes(): number {
    return this.appendedBytes - this.bufferedBytes();
  }

  private append(line: string): void {
    this.pending += line;
    this.appendedBytes += line.length;
    const limitBytes = this.options.limitBytes?.();
    if (limitBytes !== undefined && this.bufferedBytes() > limitBytes) return this.overflow(limitBytes);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // One write per turn of the event loop: a burst of deltas becomes one syscall.
      setImmediate(() => this.flushNow());
    }
  }

  /** Drops what the client has not taken (its memory is freed) and writes nothing more. */
  private overflow(limitBytes: number): void {
    const bufferedBytes = this.bufferedBytes();
    this.closed = true;
    this.pending = '';
    for (const listener of this.overflowListeners) listener(bufferedBytes, limitBytes);
    this.release();
  }

  /** Writes what is buffered and resolves once the stream has taken it (never, if the client stopped reading). */
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
