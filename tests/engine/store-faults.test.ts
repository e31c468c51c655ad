// Faults a spawned server cannot be given, injected into SQLite under the engine and answered
// through the real dispatch: a full disk (max_page_count caps the file, as a full disk stops its
// growth: SQLITE_FULL), a database made read-only under a running Keel (query_only), a database
// another process keeps locked (SQLITE_BUSY). Each answers -32603 naming the database and the cause.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { answerOf, openTestKeel, runTurnIn, type TestKeel } from '../helpers/engine.js';

let opened: TestKeel | undefined;
afterEach(async () => {
  await opened?.keel.close();
  opened?.cleanup();
  opened = undefined;
});

async function keelWithThread(): Promise<{ keel: TestKeel['keel']; dbPath: string; threadId: string }> {
  opened = await openTestKeel();
  const started = await answerOf(opened.keel, 'thread/start', {});
  const threadId = (started as { result: { thread: { id: string } } }).result.thread.id;
  // A turn, so that thread/list lists it (a thread never used is not listed, as Codex).
  await runTurnIn(opened.keel, threadId);
  return { keel: opened.keel, dbPath: opened.dbPath, threadId };
}

const refusedWrite = (cause: string) => ({ error: { code: -32603, message: `the thread store refused a write (${cause}); what the thread shows is what was stored` } });

describe('a full disk', () => {
  it('answers a write with the database and "disk is full"; the thread keeps what was stored', async () => {
    const { keel, dbPath, threadId } = await keelWithThread();
    const pages = keel.database!.sqlite.pragma('page_count', { simple: true }) as number;
    keel.database!.sqlite.pragma(`max_page_count = ${pages}`);
    // Long instructions need new pages (overflow pages for the creation event).
    expect(await answerOf(keel, 'thread/start', { baseInstructions: 'n'.repeat(200_000) })).toEqual(
      refusedWrite(`the thread database ${dbPath} cannot grow: its disk is full (SQLITE_FULL: database or disk is full)`),
    );
    expect(await answerOf(keel, 'thread/read', { threadId })).toMatchObject({ result: { thread: { id: threadId, name: null } } });
    expect(await answerOf(keel, 'thread/loaded/list', {})).toEqual({ result: { data: [threadId], nextCursor: null } });
  });
});

describe('a database made read-only under a running Keel', () => {
  it('answers writes that it is read-only, and still serves reads', async () => {
    const { keel, dbPath, threadId } = await keelWithThread();
    keel.database!.sqlite.pragma('query_only = ON');
    const readOnly = `the thread database ${dbPath} is read-only (SQLITE_READONLY: attempt to write a readonly database)`;
    expect(await answerOf(keel, 'thread/name/set', { threadId, name: 'x' })).toEqual(refusedWrite(readOnly));
    expect(await answerOf(keel, 'thread/delete', { threadId })).toEqual({ error: { code: -32603, message: readOnly } });
    expect(await answerOf(keel, 'thread/list', {})).toMatchObject({ result: { data: [{ id: threadId }] } });
  });
});

describe('a database another process keeps locked', () => {
  it('answers writes that it is busy, once the wait for the lock runs out', async () => {
    const { keel, dbPath, threadId } = await keelWithThread();
    keel.database!.sqlite.pragma('busy_timeout = 20');
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      const busy = `the thread database ${dbPath} is busy: another process holds its write lock (SQLITE_BUSY: database is locked)`;
      expect(await answerOf(keel, 'thread/name/set', { threadId, name: 'x' })).toEqual(refusedWrite(busy));
      expect(await answerOf(keel, 'thread/delete', { threadId })).toEqual({ error: { code: -32603, message: busy } });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});
