// The loaded threads of this process, and the way in and out of the store for each of them. Who
// listens to a thread (its subscriptions) is kept here, apart from its runtime: a thread idle for
// a while is unloaded from memory even while clients still listen, and loaded again, with the same
// subscribers, when something happens to it — so an observer of many threads does not pin them.
//
// Ownership: a stored thread is loaded only under its lease (thread-leases.ts), taken at create or
// load and given back at unload; a thread another live process holds is not loaded here — `load`
// throws OwnedElsewhere, which the server forwards. Loads and reads are async (a PostgreSQL store's
// are); every caller of `load` runs in the thread's command queue.
//
// Subscribers of a thread not in memory here (run by another process, or unloaded here while they
// still listen) are served by a follower (thread-follower.ts), which reads the log as it grows; a
// load here stops it after one last read, and the runtime goes on with the same subscribers.
import { stampEvent, type EventOf } from '../core/events.js';
import { reduceThread, replay } from '../core/reduce.js';
import type { ThreadState } from '../core/state.js';
import { DomainErrors, OwnedElsewhere, type ThreadOwner } from '../kernel/errors.js';
import type { ThreadLog } from './thread-log.js';
import type { ThreadLeases } from './thread-leases.js';
import type { ThreadChanges } from './thread-changes.js';
import { FOLLOW_POLL_MS, IDLE_FOLLOW_POLL_MS, ThreadFollower } from './thread-follower.js';
import type { Subscriber } from './subscriber.js';
import { closeInterrupted } from './recover-writes.js';
import { restoreFiles } from './restore-files.js';
import { eventsAfter, type MissedEvent } from './replay-after.js';
import { ThreadRuntime } from './thread-runtime.js';

export interface RegistryHooks {
  now(): number;
  /** A thread could not be recovered or flushed; it stays as stored. */
  onError(threadId: string, error: unknown, what: string): void;
}

export class ThreadRegistry {
  private readonly loaded = new Map<string, ThreadRuntime>();
  private readonly subscriptions = new Map<string, Set<Subscriber>>();
  /** Turn ends the store refused, told to clients already: each is stored on its thread's next load. */
  private readonly unstoredEnds = new Map<string, TurnEnd>();
  /** Leases being given back: a claim of the same thread waits for it, so the release cannot land after it. */
  private readonly releasing = new Map<string, Promise<void>>();
  /** Threads listened to here but not in memory: their followers read the log as it grows. */
  private readonly followers = new Map<string, ThreadFollower>();
  /** closeAll has begun: nothing is followed any more. */
  private closing = false;

  constructor(
    private readonly log: ThreadLog,
    private readonly hooks: RegistryHooks,
    readonly leases: ThreadLeases,
    /** Word of the log's growth, for followers; none: nothing is followed (a thread unloaded here is heard again when next loaded). */
    private readonly changes: ThreadChanges | null = null,
  ) {}

  /**
   * Starts a thread from its creation event (ephemeral threads never reach the store). Returns the
   * runtime and the deferred publication of `thread/started`. Nothing is registered if the store
   * refuses the event.
   */
  async create(created: EventOf<'thread/created'>, subscriber: Subscriber): Promise<{ runtime: ThreadRuntime; publish: () => void }> {
    // A new id is nobody's: the claim only records that this process runs it.
    if (!created.origin.ephemeral) await this.claim(created.threadId);
    const subscribers = new Set<Subscriber>();
    const runtime = new ThreadRuntime(undefined, created.origin.ephemeral ? null : this.log, subscribers);
    const publish = runtime.apply([created], { deferred: true });
    this.subscriptions.set(created.threadId, subscribers);
    runtime.subscribe(subscriber);
    this.loaded.set(created.threadId, runtime);
    return { runtime, publish };
  }

  get(threadId: string): ThreadRuntime | undefined {
    return this.loaded.get(threadId);
  }

