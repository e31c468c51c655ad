// The `threads` row of each thread, folded from the events appended (summary-fold.ts). It is also
// the head of the thread's log: `last_seq`, which the next append checks its first seq against.
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { rowToSummaryRow, summaryRowToRow } from '../summary-row.js';
import type { ThreadRow } from '../tables.js';
import type { AppendedEvents, Projection } from './projection.js';
import { foldSummary, summaryRowOf, type SummaryRow } from './summary-fold.js';

export class SummaryProjection implements Projection {
  private readonly selectRow: Statement;
  private readonly upsertRow: Statement;
  private readonly deleteRow: Statement;

  constructor(db: Database.Database) {
    this.selectRow = db.prepare('SELECT * FROM threads WHERE id = ?');
    this.upsertRow = db.prepare(`
      INSERT INTO threads (id, name, preview, cwd, model, model_provider, reasoning_effort, created_at, updated_at,
                           archived, active, forked_from_id, cli_version, last_seq, active_turn_id, pending_writes)
      VALUES (@id, @name, @preview, @cwd, @model, @model_provider, @reasoning_effort, @created_at, @updated_at,
              @archived, @active, @forked_from_id, @cli_version, @last_seq, @active_turn_id, @pending_writes)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, preview = excluded.preview, cwd = excluded.cwd,
        model = excluded.model, model_provider = excluded.model_provider, reasoning_effort = excluded.reasoning_effort,
        updated_at = excluded.updated_at, archived = excluded.archived, active = excluded.active,
        last_seq = excluded.last_seq, active_turn_id = excluded.active_turn_id, pending_writes = excluded.pending_writes`);
    this.deleteRow = db.prepare('DELETE FROM threads WHERE id = ?');
  }

  apply({ threadId, events, lastSeq, state }: AppendedEvents): void {
    const stored = this.selectRow.get(threadId) as ThreadRow | undefined;
    let row: SummaryRow | undefined = stored === undefined ? undefined : rowToSummaryRow(stored);
    // A row older than the fold's bookkeeping (or events for a thread with no row) start from the state.
    if (row === undefined && stored !== undefined) row = summaryRowOf(state);
    else for (const event of events) row = foldSummary(row, event);
    this.upsertRow.run({ ...summaryRowToRow(row ?? summaryRowOf(state)), last_seq: lastSeq });
  }

  delete(threadId: string): boolean {
    return this.deleteRow.run(threadId).changes > 0;
  }
}
