// The loaded threads of this process, and the way in and out of the store for each of them.
import type { KeelEvent } from '../core/events.js';
import { replay } from '../core/reduce.js';
import type { ThreadState } from '../core/state.js';
import { EVENT_VERSION } from '../core/events.js';
import type { EventLog } from '../store/event-log.js';
import { DomainErrors } from './errors.js';
import type { Subscriber } from './subscriber.js';
import { ThreadRuntime } from './thread-runtime.js';

export class ThreadRegistry {
  private readonly loaded = new Map<string, ThreadRuntime>();

  constructor(
    private readonly log: EventLog,
    private readonly now: () => number = Date.now,
    private readonly onRecoveryError: (threadId: string, error: unknown) => void = () => {},
  ) {}

  /**
   * Starts a thread from its creation event (ephemeral threads never reach the store). Returns the
   * runtime and the deferred publication of `thread/started`.
   */
  create(created: Extract<KeelEvent, { type: 'thread/created' }>, subscriber: Subscriber): { runtime: ThreadRuntime; publish: () => void } {
    const runtime = new ThreadRuntime(undefined, created.origin.ephemeral ? null : this.log);
    runtime.subscribers.add(subscriber);
    const publish = runtime.apply([created], { deferred: true });
    this.loaded.set(created.threadId, runtime);
    return { runtime, publish };
  }

  get(threadId: string): ThreadRuntime | undefined {
    return this.loaded.get(threadId);
  }

  /** The loaded runtime, loading it from the store first if needed. */
  load(threadId: string): ThreadRuntime {
    const existing = this.loaded.get(threadId);
    if (existing) return existing;
    const state = this.replayStored(threadId);
    const runtime = new ThreadRuntime(state, this.log);
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
    this.loaded.get(threadId)?.close();
    this.loaded.delete(threadId);
  }

  /** Removes a thread everywhere. Returns false when it did not exist. */
  delete(threadId: string): boolean {
    const runtime = this.loaded.get(threadId);
    this.unload(threadId);
    const stored = this.log.delete(threadId);
    return stored || runtime !== undefined;
  }

  /** Closes, as interrupted, every turn a previous process left in progress. Returns how many. */
  recover(): number {
    let closed = 0;
    for (const threadId of this.log.activeThreadIds()) {
      let runtime: ThreadRuntime;
      try {
        runtime = this.load(threadId);
      } catch (error) {
        // One damaged log must not keep every other thread from loading; reads of it will say why.
        this.onRecoveryError(threadId, error);
        continue;
      }
      const turnId = runtime.state.activeTurnId;
      if (turnId !== null) {
        runtime.apply([
          {
            v: EVENT_VERSION,
            type: 'turn/completed',
            threadId,
            turnId,
            at: this.now(),
            status: 'interrupted',
            error: {
              message: 'Keel stopped before this turn ended; it was closed as interrupted at restart.',
              codexErrorInfo: null,
              additionalDetails: null,
            },
          },
        ]);
        closed++;
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
