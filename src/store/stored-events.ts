// The events of a thread's log as read back from its rows, in either dialect: upgraded to the
// current event version and checked gapless — each row must start at the seq after the last one's
// span, and the last must end where the thread's head (last_seq) says the log ends.
import { seqSpan, type KeelEvent } from '../core/events.js';
import { DomainErrors } from '../kernel/errors.js';
import { readStoredEvent } from './event-versions.js';
import type { SeqEvent } from '../core/stored-thread.js';

/**
 * The rows after seq `after` (ordered by seq) as events at their first seqs, or null when the first
 * row does not start right after it (`after` falls inside a stored run of deltas).
 */
export function seqEventsFromRows(threadId: string, after: number, rows: ReadonlyArray<{ seq: number; body: string }>, lastSeq: number): SeqEvent[] | null {
  if (rows.length > 0 && rows[0]!.seq !== after + 1) return null;
  return eventsFromRows(threadId, after, rows, lastSeq).map((event, i) => ({ seq: rows[i]!.seq, event }));
}

/** `rows` (ordered by seq) after seq `after`; throws `corrupt` naming the gap or the missing end. */
export function eventsFromRows(threadId: string, after: number, rows: ReadonlyArray<{ seq: number; body: string }>, lastSeq: number): KeelEvent[] {
  const events: KeelEvent[] = new Array(rows.length);
  let expected = after + 1;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.seq !== expected) {
      throw DomainErrors.corrupt(`event log of thread ${threadId} has a gap: expected seq ${expected}, found ${row.seq}`);
    }
    const event = readStoredEvent(JSON.parse(row.body), `thread ${threadId} seq ${row.seq}`);
    events[i] = event;
    expected += seqSpan(event);
  }
  // A log missing its last events has no gap to show: the index row knows where it ends.
  const end = expected - 1;
  if (end !== lastSeq && (rows.length > 0 || lastSeq > 0)) {
    throw DomainErrors.corrupt(`event log of thread ${threadId} ends at seq ${end}, but its index row says ${lastSeq}`);
  }
  return events;
}