  /**
   * The loaded runtime, loading it from the store first if needed. A stored turn still in progress
   * belongs to no one once its thread was unloaded (a previous process, or a turn whose end could
   * not be written): it is closed as interrupted here, so no turn stays in progress forever — its
   * open items with it, and a file write it had begun put back first (recover-writes.ts).
   */
  async load(threadId: string, takenFrom: ThreadOwner | null = null): Promise<ThreadRuntime> {
    const existing = this.loaded.get(threadId);
    if (existing) return existing;
    // `takenFrom`: the lapsed owner a claim just before this one took the lease from (recover).
    const from = (await this.claim(threadId)) ?? takenFrom;
    let followedUpTo: number | null = null;
    let stored: { state: ThreadState; lastSeq: number };
    try {
      // Its listeners hear the rest of what the last owner wrote before the runtime takes over.
      followedUpTo = await this.stopFollowing(threadId);
      stored = await this.replayStored(threadId);
    } catch (error) {
      this.release(threadId);
      if (followedUpTo !== null) this.followIfListened(threadId, followedUpTo);
      throw error;
    }
    // Another call may have loaded it while this one awaited.
    const raced = this.loaded.get(threadId);
    if (raced) return raced;
    const { state, lastSeq } = stored;
    const runtime = new ThreadRuntime(state, this.log, this.subscribersOf(threadId), lastSeq);
    const orphan = runtime.state.activeTurnId;
    const closing = closeInterrupted(runtime.state, this.hooks.now());
    const told = this.unstoredEnds.get(threadId);
    this.unstoredEnds.delete(threadId);
    if (orphan !== null && told?.turnId === orphan) {
      // Its clients heard this end when it happened: it is stored now (with what it left open), not told again.
      runtime.apply([...closing, told], { deferred: true });
    } else {
      if (orphan !== null) closing.push(orphanedTurnEnd(threadId, orphan, this.hooks.now(), from));
      if (closing.length > 0) runtime.apply(closing);
    }
    this.loaded.set(threadId, runtime);
    return runtime;
  }

  /**
   * A turn's end the store refused (even after retries): it ends on the wire for every subscriber
   * all the same, the thread is unloaded (memory goes back to what the log holds, the turn still
   * running), and its next load in this process stores this same end. A process that stops first
   * leaves the turn to be closed as interrupted, like any turn a stopped Keel left running.
   */
  endUnstored(runtime: ThreadRuntime, end: TurnEnd): void {
    runtime.publishUnstored([end]);
    this.unstoredEnds.set(end.threadId, end);
    this.unload(end.threadId);
  }

  /** Every stored event after `afterSeq`, with its states (buffered deltas are written first). */
  async missedAfter(runtime: ThreadRuntime, afterSeq: number): Promise<MissedEvent[]> {
    runtime.flush();
    await runtime.settled();
    return eventsAfter(this.log, runtime.state.id, afterSeq);
  }

  /** Current state without loading the thread (nor taking its lease): what the store holds when another process runs it. */
  async read(threadId: string): Promise<ThreadState> {
    return (await this.readWithSeq(threadId)).state;
  }

  /** `read`, with the seq of the last event that state holds. */
  async readWithSeq(threadId: string): Promise<{ state: ThreadState; lastSeq: number }> {
    const loaded = this.loaded.get(threadId);
    if (loaded !== undefined) return { state: loaded.state, lastSeq: loaded.lastSeq };
    const { state, lastSeq } = await this.replayStored(threadId);
    // An end clients were told of but the store could not hold yet reads as it was told.
    const told = this.unstoredEnds.get(threadId);
    return { state: told !== undefined && state.activeTurnId === told.turnId ? (reduceThread(state, told) ?? state) : state, lastSeq };
  }

  /** The seq of the thread's last event: in memory here, else the log's. */
  async storedSeq(threadId: string): Promise<number> {
    return this.loaded.get(threadId)?.lastSeq ?? (await this.log.lastSeq(threadId));
  }

  /**
   * `subscriber` hears a thread not in memory here from after `afterSeq` on, as its log grows (what
   * the log holds past it already comes first). Resolves once that first read is done.
   */
  async follow(threadId: string, subscriber: Subscriber, afterSeq: number): Promise<void> {
    const runtime = this.loaded.get(threadId);
    if (runtime !== undefined) throw new Error(`thread ${threadId} is in memory here: subscribe to its runtime`);
    const follower = this.followIfListened(threadId, afterSeq, true);
    if (follower === undefined) throw new Error(`thread ${threadId} cannot be followed: this store tells of no changes`);
    await follower.join(subscriber, afterSeq);
    if (follower.state === undefined) {
      const { state, lastSeq } = await this.replayStored(threadId);
      follower.startsFrom(state, lastSeq);
    }
  }

  /** The thread as this process's clients know it: in memory, or as its follower last handed it on; undefined: neither. */
  liveState(threadId: string): ThreadState | undefined {
    return this.loaded.get(threadId)?.state ?? this.followers.get(threadId)?.state;
  }

  /** Whether a follower serves the thread's subscribers here. */
  isFollowed(threadId: string): boolean {
    return this.followers.has(threadId);
  }

