// One loaded thread: its reducer state, its subscribers and its path to the store. Every change
// goes through `apply`, the funnel: reduce into a local, write (one transaction), and only then
// make the new state current and publish — so memory never runs ahead of the log and no
// notification goes out for something the log does not hold (deltas aside: they are published at
// once and written coalesced, see below). When a write fails, memory falls back to what the log
// holds, the running turn is fenced (nothing more of it is accepted but its end), and the caller
// gets the error.
import { isDelta, isTransient, type EventOf, type KeelEvent } from '../core/events.js';
import { notificationsFor } from '../core/codec.js';
import type { ServerNotification } from '../core/notification-types.js';
import { reduceThread } from '../core/reduce.js';
import type { ThreadState } from '../core/state.js';
import { DomainError, DomainErrors } from '../kernel/errors.js';
import type { EventLog } from '../store/event-log.js';
import type { Subscriber } from './subscriber.js';

/** Deltas are written coalesced, at most this long after they were streamed. */
export const DELTA_FLUSH_MS = 100;

type Delta = EventOf<'item/delta'>;

export interface ApplyOptions {
  deferred?: boolean;
  extraRecipients?: readonly Subscriber[];
}

type WriteFailureListener = (error: DomainError) => void;

export class ThreadRuntime {
  readonly subscribers = new Set<Subscriber>();
  /** What the log holds (plus nothing): where memory falls back to when a write fails. */
  private durable: ThreadState | undefined;
  /** Buffered deltas per item, channel and index: the first event and the text pieces since. */
  private pendingDeltas = new Map<string, { first: Delta; parts: string[]; at: number }>();
  private flushTimer: NodeJS.Timeout | null = null;
  /** The turn that was running when a write failed: only its end is accepted from now on. */
  private fencedTurnId: string | null = null;
  private applying = false;
  private readonly writeFailureListeners = new Set<WriteFailureListener>();

  constructor(
    /** Undefined only until the creation event is applied. */
    private current: ThreadState | undefined,
    /** null for ephemeral threads: they never touch disk. */
    private readonly log: EventLog | null,
  ) {
    this.durable = current;
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
   * Applies events in order, all or nothing. Durable events are committed before any
   * notification for them goes out. Returns the publication of those notifications: run at once
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
    // Each event's notifications, with the event's time (no per-notification copies: this runs per delta).
    const notifications: Array<{ list: ServerNotification[]; at: number }> = [];
    try {
      let next = this.current;
      let written = this.durable;
      const toWrite: KeelEvent[] = [];
      for (const event of events) {
        if (this.fenced(event)) continue;
        const before = next;
        const after = reduceThread(before, event);
        if (after === undefined) continue;
        next = after;
        const list = notificationsFor(event, before, after);
        if (list.length > 0) notifications.push({ list, at: event.at });
        if (after === before || isTransient(event) || this.log === null) continue;
        if (isDelta(event)) {
          this.bufferDelta(event);
        } else {
          // Buffered deltas go first so the log keeps the live order; a completed item's final
          // state is authoritative, so its own buffered deltas are dropped.
          toWrite.push(...this.takeDeltas(event.type === 'item/completed' ? `${event.turnId}:${event.itemId}:` : null));
          toWrite.push(event);
          written = after;
        }
      }
      if (toWrite.length > 0) this.write(toWrite, written!);
      this.current = next;
      this.durable = this.log === null ? next : written;
      if (this.fencedTurnId !== null && next?.activeTurnId !== this.fencedTurnId) this.fencedTurnId = null;
    } finally {
      this.applying = false;
    }
    const publish = () => this.publish(notifications, options.extraRecipients ?? []);
    if (!options.deferred) publish();
    return publish;
  }

  /**
   * Null while every subscriber keeps up with this thread's notifications; else resolves once all
   * can take more. A turn awaits it before reading more of its model's stream (backpressure).
   */
  backpressure(): Promise<void> | null {
    let waits: Array<Promise<void>> | null = null;
    for (const subscriber of this.subscribers) {
      const wait = subscriber.ready?.();
      if (wait) (waits ??= []).push(wait);
    }
    return waits === null ? null : Promise.all(waits).then(() => undefined);
  }

  /** Writes buffered deltas now (timer, shutdown, unload). Throws like `apply` when the store refuses. */
  flush(): void {
    if (this.pendingDeltas.size === 0) return;
    this.write(this.takeDeltas(null), this.state);
    this.durable = this.current;
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

  private bufferDelta(delta: Delta): void {
    const key = `${delta.turnId}:${delta.itemId}:${delta.channel}:${delta.index}`;
    const pending = this.pendingDeltas.get(key);
    if (pending) {
      pending.parts.push(delta.delta);
      pending.at = delta.at;
    } else this.pendingDeltas.set(key, { first: delta, parts: [delta.delta], at: delta.at });
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

  private takeDeltas(dropPrefix: string | null): Delta[] {
    if (this.pendingDeltas.size === 0) return [];
    const out: Delta[] = [];
    for (const [key, { first, parts, at }] of this.pendingDeltas) {
      if (dropPrefix === null || !key.startsWith(dropPrefix)) out.push({ ...first, delta: parts.join(''), at });
    }
    this.pendingDeltas = new Map();
    return out;
  }

  /** One transaction; on failure memory returns to what the log holds and the running turn is fenced. */
  private write(events: readonly KeelEvent[], after: ThreadState): void {
    try {
      this.log!.append(after.id, events, after);
    } catch (error) {
      this.pendingDeltas = new Map();
      this.current = this.durable;
      this.fencedTurnId = this.durable?.activeTurnId ?? null;
      const failure = DomainErrors.unavailable(`the thread store refused a write (${(error as Error).message}); what the thread shows is what was stored`);
      // After the failing call has unwound: a listener may well apply the turn's end.
      queueMicrotask(() => {
        for (const listener of this.writeFailureListeners) listener(failure);
      });
      throw failure;
    }
  }

  private publish(notifications: ReadonlyArray<{ list: ServerNotification[]; at: number }>, extra: readonly Subscriber[]): void {
    if (notifications.length === 0) return;
    const recipients = extra.length === 0 ? this.subscribers : new Set([...this.subscribers, ...extra]);
    for (const { list, at } of notifications) {
      for (const n of list) for (const subscriber of recipients) subscriber.notify(n.method, n.params, at);
    }
  }
}
