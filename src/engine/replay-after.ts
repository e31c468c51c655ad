// What a client missed: every event after a seq, with the states around it, rebuilt from the event
// log through the one reducer — the same calls that produced them live — so the client's session
// encodes them with the same codec as live ones, and a client that folds them ends where a client
// that never left did (thread/resume `afterSeq`).
import { splitDeltaRun, type KeelEvent } from '../core/events.js';
import { reduceThread } from '../core/reduce.js';
import type { ThreadState } from '../core/state.js';
import type { ThreadLog } from './thread-log.js';

export interface MissedEvent {
  event: KeelEvent;
  before: ThreadState | undefined;
  after: ThreadState;
  seq: number;
}

export async function eventsAfter(log: Pick<ThreadLog, 'loadAround'>, threadId: string, afterSeq: number): Promise<MissedEvent[]> {
  const { checkpoint, events } = await log.loadAround(threadId, afterSeq);
  return foldAfter(checkpoint, events, afterSeq);
}

/** `events` (each at its first seq) folded over `state`, with each event after `afterSeq` and its states: a stored run of deltas as the deltas sent live. */
export function foldAfter(state: ThreadState | undefined, events: ReadonlyArray<{ seq: number; event: KeelEvent }>, afterSeq: number): MissedEvent[] {
  const missed: MissedEvent[] = [];
  for (const { seq: first, event } of events) {
    // A stored run of deltas is the deltas sent live, each at its own seq.
    const parts: KeelEvent[] = event.type === 'item/delta' ? splitDeltaRun(event) : [event];
    parts.forEach((part, offset) => {
      const seq = first + offset;
      const before = state;
      const after = reduceThread(before, part);
      if (after === undefined) return;
      state = after;
      if (seq > afterSeq) missed.push({ event: part, before, after, seq });
    });
  }
  return missed;
}
