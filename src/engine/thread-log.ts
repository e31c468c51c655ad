// The engine's view of the thread store: an append-only log of each thread's events with the
// projections the store keeps from them (the `threads` summary row, and the full-text index of
// thread/search: store/projections/search-fold.ts).
// The engine depends on this interface only; the store's classes (store/event-log.ts for SQLite,
// store/memory-thread-log.ts in memory) satisfy it structurally — the store never imports the
// engine — and the composition root (server/open-keel.ts) hands one to the registry.
//
// Synchronous or not: `append` returns the last seq (a synchronous store: durable on return, as
// SQLite is today) or a promise of it (an asynchronous store, e.g. PostgreSQL). ThreadRuntime.apply
// stays synchronous either way: it reduces and publishes at once and counts the thread's writes
// acknowledged when the promise settles, as it already does for deltas (see thread-runtime.ts).
// Reads return a value or a promise of it alike (`Maybe`): the registry awaits them (its callers
// run in the per-thread command queue), so a synchronous store pays no round trip and an
// asynchronous one (PostgreSQL) fits without another seam.
import type { KeelEvent } from '../core/events.js';
import type { ThreadState } from '../core/state.js';
import type { SeqEvent, StoredAround, StoredThread } from '../core/stored-thread.js';
import type { ThreadSummary } from '../core/summary.js';

export type { StoredAround, StoredThread } from '../core/stored-thread.js';

/** A value, or a promise of it from an asynchronous store. */
export type Maybe<T> = T | Promise<T>;

export interface ThreadLog {
  /**
   * Appends `events` (each takes the next seq; a run of deltas one per part) and applies the
   * store's projections from them, all or nothing. `firstSeq` must be the thread's next seq: any
   * other is refused as a `conflict` (another writer, or a caller out of step), never written.
   * `state` is the thread's state after the events, for the checkpoint the store may write.
   * Returns the last seq, or a promise of it for an asynchronous store.
   */
  append(threadId: string, events: readonly KeelEvent[], state: ThreadState, firstSeq: number): number | Promise<number>;
  /** The checkpoint (when usable) and the events after it; a gap found in the log is `corrupt`. */
  load(threadId: string): Maybe<StoredThread>;
  /** What a replay after `afterSeq` needs (replay-after.ts). */
  loadAround(threadId: string, afterSeq: number): Maybe<StoredAround>;
  /**
   * The events after `afterSeq` alone, each at its first seq, checked gapless to the head — what a
   * follower that knows the thread up to `afterSeq` reads next. Null when `afterSeq` falls inside a
   * stored run of deltas (the caller reads around it instead).
   */
  since(threadId: string, afterSeq: number): Maybe<SeqEvent[] | null>;
  /** Removes the thread's events, checkpoint and projections; false when there was nothing. */
  delete(threadId: string): Maybe<boolean>;
  /** The seq of the thread's last stored event (0: none): where a follower of the thread stands. */
  lastSeq(threadId: string): Maybe<number>;
  /** Threads whose projected summary says a turn or a file write was in progress. */
  activeThreadIds(): Maybe<string[]>;
  /** The projected summary row of a stored thread. */
  summary(threadId: string): Maybe<ThreadSummary | undefined>;
}
