// The append-only event log per thread, written with its thread-index projection in one
// transaction. Synchronous on purpose: the caller publishes notifications right after commit.
import type { Statement, Transaction } from 'better-sqlite3';
import type { KeelEvent } from '../core/events.js';
import type { ThreadSummary } from '../core/summary.js';
import type { KeelDatabase } from './database.js';
import { rowToSummary, summaryToRow } from './summary-row.js';
import type { ThreadRow } from './tables.js';

export class EventLogGapError extends Error {
  constructor(threadId: string, expected: number, found: number) {
    super(`event log of thread ${threadId} has a gap: expected seq ${expected}, found ${found}`);
  }
}

export class EventLog {
  private readonly insertEvent: Statement;
  private readonly selectLastSeq: Statement;
  private readonly upsertThread: Statement;
  private readonly selectEvents: Statement;
  private readonly selectSummary: Statement;
  private readonly appendTx: Transaction<(threadId: string, events: readonly KeelEvent[], summary: ThreadSummary) => number>;

  constructor(private readonly database: KeelDatabase) {
    const db = database.sqlite;
    this.insertEvent = db.prepare('INSERT INTO events (thread_id, seq, type, v, at, body) VALUES (?, ?, ?, ?, ?, ?)');
    this.selectLastSeq = db.prepare('SELECT last_seq FROM threads WHERE id = ?').pluck();
    this.upsertThread = db.prepare(`
      INSERT INTO threads (id, name, preview, cwd, model, model_provider, reasoning_effort, created_at, updated_at,
                           archived, active, forked_from_id, cli_version, last_seq)
      VALUES (@id, @name, @preview, @cwd, @model, @model_provider, @reasoning_effort, @created_at, @updated_at,
              @archived, @active, @forked_from_id, @cli_version, @last_seq)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, preview = excluded.preview, cwd = excluded.cwd,
        model = excluded.model, model_provider = excluded.model_provider, reasoning_effort = excluded.reasoning_effort,
        updated_at = excluded.updated_at, archived = excluded.archived, active = excluded.active,
        last_seq = excluded.last_seq`);
    this.selectEvents = db.prepare('SELECT seq, body FROM events WHERE thread_id = ? ORDER BY seq');
    this.selectSummary = db.prepare('SELECT * FROM threads WHERE id = ?');
    this.appendTx = db.transaction((threadId: string, events: readonly KeelEvent[], summary: ThreadSummary) => {
        let seq = (this.selectLastSeq.get(threadId) as number | undefined) ?? 0;
        for (const event of events) {
          seq += 1;
          this.insertEvent.run(threadId, seq, event.type, event.v, event.at, JSON.stringify(event));
        }
        this.upsertThread.run({ ...summaryToRow(summary), last_seq: seq });
        return seq;
      });
  }

  /** Appends events and updates the thread's index row atomically; returns the last sequence number. */
  append(threadId: string, events: readonly KeelEvent[], summary: ThreadSummary): number {
    return this.appendTx.immediate(threadId, events, summary);
  }

  /** The whole log of a thread in order; refuses a log with a gap. */
  read(threadId: string): KeelEvent[] {
    const rows = this.selectEvents.all(threadId) as Array<{ seq: number; body: string }>;
    const events: KeelEvent[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.seq !== i + 1) throw new EventLogGapError(threadId, i + 1, row.seq);
      events[i] = JSON.parse(row.body) as KeelEvent;
    }
    return events;
  }

  summary(threadId: string): ThreadSummary | undefined {
    const row = this.selectSummary.get(threadId) as ThreadRow | undefined;
    return row && rowToSummary(row);
  }

  /** Threads whose last recorded state had a turn in progress. */
  activeThreadIds(): string[] {
    return this.database.sqlite.prepare('SELECT id FROM threads WHERE active = 1').pluck().all() as string[];
  }

  delete(threadId: string): boolean {
    const db = this.database.sqlite;
    return db.transaction(() => {
      db.prepare('DELETE FROM events WHERE thread_id = ?').run(threadId);
      return db.prepare('DELETE FROM threads WHERE id = ?').run(threadId).changes > 0;
    }).immediate();
  }
}
