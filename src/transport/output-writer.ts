// Paces one connection's output: messages sent in the same tick go to the channel in one write,
// and what the client has not taken yet is watched (backpressure, the output limit). What a
// message says is the connection's business (dialect.ts); how it is framed, the channel's.
import type { Channel } from './channel.js';

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

export class OutputWriter {
  /** Messages sent this tick, not yet written, and their size (each counted with one framing byte: stdio's newline). */
  private pending: string[] = [];
  private pendingBytes = 0;
  private appendedBytes = 0;
  /** Resolved once the output is back under the low-water mark. */
  private writable: { promise: Promise<void>; resolve: () => void } | null = null;
  private readonly pressureListeners = new Set<(congested: boolean) => void>();
  private readonly overflowListeners = new Set<(bufferedBytes: number, limitBytes: number) => void>();
  private readonly errorListeners = new Set<(error: Error) => void>();
  private flushScheduled = false;
  private closed = false;
  private failed = false;

  constructor(
    private readonly channel: Pick<Channel, 'write' | 'queuedBytes' | 'onClosed'>,
    private readonly options: WriterOptions = {},
  ) {
    channel.onClosed((error) => (error === undefined ? this.closedBy() : this.failedBy(error)));
  }

  private closedBy(): void {
    this.closed = true;
    this.release();
  }

  private failedBy(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.closed = true;
    this.release();
    for (const listener of this.errorListeners) listener(error);
  }

  /** Output written but not yet taken by the client (approximate bytes: JSON is mostly ASCII). */
  bufferedBytes(): number {
    return this.pendingBytes + this.channel.queuedBytes();
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

  /** Hears when the output fails (a closed pipe, a reset socket): the client is gone. */
  onError(listener: (error: Error) => void): void {
    this.errorListeners.add(listener);
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

  /** Sends one message (its text); nothing once the output is closed. */
  send(text: string): void {
    if (this.closed) return;
    this.append(text);
  }

  /** Output the client has taken so far (approximate bytes): grows while it reads, however slowly. */
  takenBytes(): number {
    return this.appendedBytes - this.bufferedBytes();
  }

  private append(text: string): void {
    this.pending.push(text);
    this.pendingBytes += text.length + 1;
    this.appendedBytes += text.length + 1;
    const limitBytes = this.options.limitBytes?.();
    if (limitBytes !== undefined && this.bufferedBytes() > limitBytes) return this.overflow(limitBytes);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // One write per turn of the event loop: a burst of deltas becomes one write.
      setImmediate(() => this.flushNow());
    }
  }

  /** Drops what the client has not taken (its memory is freed) and writes nothing more. */
  private overflow(limitBytes: number): void {
    const bufferedBytes = this.bufferedBytes();
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
    for (const listener of this.overflowListeners) listener(bufferedBytes, limitBytes);
    this.release();
  }

  /** Writes what is buffered and resolves once the stream has taken it (never, if the client stopped reading). */
  flush(): Promise<void> {
    this.flushNow();
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.channel.write([], () => resolve()));
  }

  private flushNow(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.closed) return;
    const texts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.channel.write(texts, (error) => (error ? this.failedBy(error) : this.release()));
  }
}
