// The `threads` summary row on PostgreSQL: the same fold as SQLite's (../projections/
// summary-projection.ts, over ../projections/summary-fold.ts), run through kysely inside the append
// transaction. Its statements are asynchronous, so it is a twin rather than the same class.
import { sql, type Transaction } from 'kysely';
import type { AppendedEvents } from '../projections/projection.js';
import { foldSummary, summaryRowOf, touchesOnly, type SummaryRow } from '../projections/summary-fold.js';
import { rowToSummaryRow, summaryRowToRow } from '../summary-row.js';
import type { Tables } from '../tables.js';

/** Everything but what a thread is created with changes on conflict. */
const UPDATED = ['name', 'preview', 'cwd', 'model', 'model_provider', 'reasoning_effort', 'updated_at', 'archived', 'active', 'last_seq', 'active_turn_id', 'pending_writes'] as const;

export async function applySummary(trx: Transaction<Tables>, { threadId, events, lastSeq, state }: AppendedEvents): Promise<void> {
  // The hot path (a flush of deltas): only updated_at moves, written without reading the row.
  if (events.every(touchesOnly)) {
    const at = events.reduce((latest, event) => Math.max(latest, event.at), -Infinity);
    const touched = await trx
      .updateTable('threads')
      .set((row) => ({ updated_at: sql<number>`greatest(${row.ref('updated_at')}, ${at})`, last_seq: lastSeq }))
      .where('id', '=', threadId)
      .executeTakeFirst();
    if (touched.numUpdatedRows === 1n) return;
  }
  const stored = await trx.selectFrom('threads').selectAll().where('id', '=', threadId).executeTakeFirst();
  let row: SummaryRow | undefined = stored === undefined ? undefined : rowToSummaryRow(stored);
  // A row older than the fold's bookkeeping (or events for a thread with no row) start from the state.
  if (row === undefined && stored !== undefined) row = summaryRowOf(state);
  else for (const event of events) row = foldSummary(row, event);
  await trx
    .insertInto('threads')
    .values({ ...summaryRowToRow(row ?? summaryRowOf(state)), last_seq: lastSeq })
    .onConflict((conflict) => conflict.column('id').doUpdateSet((excluded) => Object.fromEntries(UPDATED.map((column) => [column, excluded.ref(`excluded.${column}`)])) as never))
    .execute();
}

export async function deleteSummary(trx: Transaction<Tables>, threadId: string): Promise<boolean> {
  const deleted = await trx.deleteFrom('threads').where('id', '=', threadId).executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}
