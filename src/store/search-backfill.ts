// Migration 5's second half on SQLite: the full-text index of a store written before it, built
// from each thread's log with the same fold the live projection applies (projections/search-fold.ts),
// so a store upgraded is searchable exactly as one written since. The documents go in in time
// order, as a live store inserts them (the newest-first search relies on it: thread-index.ts), by
// way of a temporary table.
import type Database from 'better-sqlite3';
import { readStoredEvent } from './event-versions.js';
import { applySearchChanges, searchChanges, type SearchDoc } from './projections/search-fold.js';

export function backfillSearchIndex(sqlite: Database.Database): void {
  const threads = sqlite.prepare('select id from threads').pluck().all() as string[];
  const events = sqlite.prepare('select seq, body from events where thread_id = ? order by seq');
  sqlite.exec('create temp table search_backfill (thread_id text, turn_id text, item_id text, kind text, text text, at integer)');
  const insert = sqlite.prepare('insert into search_backfill (thread_id, turn_id, item_id, kind, text, at) values (?, ?, ?, ?, ?, ?)');
  for (const threadId of threads) {
    const docs = new Map<string, SearchDoc>();
    const completedAt = new Map<string, number>();
    for (const row of events.iterate(threadId) as Iterable<{ seq: number; body: string }>) {
      const event = readStoredEvent(JSON.parse(row.body), `thread ${threadId} seq ${row.seq}`);
      const changes = searchChanges(event);
      applySearchChanges(docs, changes);
      for (const change of changes) if (change.type === 'put' && !completedAt.has(change.doc.itemId)) completedAt.set(change.doc.itemId, event.at);
    }
    for (const doc of docs.values()) insert.run(threadId, doc.turnId, doc.itemId, doc.kind, doc.text, completedAt.get(doc.itemId)!);
  }
  sqlite.exec(`insert into thread_search_docs (thread_id, turn_id, item_id, kind, text, at)
    select thread_id, turn_id, item_id, kind, text, at from search_backfill order by at, rowid`);
  sqlite.exec('drop table search_backfill');
}
