// Joining a thread after a seq the caller already heard (thread/resume's `afterSeq`, and following a
// thread after a forwarded request): the seq is checked against the log, and what the caller missed
// is handed over together with what the thread publishes meanwhile, nothing twice or out of order.
import { isTransient } from '../core/events.js';
import { DomainErrors } from '../kernel/errors.js';
import type { Subscriber } from './subscriber.js';
import type { ThreadRegistry } from './thread-registry.js';
import type { ThreadRuntime } from './thread-runtime.js';

/** A loaded thread can be joined after `afterSeq` when it keeps a log and the seq is in it. */
export function checkAfterSeq(runtime: ThreadRuntime, afterSeq: number): void {
  if (!runtime.stored) throw DomainErrors.invalid('an ephemeral thread keeps no event log to resume from', 'afterSeq');
  checkNotPast(afterSeq, runtime.lastSeq);
}

export function checkNotPast(afterSeq: number, lastSeq: number): void {
  if (afterSeq > lastSeq) throw DomainErrors.invalid(`${afterSeq} is past the thread's last event (seq ${lastSeq})`, 'afterSeq');
}

/**
 * What a caller joining a loaded thread after `afterSeq` must hear first: what the log holds past
 * it, read now, and what the thread publishes until the returned function hands both over (in
 * the synchronous step that subscribes the caller, so nothing comes between or twice).
 */
export async function catchUpAfter(registry: Pick<ThreadRegistry, 'missedAfter'>, runtime: ThreadRuntime, afterSeq: number): Promise<(caller: Subscriber) => void> {
  const recording = runtime.record();
  const missed = await registry.missedAfter(runtime, afterSeq).catch((error: unknown) => {
    recording.stop();
    throw error;
  });
  return (caller) => {
    const lastMissed = missed.length === 0 ? afterSeq : missed[missed.length - 1]!.seq;
    for (const m of missed) caller.receive(m.event, m.before, m.after, m.seq);
    // A transient event (no seq of its own) published meanwhile is in no log: heard from the recording.
    for (const m of recording.stop()) if (m.seq > lastMissed || isTransient(m.event)) caller.receive(m.event, m.before, m.after, m.seq);
  };
}
