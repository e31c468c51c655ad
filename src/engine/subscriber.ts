// Whoever hears a thread (a connection's session): it receives the thread's events with the states
// around them and encodes them in its own protocol, hears the signals no event records, answers the
// questions a turn asks, and says when it cannot keep up. Nothing here is any wire's shape.
import type { KeelEvent } from '../core/events.js';
import type { ThreadState } from '../core/state.js';
import type { AskedQuestion, QuestionKind, QuestionOf } from './questions.js';
import type { Signal } from './signals.js';

export interface Subscriber {
  /**
   * An event applied to a thread, between the states before and after it (after is undefined for
   * a deletion). `seq`: its place in the thread's log (absent for what no log holds). Called once
   * per event for every subscriber with the same objects: a session encodes each event once.
   */
  receive(event: KeelEvent, before: ThreadState | undefined, after: ThreadState | undefined, seq?: number): void;
  /** `at`: when (default now); `seq`: the thread's last seq, for a signal about a thread. */
  signal(signal: Signal, at?: number, seq?: number): void;
  /** Asks the client; absent for subscribers that cannot answer. */
  ask?<K extends QuestionKind>(question: QuestionOf<K>): AskedQuestion<K>;
  /** Null while it keeps up; else resolves once it can take more (output backpressure). */
  ready?(): Promise<void> | null;
}
