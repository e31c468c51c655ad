// What a thread store hands back when a thread is loaded, in core's types so that the store (which
// must never import the engine) and the engine's ThreadLog interface (engine/thread-log.ts) agree
// on it structurally without importing each other.
import type { KeelEvent } from './events.js';
import type { ThreadState } from './state.js';

export interface StoredThread {
  /** State at the checkpoint, if the thread has a usable one. */
  checkpoint: ThreadState | undefined;
  /** The events after the checkpoint (all of them without one), in order. */
  events: KeelEvent[];
  /** The seq of the last event. */
  lastSeq: number;
}

/** A stored event with the first seq it covers (a stored run of deltas covers one seq per part). */
export interface SeqEvent {
  seq: number;
  event: KeelEvent;
}

/** What a replay after a seq needs: a checkpoint not past it (when usable), and every event after that checkpoint. */
export interface StoredAround {
  checkpoint: ThreadState | undefined;
  events: SeqEvent[];
}