  /** Loaded as clients see it: in memory, or listened to (it is loaded again the moment it is needed). */
  isLoaded(threadId: string): boolean {
    return this.loaded.has(threadId) || this.subscriptions.has(threadId);
  }

  loadedIds(): string[] {
    return [...new Set([...this.loaded.keys(), ...this.subscriptions.keys()])];
  }

  /** Threads in memory right now (what the idle sweep and diagnostics look at). */
  inMemoryIds(): string[] {
    return [...this.loaded.keys()];
  }

  /** The live set of a thread's subscribers (shared with its runtime while loaded). */
  subscribersOf(threadId: string): Set<Subscriber> {
    let set = this.subscriptions.get(threadId);
    if (set === undefined) {
      set = new Set();
      this.subscriptions.set(threadId, set);
    }
    return set;
  }

  /** Stops `subscriber` hearing the thread; false when it was not listening. */
  unsubscribe(threadId: string, subscriber: Subscriber): boolean {
    const set = this.subscriptions.get(threadId);
    if (set === undefined || !set.delete(subscriber)) return false;
    this.followers.get(threadId)?.leave(subscriber);
    if (set.size === 0) {
      // A loaded runtime keeps this same set: dropped from here, whoever subscribes next would be out of detach's sight.
      if (!this.loaded.has(threadId)) this.subscriptions.delete(threadId);
      void this.stopFollowing(threadId, false);
    }
    return true;
  }

  /** Every thread `subscriber` listens to. */
  subscribedBy(subscriber: Subscriber): string[] {
    return [...this.subscriptions].filter(([, set]) => set.has(subscriber)).map(([threadId]) => threadId);
  }

  /** Threads in memory with no running turn that have not changed for `idleMs`. */
  idleIds(idleMs: number, now = Date.now()): string[] {
    return [...this.loaded.keys()].filter((threadId) => this.isIdle(threadId, idleMs, now));
  }

  /** In memory, no turn running, unchanged for `idleMs`. */
  isIdle(threadId: string, idleMs: number, now = Date.now()): boolean {
    const runtime = this.loaded.get(threadId);
    return runtime !== undefined && runtime.state.activeTurnId === null && now - runtime.lastActiveAt >= idleMs;
  }

  /** Drops the thread from memory; with `dropSubscribers`, nobody listens any more either (archive). */
  unload(threadId: string, { dropSubscribers = false } = {}): void {
    const runtime = this.loaded.get(threadId);
    this.loaded.delete(threadId);
    // An empty set left by the runtime is no subscription.
    if (dropSubscribers || this.subscriptions.get(threadId)?.size === 0) this.subscriptions.delete(threadId);
    try {
      runtime?.close();
    } catch (error) {
      this.hooks.onError(threadId, error, 'could not write its last deltas');
    }
    if (runtime?.stored) {
      // After its last writes were handed over: the next owner loads what this one wrote.
      this.release(threadId, runtime);
      // Whoever still listens hears what another process may do with it from here.
      this.followIfListened(threadId, runtime.lastSeq)?.startsFrom(runtime.state, runtime.lastSeq);
    }
  }

  /** Removes a thread everywhere. Returns false when it did not exist. */
  async delete(threadId: string): Promise<boolean> {
    const runtime = this.loaded.get(threadId);
    if (runtime === undefined || !runtime.stored) {
      // Only the thread's owner deletes it: a turn another process runs would write it back.
      const owner = await this.leases.ownerOf(threadId);
      if (owner !== null) throw new OwnedElsewhere(threadId, owner);
    }
    this.unstoredEnds.delete(threadId);
    this.loaded.delete(threadId);
    this.subscriptions.delete(threadId);
    await this.stopFollowing(threadId, false);
    const stored = await this.log.delete(threadId);
    if (runtime?.stored) this.release(threadId, runtime);
    return stored || runtime !== undefined;
  }

