// One loaded thread: its reducer state, its subscribers and its path to the store. Every change
// goes through `apply`, the funnel: reduce into a local, write (one transaction), and only then
// make the new state current and publish — so memory never runs ahead of the log and no
// subscriber hears of something the log does not hold (deltas aside: they are published at
// once and written coalesced, see below). When a write fails, memory falls back to what the log
// holds, the running turn is fenced (nothing more of it is accepted but its end), and the caller
// gets the error. Every stored event gets the thread's next sequence number as it is applied (a
// delta too, though it is written a little later); each event goes to the subscribers with that
// seq and the states around it — each encodes it in its own protocol — so a client that
// reconnects can ask for exactly what came after (replay-after.ts).
//
// Synchronous reducer, store synchronous or not (engine/thread-log.ts): `apply` never awaits. With
// a synchronous store (SQLite, the in-memory log) the write commits inside apply, before anything
// is published, as above. An asynchronous store (PostgreSQL) returns a promise from `append`: apply
// reduces and hands the events over at once, and their publication waits for the acknowledgement
// — notifications go out after commit on every store (deltas aside, as above). Publications queue
// in apply order, so a delta applied after a write in flight waits for it too: a client hears the
// thread in seq order. The thread's writes count as acknowledged when the promise settles
// (`acknowledgedSeq` trails `durableSeq` meanwhile). A refused acknowledgement takes the path a
// refused timed delta flush takes: memory falls back to the last acknowledged state, the running
// turn is fenced, the write-failure listeners end it, and what waited to be published since is
// dropped (the log does not hold it). `acknowledged()` lets a caller that must know (a turn's end)
// wait for it. Writes of one thread reach the log in order because each names its first seq.
import { isDelta, isTransient, seqSpan, type EventOf, type KeelEvent } from '../core/events.js';
import { reduceThread } from '../core/reduce.js';
import { secrets } from '../kernel/redact.js';
import type { ThreadState } from '../core/state.js';
import { DomainError, DomainErrors } from '../kernel/errors.js';
import type { Signal } from './signals.js';
import type { Subscriber } from './subscriber.js';
import type { ThreadLog } from './thread-log.js';

/** Deltas are written in batches, at most this long after they were streamed. */
export const DELTA_FLUSH_MS = 100;

type Delta = EventOf<'item/delta'>;

/** Consecutive deltas (by seq) of one item, channel and index: one row of the log. */
interface DeltaRun {
  first: Delta;
  seq: number;
  parts: string[];
  at: number;
}

export interface ApplyOptions {
  deferred?: boolean;
  extraRecipients?: readonly Subscriber[];
}

type WriteFailureListener = (error: DomainError) => void;

