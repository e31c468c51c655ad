// Word that a thread's log grew, written by this process or another: what a follower of a thread
// run elsewhere waits on before it reads the log again (thread-follower.ts). A notice may come late,
// twice or not at all (a dropped connection): the follower reads every event after the last seq it
// delivered, so a notice only says when to look, and the follower also looks on its own now and then.
// The store implements it: SQLite by polling the log's heads, PostgreSQL by LISTEN/NOTIFY, memory
// by a callback (store/memory-changes.ts).
import type { Maybe } from './thread-log.js';

export interface ThreadChanges {
  /** Calls `changed` when the thread's log may have grown; returns the stop. */
  watch(threadId: string, changed: () => void): () => void;
  /** Stops every watch (the process is closing). */
  close(): Maybe<void>;
}
