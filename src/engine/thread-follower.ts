// The subscribers of a thread this process does not run: another process holds its lease (a client
// resumed a thread run elsewhere), or it was unloaded here while clients still listen. The follower
// reads the thread's log after the last seq each subscriber heard and hands every event on, with the
// states around it, exactly as the runtime publishes them live — so a session encodes them the same
// way, and the status notifications derived from the events (core/codec.ts) are the ones the
// owner's clients hear. What no event records (signals: warnings, rate limits) is not heard here.
//
// When to read: on word from the store that the log grew (thread-changes.ts: SQLite polls the heads,
// PostgreSQL is told), and also on its own every POLL_MS, since a notice may be lost. The owner
// writes a turn's deltas in batches (DELTA_FLUSH_MS), so a follower hears them at that granularity
// plus the notice's delay. Each subscriber has its own position: one that joined at seq S hears
// events after S only, and reads are serialised, so nobody hears an event twice or misses one.
//
// When this process takes the thread itself (registry.load, under its lease), the follower reads one
// last time up to the log's head and stops; the runtime goes on with the same subscriber set.
import type { ThreadState } from '../core/state.js';
import type { Subscriber } from './subscriber.js';
import type { ThreadChanges } from './thread-changes.js';
import type { ThreadLog } from './thread-log.js';
import { eventsAfter, foldAfter, type MissedEvent } from './replay-after.js';

/** A follower of a thread another process runs reads on its own this often, whatever the store says (a notice can be lost). */
export const FOLLOW_POLL_MS = 300;
/**
 * The same for a thread only unloaded here (no owner elsewhere, most likely nobody writes it): a
 * client observing many idle threads must not cost a read per thread every few hundred ms.
 */
export const IDLE_FOLLOW_POLL_MS = 5_000;

export interface FollowerHooks {
  /** A read of the log failed; the next notice or poll tries again. */
  onError(threadId: string, error: unknown): void;
}

export class ThreadFollower {
  /** The seq each subscriber has heard up to; a subscriber of the set not in here has heard up to `seq`. */
  private readonly heard = new Map<Subscriber, number>();
  /** The last seq handed on to every subscriber without a position of its own. */
  private seq: number;
  private reading: Promise<void> = Promise.resolve();
  /** The thread as its subscribers here know it (the state after the last event handed on), once known: what its status is read from. */
  private known: ThreadState | undefined;
  private stopped = false;
  private readonly unwatch: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly threadId: string,
    private readonly log: Pick<ThreadLog, 'loadAround' | 'lastSeq' | 'since'>,
    changes: ThreadChanges,
    /** The registry's live set of the thread's subscribers (shared with its runtime once loaded here). */
    private readonly subscribers: Set<Subscriber>,
    /** Where the subscribers stand: the seq of the last event they heard. */
    seq: number,
    private readonly hooks: FollowerHooks,
    pollMs = FOLLOW_POLL_MS,
  ) {
    this.seq = seq;
    this.unwatch = changes.watch(threadId, () => void this.catchUp());
    this.timer = setInterval(() => void this.catchUp(), pollMs);
    this.timer.unref();
  }

  /** `subscriber` hears the thread from after `seq` on (at once, what the log already holds past it). */
  join(subscriber: Subscriber, seq: number): Promise<void> {
    this.subscribers.add(subscriber);
    if (seq !== this.seq) this.heard.set(subscriber, seq);
    return this.catchUp();
  }

  /** Forgets a subscriber's position (it left the set). */
  leave(subscriber: Subscriber): void {
    this.heard.delete(subscriber);
  }

  /** Reads what the log holds past what was heard and hands it on; serialised with every other read. */
  catchUp(): Promise<void> {
    const next = this.reading.then(() => this.read());
    this.reading = next.catch((error: unknown) => this.hooks.onError(this.threadId, error));
    return this.reading;
  }

  /** Reads one last time up to the log's head, then stops watching: this process runs the thread now, or nobody listens. */
  async stop({ catchUp = true } = {}): Promise<void> {
    if (catchUp) await this.catchUp();
    this.stopped = true;
    this.unwatch();
    clearInterval(this.timer);
    await this.reading;
  }

  private async read(): Promise<void> {
    if (this.stopped || this.subscribers.size === 0) return;
    const from = Math.min(this.seq, ...this.heard.values());
    const head = await this.log.lastSeq(this.threadId);
    // Nothing new (a deleted thread's head is 0: nothing more to hear of it here).
    if (head <= from) return;
    const missed = await this.eventsAfter(from);
    if (this.stopped) return;
    for (const { event, before, after, seq } of missed) {
      for (const subscriber of this.subscribers) {
        if (seq <= (this.heard.get(subscriber) ?? this.seq)) continue;
        subscriber.receive(event, before, after, seq);
      }
      if (seq > this.seq) this.seq = seq;
      this.known = after;
    }
    // Everyone has heard up to the same seq now: no position of its own is needed any more.
    for (const [subscriber, seq] of this.heard) if (seq <= this.seq) this.heard.delete(subscriber);
  }

  /**
   * Every event after `from` with its states. Once the thread is known up to `from` (every
   * subscriber there), only the events after it are read and folded onto what is known; else — a
   * subscriber of its own position, nothing known yet, `from` inside a stored run of deltas — the
   * read starts at the checkpoint (replay-after.ts).
   */
  private async eventsAfter(from: number): Promise<MissedEvent[]> {
    if (this.known !== undefined && from === this.seq && this.heard.size === 0) {
      const fresh = await this.log.since(this.threadId, from);
      if (fresh !== null) return foldAfter(this.known, fresh, from);
    }
    return eventsAfter(this.log, this.threadId, from);
  }

  /** The thread as its subscribers here know it; undefined until known (nothing handed on yet, and not told). */
  get state(): ThreadState | undefined {
    return this.known;
  }

  /** Tells the follower the thread's state at `seq`, kept when that is where it stands and it knows none yet (its next reads fold onto it). */
  startsFrom(state: ThreadState, seq: number): void {
    if (this.known === undefined && seq === this.seq) this.known = state;
  }

  /** The seq every subscriber has heard up to (after a catch-up). */
  get lastSeq(): number {
    return this.seq;
  }
}
