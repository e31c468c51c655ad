// The loaded threads of this process, and the way in and out of the store for each of them.
import { stampEvent, type EventOf } from '../core/events.js';
import { replay } from '../core/reduce.js';
import type { ThreadState } from '../core/state.js';
import { DomainErrors } from '../kernel/errors.js';
import type { EventLog } from '../store/event-log.js';
import type { Subscriber } from './subscriber.js';
import { ThreadRuntime } from './thread-runtime.js';

export interface RegistryHooks {
  now(): number;
  /** A thread could not be recovered or flushed; it stays as stored. */
  onError(threadId: string, error: unknown, what: string): void;
}

export class ThreadRegistry {
  private readonly loaded = new Map<string, ThreadRuntime>();

  constructor(
    private readonly log: EventLog,
    private readonly hooks: RegistryHooks,
  ) {}

  /**
   * Starts a thread from its creation event (ephemeral threads never reach the store). Returns the
   * runtime and the deferred publication of `thread/started`. Nothing is registered if the store
   * refuses the event.
   */
  create(created: EventOf<'thread/created'>, subscriber: Subscriber): { runtime: ThreadRuntime; publish: () => void } {
    const runtime = new ThreadRuntime(undefined, created.origin.ephemeral ? null : this.log);
    const publish = runtime.apply([created], { deferred: true });
    runtime.subscribers.add(subscriber);
    this.loaded.set(created.threadId, runtime);
    return { runtime, publish };
  }

  get(threadId: string): ThreadRuntime | undefined {
    return this.loaded.get(threadId);
  }

  /**
   * The loaded runtime, loading it from the store first if needed. A stored turn still in progress
   * belongs to no one once its thread was unloaded (a previous process, or a turn whose end could
   * not be written): it is closed as interrupted here, so no turn stays in progress forever.
   */
  load(threadId: string): ThreadRuntime {
    const existing = this.loaded.get(threadId);
    if (existing) return existing;
    const runtime = new ThreadRuntime(this.replayStored(threadId), this.log);
    const orphan = runtime.state.activeTurnId;
    if (orphan !== null) runtime.apply([orphanedTurnEnd(threadId, orphan, this.hooks.now())]);
    this.loaded.set(threadId, runtime);
    return runtime;
  }

  /** Current state without loading the thread. */
  read(threadId: string): ThreadState {
    return this.loaded.get(threadId)?.state ?? this.replayStored(threadId);
  }

  isLoaded(threadId: string): boolean {
    return this.loaded.has(threadId);
  }

  loadedIds(): string[] {
    return [...this.loaded.keys()];
  }

  unload(threadId: string): void {
    const runtime = this.loaded.get(threadId);
    this.loaded.delete(threadId);
    try {
      runtime?.close();
    } catch (error) {
      this.hooks.onError(threadId, error, 'could not write its last deltas');
    }
  }

  /** Removes a thread everywhere. Returns false when it did not exist. */
  delete(threadId: string): boolean {
    const runtime = this.loaded.get(threadId);
    this.loaded.delete(threadId);
    const stored = this.log.delete(threadId);
    return stored || runtime !== undefined;
  }

  /** Closes, as interrupted, every turn a previous process left in progress. Returns how many. */
  recover(): number {
    let closed = 0;
    for (const threadId of this.log.activeThreadIds()) {
      try {
        this.load(threadId);
        closed++;
      } catch (error) {
        // One damaged log must not keep every other thread from loading; reads of it will say why.
        this.hooks.onError(threadId, error, 'could not recover; it is left as stored');
        continue;
      }
      this.unload(threadId);
    }
    return closed;
  }

  closeAll(): void {
    for (const threadId of [...this.loaded.keys()]) this.unload(threadId);
  }

  private replayStored(threadId: string): ThreadState {
    const stored = this.log.load(threadId);
    const state = replay(stored.events, stored.checkpoint);
    if (state === undefined) throw DomainErrors.threadNotFound(threadId);
    return state;
  }
}

function orphanedTurnEnd(threadId: string, turnId: string, at: number) {
  return stampEvent(threadId, at, {
    type: 'turn/completed' as const,
    turnId,
    status: 'interrupted' as const,
    error: { message: 'Keel stopped before this turn ended; it was closed as interrupted when the thread was next loaded.', codexErrorInfo: null, additionalDetails: null },
  });
}