export class ThreadRuntime {
  /** The seq of the last event applied (stored, or buffered to be). */
  private seq: number;
  /** The seq of the last event handed to the log (held by it, for a synchronous store). */
  private durableSeq: number;
  /** The seq of the last event the log acknowledged holding: trails durableSeq while an asynchronous store's writes are in flight. */
  private acknowledgedSeq: number;
  /** Bumped by each write failure: what the store says later of writes handed over before it is moot. */
  private writeEpoch = 0;
  /** Per ended write epoch, the last seq the log had acknowledged when the refusal ended it. */
  private readonly heldWhenRefused = new Map<number, number>();
  /** When this thread last changed (the registry unloads idle threads). */
  lastActiveAt = Date.now();
  /** What the log holds, acknowledged (plus nothing): where memory falls back to when a write fails. */
  private durable: ThreadState | undefined;
  /** Deltas applied but not yet written, as runs, in seq order. */
  private pendingDeltas: DeltaRun[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  /** The turn that was running when a write failed: only its end is accepted from now on. */
  private fencedTurnId: string | null = null;
  private applying = false;
  /** Open recordings of published events (record()). */
  private readonly recordings = new Set<Published[]>();
  /** Settles when the asynchronous store's writes handed over so far have (settled()). */
  private inFlight: Promise<void> = Promise.resolve();
  /** The acknowledgement of the last write handed to an asynchronous store (acknowledged()). */
  private lastAck: Promise<void> = Promise.resolve();
  /** Publications waiting for an asynchronous store's acknowledgement, chained in apply order; null: none. */
  private publishing: Promise<void> | null = null;
  private readonly writeFailureListeners = new Set<WriteFailureListener>();
  private readonly subscriberListeners = new Set<() => void>();
  /** Who started the running turn: its questions go there first (client-requests.ts). */
  turnOwner: Subscriber | null = null;

  constructor(
    /** Undefined only until the creation event is applied. */
    private current: ThreadState | undefined,
    /** null for ephemeral threads: they never touch disk. */
    private readonly log: ThreadLog | null,
    /** Who hears this thread: the registry's set, which outlives the runtime (subscriptions survive an unload). */
    readonly subscribers: Set<Subscriber> = new Set(),
    /** The seq of the last stored event (0 for a new thread). */
    lastSeq = 0,
  ) {
    this.durable = current;
    this.seq = this.durableSeq = this.acknowledgedSeq = lastSeq;
  }

  /** Adds a listener; a question waiting for an answer asks whoever became able to answer. */
  subscribe(subscriber: Subscriber): void {
    if (this.subscribers.has(subscriber)) return;
    this.subscribers.add(subscriber);
    this.subscribersChanged();
  }

  /** Hears each change of the subscribers; returns the unsubscribe. */
  onSubscribersChanged(listener: () => void): () => void {
    this.subscriberListeners.add(listener);
    return () => this.subscriberListeners.delete(listener);
  }

  subscribersChanged(): void {
    for (const listener of [...this.subscriberListeners]) listener();
  }

  /** False for an ephemeral thread: it keeps no log to replay from. */
  get stored(): boolean {
    return this.log !== null;
  }

  /** The seq of the last event applied: what a signal about the thread carries. */
  get lastSeq(): number {
    return this.seq;
  }

  get state(): ThreadState {
    if (this.current === undefined) throw new Error('thread runtime used before its creation event');
    return this.current;
  }

  /** Hears every write failure, after it happened (a timed delta flush has no caller to tell); returns the unsubscribe. */
  onWriteFailure(listener: WriteFailureListener): () => void {
    this.writeFailureListeners.add(listener);
    return () => this.writeFailureListeners.delete(listener);
  }

  /**
   * Applies events in order, all or nothing. Durable events are committed before any subscriber
   * hears of them. Returns the publication of those events: run at once
   * unless `deferred` (a request handler publishes after its response). `extraRecipients` also
   * hear them (the caller of a request on a thread it is not subscribed to). Throws a DomainError
   * (`unavailable`) when the store refuses the write; then nothing changed and nothing is published.
   *
   * Serialisation: apply is synchronous and refuses re-entry, so each call sees the state the
   * previous one left; commands reach it through the per-thread queue (thread-commands.ts).
   */
  apply(events: readonly KeelEvent[], options: ApplyOptions = {}): () => void {
    if (this.applying) throw new Error('ThreadRuntime.apply re-entered: thread changes must not nest');
    this.applying = true;
    // Each event with its states and seq (one small record: this runs per delta).
    const published: Published[] = [];
    const seqBefore = this.seq;
    let ack: Promise<void> | null = null;
    try {
      let next = this.current;
      let written = this.durable;
      let seq = this.seq;
      const toWrite: KeelEvent[] = [];
      for (const given of events) {
        // No key Keel holds is reduced, stored or published (a provider error that echoes it).
        const event = secrets.redactDeep(given);
        if (this.fenced(event)) continue;
        const before = next;
        const after = reduceThread(before, event);
        if (after === undefined) continue;
        next = after;
        const stored = after !== before && !isTransient(event);
        if (stored) seq += 1;
        published.push({ event, before, after, seq });
        if (!stored || this.log === null) continue;
        if (isDelta(event)) {
          this.bufferDelta(event, seq);
        } else {
          // Buffered deltas go first: the log keeps the live order, one seq per event.
          toWrite.push(...this.takeDeltas());
          toWrite.push(event);
          written = after;
        }
      }
      this.seq = seq;
      if (toWrite.length > 0) ack = this.write(toWrite, written!);
      this.current = next;
      if (this.log === null) {
        this.durable = next;
        this.durableSeq = this.acknowledgedSeq = seq;
      }
      if (seq !== seqBefore) this.lastActiveAt = Date.now();
      if (this.fencedTurnId !== null && next?.activeTurnId !== this.fencedTurnId) this.fencedTurnId = null;
    } finally {
      this.applying = false;
    }
    const epoch = this.writeEpoch;
    const publish = () => this.publishAfter(ack, published, options.extraRecipients ?? [], epoch);
    if (!options.deferred) publish();
    return publish;
  }

  /**
   * Ends on the wire what the store refused to hold (a turn's end, after retries): the events are
   * reduced over the current state and published to every subscriber, by the same reducer as
   * `apply`, but nothing is written or kept. The log still shows what it
   * holds; the owner unloads this runtime and closes the same way on the next load (thread-registry.ts).
   */
  publishUnstored(events: readonly KeelEvent[]): void {
    const published: Published[] = [];
    let state = this.current;
    for (const event of events) {
      const after = reduceThread(state, event);
      if (after === undefined) continue;
      published.push({ event, before: state, after, seq: this.seq });
      state = after;
    }
    this.publishAfter(null, published, [], this.writeEpoch);
  }

  /**
   * Null while some subscriber keeps up with this thread's events; else resolves once one
   * can take more. A turn awaits it before reading more of its model's stream (backpressure). A
   * slow client among faster ones does not hold the turn back: its connection buffers up to its
   * limit and is dropped past it (server.ts), so one slow reader never delays the others.
   */
  backpressure(): Promise<void> | null {
    let waits: Array<Promise<void>> | null = null;
    let anyKeepsUp = false;
    for (const subscriber of this.subscribers) {
      // Asked of every subscriber: asking is what tells a congested connection to start its stall clock.
      const wait = subscriber.ready?.() ?? null;
      if (wait === null) anyKeepsUp = true;
      else (waits ??= []).push(wait);
    }
    return waits === null || anyKeepsUp ? null : Promise.race(waits);
  }

  /** Writes buffered deltas now (timer, shutdown, unload, a replay). Throws like `apply` when the store refuses. */
  flush(): void {
    if (this.pendingDeltas.length === 0) return;
    this.write(this.takeDeltas(), this.state);
  }

  /** Resolves once every write handed to the log so far is acknowledged or refused (at once for a synchronous store). */
  settled(): Promise<void> {
    return this.inFlight;
  }

  /**
   * Resolves once the last write handed to the log is acknowledged; rejects with the refusal (the
   * runtime has fallen back as for any refused write) — at once for a synchronous store, whose
   * refusal `apply` throws instead.
   */
  acknowledged(): Promise<void> {
    return this.lastAck;
  }

  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flush();
  }

