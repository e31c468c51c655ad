// Commands on one thread run one after another, in the order they arrived, even when a command
// awaits; commands on different threads do not wait for each other. This is the serialisation
// invariant the event log's gapless sequence relies on (see ThreadRuntime.apply).
export class ThreadQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(threadId: string, task: () => T | Promise<T>): Promise<T> {
    const previous = this.tails.get(threadId) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(threadId, tail);
    void tail.then(() => {
      if (this.tails.get(threadId) === tail) this.tails.delete(threadId);
    });
    return result;
  }

  /** Threads with commands queued or running (diagnostics, tests). */
  busyThreads(): number {
    return this.tails.size;
  }
}
