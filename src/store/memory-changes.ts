// Word of a memory log's appends (engine/thread-changes.ts): the log calls the watchers of a thread
// after each append, as a database tells its listeners after commit.
import type { MemoryTables } from './memory-thread-log.js';

export class MemoryChanges {
  constructor(private readonly tables: MemoryTables) {}

  watch(threadId: string, changed: () => void): () => void {
    let set = this.tables.watchers.get(threadId);
    if (set === undefined) this.tables.watchers.set(threadId, (set = new Set()));
    const own = () => changed();
    set.add(own);
    return () => {
      set.delete(own);
      if (set.size === 0 && this.tables.watchers.get(threadId) === set) this.tables.watchers.delete(threadId);
    };
  }

  close(): void {}
}
