// One loaded thread: its reducer state, its subscribers and its path to the store. Every change
// goes through `apply`: reduce, persist (one transaction), then publish — so a notification is
// never sent for something the log does not hold, except deltas, which are batched (below).
import { isDelta, isTransient, type EventOf, type KeelEvent } from '../core/events.js';
import { notificationsFor } from '../core/notifications.js';
import type { ServerNotification } from '../core/notification-types.js';
import { reduceThread } from '../core/reduce.js';
import type { ThreadState } from '../core/state.js';
import type { EventLog } from '../store/event-log.js';
import type { Subscriber } from './subscriber.js';

/** Deltas are written coalesced, at most this long after they were streamed. */
export const DELTA_FLUSH_MS = 100;

type Delta = EventOf<'item/delta'>;

export interface ApplyOptions {
  deferred?: boolean;
  extraRecipients?: readonly Subscriber[];
}

export class ThreadRuntime {
  readonly subscribers = new Set<Subscriber>();
  /** Buffered deltas per item, channel and index: the first event and the text pieces since. */
  private pendingDeltas = new Map<string, { first: Delta; parts: string[]; at: number }>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    /** Undefined only until the creation event is applied. */
    private current: ThreadState | undefined,
    /** null for ephemeral threads: they never touch disk. */
    private readonly log: EventLog | null,
  ) {}

  get state(): ThreadState {
    if (this.current === undefined) throw new Error('thread runtime used before its creation event');
    return this.current;
  }

  /**
   * Applies events in order. Durable events are committed before any notification for them goes
   * out. Returns the publication of those notifications: run at once unless `deferred` (a request
   * handler publishes after its response). `extraRecipients` also hear them (the caller of a
   * request on a thread it is not subscribed to).
   */
  apply(events: readonly KeelEvent[], options: ApplyOptions = {}): () => void {
    // Each event's notifications, with the event's time (no per-notification copies: this runs per delta).
    const notifications: Array<{ list: ServerNotification[]; at: number }> = [];
    const toWrite: KeelEvent[] = [];
    for (const event of events) {
      const before = this.current;
      const after = reduceThread(before, event);
      if (after === undefined) continue;
      this.current = after;
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
      }
    }
    if (toWrite.length > 0) this.write(toWrite);
    const publish = () => this.publish(notifications, options.extraRecipients ?? []);
    if (!options.deferred) publish();
    return publish;
  }

  /** Writes buffered deltas now (timer, shutdown, unload). */
  flush(): void {
    if (this.pendingDeltas.size > 0) this.write(this.takeDeltas(null));
  }

  close(): void {
    this.flush();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  private bufferDelta(delta: Delta): void {
    const key = `${delta.turnId}:${delta.itemId}:${delta.channel}:${delta.index}`;
    const pending = this.pendingDeltas.get(key);
    if (pending) {
      pending.parts.push(delta.delta);
      pending.at = delta.at;
    } else this.pendingDeltas.set(key, { first: delta, parts: [delta.delta], at: delta.at });
    if (this.flushTimer === null) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, DELTA_FLUSH_MS);
      this.flushTimer.unref();
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

  private write(events: readonly KeelEvent[]): void {
    this.log!.append(this.state.id, events, this.state);
  }

  private publish(notifications: ReadonlyArray<{ list: ServerNotification[]; at: number }>, extra: readonly Subscriber[]): void {
    if (notifications.length === 0) return;
    const recipients = extra.length === 0 ? this.subscribers : new Set([...this.subscribers, ...extra]);
    for (const { list, at } of notifications) {
      for (const n of list) for (const subscriber of recipients) subscriber.notify(n.method, n.params, at);
    }
  }
}
