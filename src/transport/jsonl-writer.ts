// Writes one message per line. Lines written in the same tick go out in one write. What a line
// says is the connection's business (dialect.ts); this is framing, batching and backpressure.
import type { Writable } from 'node:stream';

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

export class JsonlWriter {
  private pending = '';
  private appendedBytes = 0;
  /** Resolved once the output is back under the low-water mark. */
  private writable: { promise: Promise<void>; resolve: () => void } | null = null;
  private readonly pressureListeners = new Set<(congested: boolean) => void>();
  private readonly overflowListeners = new Set<(bufferedBytes: number, limitBytes: number) => void>();
  private readonly errorListeners = new Set<(error: Error) => void>();
  private readonly closeListeners = new Set<() => void>();
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly output: Writable,
    private readonly options: WriterOptions = {},
  ) {
    output.on('error', (error) => {
      this.closed = true;
      for (const listener of this.errorListeners) listener(error);
    });
    output.on('close', () => {
      this.closed = true;
      this.release();
      for (const listener of this.closeListeners) listener();
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

  /** Hears when the output stream fails (a closed pipe, a reset socket): the client is gone. */
  onError(listener: (error: Error) => void): void {
    this.errorListeners.add(listener);
  }

  /** Hears when the output stream has closed. */
  onClose(listener: () => void): void {
    this.closeListeners.add(listener);
  }

  /** Whether lines are still written (not once the stream failed, closed, or was dropped). */
  get open(): boolean {
    return !this.closed;
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

  /** Writes one message (its text, without a newline); nothing once the output is closed. */
  send(text: string): void {
    if (this.closed) return;
    this.append(text + '\n');
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
