// The `threads` row of each thread, folded from the events appended (summary-fold.ts). It is also
// the head of the thread's log: `last_seq`, which the next append checks its first seq against.
import type { Statement } from 'better-sqlite3';
import { sql } from 'kysely';
import type { KeelDatabase } from '../database.js';
import { param, prepare } from '../statements.js';
import { rowToSummaryRow, summaryRowToRow } from '../summary-row.js';
import type { ThreadRow } from '../tables.js';
import type { AppendedEvents, Projection } from './projection.js';
import { foldSummary, summaryRowOf, touchesOnly, type SummaryRow } from './summary-fold.js';

export class SummaryProjection implements Projection {
  private readonly selectRow: Statement;
  private readonly upsertRow: Statement;
  private readonly deleteRow: Statement;
  private readonly touchRow: Statement;

  constructor(database: KeelDatabase) {
    const db = database.sqlite;
    const q = database.db;
    this.selectRow = prepare(db, q.selectFrom('threads').selectAll().where('id', '=', param<string>('id')));
    const columns = ['id', 'name', 'preview', 'cwd', 'model', 'model_provider', 'reasoning_effort', 'created_at', 'updated_at', 'archived', 'active', 'forked_from_id', 'cli_version', 'last_seq', 'active_turn_id', 'pending_writes'] as const;
    // Everything but what a thread is created with changes on conflict.
    const kept = new Set(['id', 'created_at', 'forked_from_id', 'cli_version']);
    this.upsertRow = prepare(db, q.insertInto('threads').values(Object.fromEntries(columns.map((column) => [column, param(column)])) as never)
      .onConflict((conflict) => conflict.column('id').doUpdateSet((row) =>
        Object.fromEntries(columns.filter((column) => !kept.has(column)).map((column) => [column, row.ref(`excluded.${column}`)])) as never)));
    this.deleteRow = prepare(db, q.deleteFrom('threads').where('id', '=', param<string>('id')));
    this.touchRow = prepare(db, q.updateTable('threads')
      .set((row) => ({ updated_at: sql<number>`max(${row.ref('updated_at')}, @at)`, last_seq: param<number>('last_seq') }))
      .where('id', '=', param<string>('id')));
  }

  apply({ threadId, events, lastSeq, state }: AppendedEvents): void {
    // The hot path (a flush of deltas): only updated_at moves, written without reading the row.
    if (events.every(touchesOnly)) {
      const at = events.reduce((latest, event) => Math.max(latest, event.at), -Infinity);
      if (this.touchRow.run({ id: threadId, at, last_seq: lastSeq }).changes === 1) return;
    }
    const stored = this.selectRow.get({ id: threadId }) as ThreadRow | undefined;
    let row: SummaryRow | undefined = stored === undefined ? undefined : rowToSummaryRow(stored);
    // A row older than the fold's bookkeeping (or events for a thread with no row) start from the state.
    if (row === undefined && stored !== undefined) row = summaryRowOf(state);
    else for (const event of events) row = foldSummary(row, event);
    this.upsertRow.run({ ...summaryRowToRow(row ?? summaryRowOf(state)), last_seq: lastSeq });
  }

  delete(threadId: string): boolean {
    return this.deleteRow.run({ id: threadId }).changes > 0;
  }
}
