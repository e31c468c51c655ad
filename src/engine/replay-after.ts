// What a client missed: the notifications of every event after a seq, rebuilt from the event log
// through the one reducer and the one codec — the same function calls that produced them live, so
// a client that folds them ends where a client that never left did (thread/resume `afterSeq`).
import { notificationsFor } from '../core/codec.js';
import { splitDeltaRun, type KeelEvent } from '../core/events.js';
import type { ServerNotification } from '../core/notification-types.js';
import { reduceThread } from '../core/reduce.js';
import type { ThreadState } from '../core/state.js';
import type { ThreadLog } from './thread-log.js';

export type MissedNotification = ServerNotification & { at: number; seq: number };

export function notificationsAfter(log: Pick<ThreadLog, 'loadAround'>, threadId: string, afterSeq: number): MissedNotification[] {
  const { checkpoint, events } = log.loadAround(threadId, afterSeq);
  let state: ThreadState | undefined = checkpoint;
  const missed: MissedNotification[] = [];
  for (const { seq: first, event } of events) {
    // A stored run of deltas is the deltas sent live, each at its own seq.
    const parts: KeelEvent[] = event.type === 'item/delta' ? splitDeltaRun(event) : [event];
    parts.forEach((part, offset) => {
      const seq = first + offset;
      const before = state;
      const after = reduceThread(before, part);
      if (after === undefined) return;
      state = after;
      if (seq <= afterSeq) return;
      for (const n of notificationsFor(part, before, after)) missed.push({ ...n, at: part.at, seq });
    });
  }
  return missed;
}