  /** While a write failure fences a turn, its events are refused, except the ones that end it. */
  private fenced(event: KeelEvent): boolean {
    if (this.fencedTurnId === null || !('turnId' in event) || event.turnId !== this.fencedTurnId) return false;
    return event.type !== 'turn/completed' && event.type !== 'turn/error';
  }

  private bufferDelta(delta: Delta, seq: number): void {
    const last = this.pendingDeltas[this.pendingDeltas.length - 1];
    const joins =
      last !== undefined && last.seq + last.parts.length === seq && last.first.itemId === delta.itemId && last.first.turnId === delta.turnId && last.first.channel === delta.channel && last.first.index === delta.index;
    if (joins) {
      last.parts.push(delta.delta);
      last.at = delta.at;
    } else this.pendingDeltas.push({ first: delta, seq, parts: [delta.delta], at: delta.at });
    if (this.flushTimer === null) {
      this.flushTimer = setTimeout(() => this.timedFlush(), DELTA_FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  private timedFlush(): void {
    this.flushTimer = null;
    try {
      this.flush();
    } catch {
      // Nobody called: the write-failure listeners (the turn engine) end the fenced turn.
    }
  }

  /** The buffered runs as stored events: one text, and each part's length when it joins several. */
  private takeDeltas(): Delta[] {
    if (this.pendingDeltas.length === 0) return [];
    const out = this.pendingDeltas.map(({ first, parts, at }): Delta => {
      if (parts.length === 1) return { ...first, at };
      return { ...first, delta: parts.join(''), parts: parts.map((part) => part.length), at };
    });
    this.pendingDeltas = [];
    return out;
  }

  /**
   * One append; on failure memory returns to what the log acknowledged and the running turn is
   * fenced. A synchronous store's failure is thrown to the caller; an asynchronous store's reaches
   * the write-failure listeners only (the caller has moved on), like a timed flush's.
   */
  private write(events: readonly KeelEvent[], after: ThreadState): Promise<void> | null {
    const firstSeq = this.durableSeq + 1;
    let appended: number | Promise<number>;
    try {
      appended = this.log!.append(after.id, events, after, firstSeq);
    } catch (error) {
      throw this.refused(error);
    }
    if (typeof appended === 'number') {
      this.durableSeq = this.acknowledgedSeq = appended;
      this.durable = after;
      return null;
    }
    let lastSeq = firstSeq - 1;
    for (const event of events) lastSeq += seqSpan(event);
    this.durableSeq = lastSeq;
    const epoch = this.writeEpoch;
    this.inFlight = Promise.all([this.inFlight, appended]).then(nothing, nothing);
    const ack = appended.then(
      (seq) => {
        if (epoch !== this.writeEpoch) return;
        this.acknowledgedSeq = seq;
        this.durable = after;
      },
      (error: unknown) => {
        throw epoch === this.writeEpoch ? this.refused(error) : error;
      },
    );
    // Nobody may be waiting for it: a refusal is handled above and reaches the write-failure listeners.
    ack.catch(nothing);
    this.lastAck = ack;
    return ack;
  }

  /**
   * Publishes at once when nothing waits for the store (a synchronous store always); else after
   * every publication queued before it and after `ack`, and only if the log holds the events: no
   * write refused since they were applied (`epoch`), or they were acknowledged before it was.
   */
  private publishAfter(ack: Promise<void> | null, published: readonly Published[], extra: readonly Subscriber[], epoch: number): void {
    if (published.length === 0) return;
    if (ack === null && this.publishing === null) {
      this.publish(published, extra);
      return;
    }
    const lastSeq = published[published.length - 1]!.seq;
    const run = () => {
      // Applied before a refusal: still heard if the log acknowledged it before the refused write.
      if (epoch === this.writeEpoch || lastSeq <= (this.heldWhenRefused.get(epoch) ?? -1)) this.publish(published, extra);
    };
    const tail = (this.publishing ?? Promise.resolve()).then(() => ack).then(run, nothing);
    this.publishing = tail;
    void tail.then(() => {
      if (this.publishing === tail) this.publishing = null;
    });
  }

  /** Falls back to what the log acknowledged, fences the running turn, tells the listeners; returns the error for the caller. */
  private refused(error: unknown): DomainError {
    this.heldWhenRefused.set(this.writeEpoch, this.acknowledgedSeq);
    this.writeEpoch += 1;
    this.pendingDeltas = [];
    this.current = this.durable;
    // Seqs of what was not written are given out again: the log stays gapless.
    this.seq = this.durableSeq = this.acknowledgedSeq;
    this.fencedTurnId = this.durable?.activeTurnId ?? null;
    const failure = DomainErrors.unavailable(`the thread store refused a write (${(error as Error).message}); what the thread shows is what was stored`);
    // After the failing call has unwound: a listener may well apply the turn's end.
    queueMicrotask(() => {
      for (const listener of this.writeFailureListeners) listener(failure);
    });
    return failure;
  }

  /**
   * Records every event published from now until `stop()`, which returns them: what a client being
   * caught up from the log would otherwise miss while that read awaited (thread-commands.ts resume).
   */
  record(): { stop(): Published[] } {
    const recorded: Published[] = [];
    this.recordings.add(recorded);
    return {
      stop: () => {
        this.recordings.delete(recorded);
        return recorded;
      },
    };
  }

  private publish(published: readonly Published[], extra: readonly Subscriber[]): void {
    if (published.length === 0) return;
    for (const recording of this.recordings) recording.push(...published);
    const recipients = extra.length === 0 ? this.subscribers : new Set([...this.subscribers, ...extra]);
    // Event by event, every subscriber in turn: each hears the events in order, and a session's
    // encoding of an event is reused by the next session (codex-events.ts caches the last one).
    for (const { event, before, after, seq } of published) {
      for (const subscriber of recipients) subscriber.receive(event, before, after, seq);
    }
  }

  /** Tells every subscriber something no event records (a status announced, a warning), at the thread's current seq. */
  signalAll(signal: Signal, at = Date.now(), recipients: Iterable<Subscriber> = this.subscribers): void {
    for (const subscriber of recipients) subscriber.signal(signal, at, this.seq);
  }
}

const nothing = () => {};

/** One event to publish, with the states around it and its seq. */
export interface Published {
  event: KeelEvent;
  before: ThreadState | undefined;
  after: ThreadState;
  seq: number;
}
