// The two thread stores behind the engine's ThreadLog (engine/thread-log.ts), opened the same way
// for the store contract tests: SQLite (in a :memory: database) and the in-memory log. Each can
// lose an event as a damaged file would, through what it stores (the database, the Maps).
import type { ThreadLog } from '../../src/engine/thread-log.js';
import type { ThreadIndex } from '../../src/engine/thread-queries.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { MemoryThreadLog } from '../../src/store/memory-thread-log.js';
import { SqliteThreadIndex } from '../../src/store/thread-index.js';

export interface OpenedLog {
  log: ThreadLog;
  index: ThreadIndex;
  /** Removes the stored event at `seq` (the row it starts), as damage would. */
  loseEvent(threadId: string, seq: number): void;
  close(): Promise<void>;
}

export interface ThreadLogKind {
  name: string;
  open(checkpointEvery?: number): Promise<OpenedLog>;
}

export const threadLogKinds: ThreadLogKind[] = [
  {
    name: 'SQLite',
    open: async (checkpointEvery) => {
      const database = await openDatabase(':memory:');
      return {
        log: new EventLog(database, checkpointEvery),
        index: new SqliteThreadIndex(database),
        loseEvent: (threadId, seq) => void database.sqlite.prepare('DELETE FROM events WHERE thread_id = ? AND seq = ?').run(threadId, seq),
        close: () => database.close(),
      };
    },
  },
  {
    name: 'in memory',
    open: async (checkpointEvery) => {
      const log = new MemoryThreadLog(undefined, checkpointEvery);
      return {
        log,
        index: log,
        loseEvent: (threadId, seq) => {
          const rows = log.tables.events.get(threadId) ?? [];
          log.tables.events.set(threadId, rows.filter((row) => row.seq !== seq));
        },
        close: async () => {},
      };
    },
  },
];
