// Migration 5's second half on SQLite: the full-text index of a store written before it, built
// from each thread's log with the same fold the live projection applies (projections/search-fold.ts),
// so a store upgraded is searchable exactly as one written since.
import type Database from 'better-sqlite3';
import { readStoredEvent } from './event-versions.js';
import { applySearchChanges, searchChanges, type SearchDoc } from './projections/search-fold.js';

export function backfillSearchIndex(sqlite: Database.Database): void {
  const threads = sqlite.prepare('select id from threads').pluck().all() as string[];
  const events = sqlite.prepare('select seq, body from events where thread_id = ? order by seq');
  const insert = sqlite.prepare('insert into thread_search_docs (thread_id, turn_id, item_id, kind, text) values (?, ?, ?, ?, ?)');
  for (const threadId of threads) {
    const docs = new Map<string, SearchDoc>();
    for (const row of events.iterate(threadId) as Iterable<{ seq: number; body: string }>) {
      const event = readStoredEvent(JSON.parse(row.body), `thread ${threadId} seq ${row.seq}`);
      applySearchChanges(docs, searchChanges(event));
    }
    for (const doc of docs.values()) insert.run(threadId, doc.turnId, doc.itemId, doc.kind, doc.text);
  }
}