  /**
   * Closes, as interrupted, every turn a previous process left in progress, and puts back the file
   * writes it left (first many files at once, restore-files.ts; the load then finds them back and
   * records it). Returns how many threads.
   */
  async recover(inQueue: (threadId: string, step: () => Promise<void>) => Promise<void> = (_, step) => step()): Promise<number> {
    let closed = 0;
    for (const threadId of await this.log.activeThreadIds()) {
      if (this.loaded.has(threadId)) continue;
      await inQueue(threadId, async () => {
        // Checked again in the queue: a command before this one may have loaded it.
        if (this.loaded.has(threadId)) return;
        try {
          // A turn another live process runs is its own: only lapsed owners' threads are closed here.
          const claim = await this.leases.claim(threadId);
          if (!claim.taken) return;
          for (const write of (await this.replayStored(threadId)).state.pendingWrites ?? []) await restoreFiles(write.changes);
          await this.load(threadId, claim.from);
          closed++;
        } catch (error) {
          this.release(threadId);
          // One damaged log must not keep every other thread from loading; reads of it will say why.
          this.hooks.onError(threadId, error, 'could not recover; it is left as stored');
          return;
        }
        this.unload(threadId);
      });
    }
    return closed;
  }

  closeAll(): void {
    this.closing = true;
    for (const threadId of [...this.loaded.keys()]) this.unload(threadId);
    for (const threadId of [...this.followers.keys()]) void this.stopFollowing(threadId, false);
  }

  /** Resolves once every lease give-back in flight is done (before the leases close). */
  async settle(): Promise<void> {
    await Promise.all([...this.releasing.values()]);
  }

  /** A follower for the thread's subscribers here, when it has some (or `force`) and a store that tells of changes; the one there is, if any. */
  private followIfListened(threadId: string, seq: number, force = false): ThreadFollower | undefined {
    const existing = this.followers.get(threadId);
    if (existing !== undefined || this.changes === null || this.closing) return existing;
    const set = this.subscriptions.get(threadId);
    if (!force && (set === undefined || set.size === 0)) return undefined;
    // `force`: a thread another process runs (follow); else one only unloaded here, which the store's word covers.
    const follower = new ThreadFollower(threadId, this.log, this.changes, this.subscribersOf(threadId), seq, {
      onError: (id, error) => this.hooks.onError(id, error, 'could not be read for its followers; trying again'),
    }, force ? FOLLOW_POLL_MS : IDLE_FOLLOW_POLL_MS);
    this.followers.set(threadId, follower);
    return follower;
  }

  /** Stops the thread's follower, after one last read unless `catchUp` is false (nobody listens); returns the seq its subscribers heard up to (null: none followed). */
  private async stopFollowing(threadId: string, catchUp = true): Promise<number | null> {
    const follower = this.followers.get(threadId);
    if (follower === undefined) return null;
    this.followers.delete(threadId);
    await follower.stop({ catchUp });
    return follower.lastSeq;
  }

  /** Takes the thread's lease (after any release of it still in flight); throws OwnedElsewhere when a live process holds it. Returns the lapsed owner it was taken from. */
  private async claim(threadId: string): Promise<ThreadOwner | null> {
    await this.releasing.get(threadId);
    const claim = await this.leases.claim(threadId);
    if (!claim.taken) throw new OwnedElsewhere(threadId, claim.owner);
    return claim.from;
  }

  /** Gives the lease back once `runtime`'s writes are settled; a failure only logs (the lease lapses on its own). */
  private release(threadId: string, runtime?: ThreadRuntime): void {
    const done = (async () => {
      await runtime?.settled();
      // Loaded again meanwhile: the lease is still needed.
      if (this.loaded.has(threadId)) return;
      await this.leases.release(threadId);
    })().catch((error: unknown) => this.hooks.onError(threadId, error, 'could not give its lease back; it lapses when this process stops'));
    const tracked = done.finally(() => {
      if (this.releasing.get(threadId) === tracked) this.releasing.delete(threadId);
    });
    this.releasing.set(threadId, tracked);
  }

  private async replayStored(threadId: string): Promise<{ state: ThreadState; lastSeq: number }> {
    const stored = await this.log.load(threadId);
    const state = replay(stored.events, stored.checkpoint);
    if (state === undefined) throw DomainErrors.threadNotFound(threadId);
    return { state, lastSeq: stored.lastSeq };
  }
}

type TurnEnd = EventOf<'turn/completed'>;

function orphanedTurnEnd(threadId: string, turnId: string, at: number, from: ThreadOwner | null) {
  const message = from === null
    ? 'Keel stopped before this turn ended; it was closed as interrupted when the thread was next loaded.'
    : `the Keel process running this turn (pid ${from.pid} on ${from.host}) stopped before it ended; another process took the thread over and closed the turn as interrupted.`;
  return stampEvent(threadId, at, {
    type: 'turn/completed' as const,
    turnId,
    status: 'interrupted' as const,
    error: { message, codexErrorInfo: null, additionalDetails: null },
  });
}
