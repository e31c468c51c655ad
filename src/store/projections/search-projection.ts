// The full-text index of SQLite, kept inside the append transaction: the documents of the items
// completed (search-fold.ts) into `thread_search_docs`, whose triggers keep the FTS5 index
// `thread_search_fts` (migration 5), and the `has_turns` mark of the thread's row. A flush of
// deltas changes neither and runs no statement.
import type { Statement } from 'better-sqlite3';
import { sql } from 'kysely';
import type { KeelDatabase } from '../database.js';
import { param, prepare } from '../statements.js';
import type { AppendedEvents, Projection } from './projection.js';
import { givesTurn, searchChanges } from './search-fold.js';

export class SearchProjection implements Projection {
  private readonly upsertDoc: Statement;
  private readonly dropFromTurn: Statement;
  private readonly deleteDocs: Statement;
  private readonly markTurns: Statement;

  constructor(database: KeelDatabase) {
    const db = database.sqlite;
    const q = database.db;
    this.upsertDoc = prepare(db, q.insertInto('thread_search_docs')
      .values({ thread_id: param('thread_id'), turn_id: param('turn_id'), item_id: param('item_id'), kind: param('kind'), text: param('text'), at: param('at') })
      .onConflict((conflict) => conflict.columns(['thread_id', 'item_id']).doUpdateSet((row) => ({ turn_id: row.ref('excluded.turn_id'), kind: row.ref('excluded.kind'), text: row.ref('excluded.text') }))));
    // Documents are inserted in the order their items completed, so a turn's and its successors' are those from its first on.
    this.dropFromTurn = prepare(db, q.deleteFrom('thread_search_docs')
      .where('thread_id', '=', param<string>('thread_id'))
      .where('id', '>=', (eb) => eb.selectFrom('thread_search_docs').select((s) => s.fn.min<number>('id').as('first')).where('thread_id', '=', param<string>('thread_id')).where('turn_id', '=', param<string>('turn_id'))));
    this.deleteDocs = prepare(db, q.deleteFrom('thread_search_docs').where('thread_id', '=', param<string>('thread_id')));
    this.markTurns = prepare(db, q.updateTable('threads').set({ has_turns: sql.lit(1) }).where('id', '=', param<string>('id')).where('has_turns', '=', sql.lit(0)));
  }

  apply({ threadId, events }: AppendedEvents): void {
    let turned = false;
    for (const event of events) {
      turned ||= givesTurn(event);
      for (const change of searchChanges(event)) {
        if (change.type === 'put') this.upsertDoc.run({ thread_id: threadId, turn_id: change.doc.turnId, item_id: change.doc.itemId, kind: change.doc.kind, text: change.doc.text, at: event.at });
        else this.dropFromTurn.run({ thread_id: threadId, turn_id: change.turnId });
      }
    }
    if (turned) this.markTurns.run({ id: threadId });
  }

  delete(threadId: string): void {
    this.deleteDocs.run({ thread_id: threadId });
  }
}
