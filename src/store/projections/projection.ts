// A projection: what the store keeps FROM a thread's events besides the log itself (the `threads`
// summary row, the full-text index of thread/search). Each is applied inside the append transaction, so it
// never disagrees with the log, and removed with the thread.
import type { KeelEvent } from '../../core/events.js';
import type { ThreadState } from '../../core/state.js';

export interface AppendedEvents {
  threadId: string;
  /** The events just appended, in order. */
  events: readonly KeelEvent[];
  /** The seq of the last of them. */
  lastSeq: number;
  /** The thread's state after them: only for what cannot come from the events (seeding a row older than its projection). */
  state: ThreadState;
}

export interface Projection {
  /** Runs inside the append transaction, after the events are inserted. */
  apply(appended: AppendedEvents): void;
  /** Runs inside the delete transaction. */
  delete(threadId: string): void;
}
