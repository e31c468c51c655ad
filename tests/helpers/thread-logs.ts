// The thread stores behind the engine's ThreadLog (engine/thread-log.ts), opened the same way for
// the store contract tests: SQLite (in a :memory: database), the in-memory log and PostgreSQL (a
// database of the test server, tests/helpers/pg.ts; skipped, saying why, without one). Each can
// lose an event as a damaged file would, through what it stores (the database, the Maps).
import type { ThreadLog } from '../../src/engine/thread-log.js';
import type { ThreadIndex } from '../../src/engine/thread-queries.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { MemoryThreadLog } from '../../src/store/memory-thread-log.js';
import { openPgDatabase, type PgDatabase } from '../../src/store/postgres/pg-database.js';
import { PgThreadIndex } from '../../src/store/postgres/pg-thread-index.js';
import { PgThreadLog } from '../../src/store/postgres/pg-thread-log.js';
import { SqliteThreadIndex } from '../../src/store/thread-index.js';
import { freshPgDatabase, onPgDatabase, pgSkipReason } from './pg.js';

export interface OpenedLog {
  log: ThreadLog;
  index: ThreadIndex;
  /** Removes the stored event at `seq` (the row it starts), as damage would. */
  loseEvent(threadId: string, seq: number): void | Promise<void>;
  close(): Promise<void>;
}

export interface ThreadLogKind {
  name: string;
  /** Why this kind does not run here (no server); null: it runs. */
  skip: string | null;
  open(checkpointEvery?: number): Promise<OpenedLog>;
}

/** One database per test file, emptied for each open: CREATE DATABASE per test would cost more than the test. */
let pgUrl: Promise<string> | undefined;

export const threadLogKinds: ThreadLogKind[] = [
  {
    name: 'SQLite',
    skip: null,
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
    skip: null,
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
  {
    name: 'PostgreSQL',
    skip: pgSkipReason,
    open: async (checkpointEvery) => {
      const url = await (pgUrl ??= freshPgDatabase());
      const database: PgDatabase = await openPgDatabase({ url, poolSize: 4 });
      await database.pool.query('TRUNCATE events, threads, checkpoints, keel_owners, thread_leases');
      return {
        log: new PgThreadLog(database, checkpointEvery),
        index: new PgThreadIndex(database),
        loseEvent: async (threadId, seq) => void (await onPgDatabase(url, 'DELETE FROM events WHERE thread_id = $1 AND seq = $2', [threadId, seq])),
        close: () => database.close(),
      };
    },
  },
];
