import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { errorOf, initialized, spawnKeel, type KeelProcess, type WireId } from '../helpers/keel-process.js';
import { EVENT_VERSION } from '../../src/core/events.js';
import { NewerDatabaseError, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { agentMessage, eventsOf, fixtureSettings, inspectStore, userMessage, writeStore } from '../helpers/store-fixtures.js';
import { cliVersion, expectedThread, storedEvents, useTempDirs, withDatabase } from '../helpers/threads.js';
import { shellTurn } from '../helpers/turns.js';

const tempDir = useTempDirs();

async function keelOnDb(file: string): Promise<KeelProcess> {
  const keel = spawnKeel({ args: ['--db', file] });
  await initialized(keel);
  return keel;
}

describe('a database written by a newer Keel', () => {
  function newerDatabase(): string {
    const file = path.join(tempDir(), 'newer.db');
    const db = new Database(file);
    db.exec('CREATE TABLE future_things (id TEXT PRIMARY KEY)');
    db.pragma('user_version = 99');
    db.close();
    return file;
  }

  it('is refused with a clear error on every thread request, and gets no Keel tables', async () => {
    const file = newerDatabase();
    const keel = await keelOnDb(file);
    const refusal = { code: -32603, message: `thread store unavailable: ${new NewerDatabaseError(file, 99).message}` };
    expect(refusal.message).toContain(`database ${file} has schema version 99, newer than this Keel knows (${SCHEMA_VERSION})`);
    expect(await errorOf(keel.request('thread/list', {}))).toEqual(refusal);
    expect(await errorOf(keel.request('thread/start', {}))).toEqual(refusal);
    expect(await keel.close()).toBe(0);
    withDatabase(file, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(99);
      expect(db.prepare('SELECT name FROM sqlite_master ORDER BY name').pluck().all()).toEqual(['future_things', 'sqlite_autoindex_future_things_1']);
    });
  });

  it('leaves the refused file byte for byte untouched', async () => {
    const file = newerDatabase();
    const digest = () => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const before = digest();
    const keel = await keelOnDb(file);
    await errorOf(keel.request('thread/list', {}));
    expect(await keel.close()).toBe(0);
    expect(digest()).toBe(before);
  });
});

describe('recovery of a turn left in progress', () => {
  it('closes it as interrupted at start, keeps its items, and appends turn/completed with the next seq', async () => {
    const file = path.join(tempDir(), 'crashed.db');
    const t0 = Date.UTC(2025, 0, 2, 3, 4, 5);
    const [crashed, done] = ['thread-crashed', 'thread-done'];
    const e = eventsOf(crashed, t0);
    const user = userMessage('item-user', 'fix the bug');
    const d = eventsOf(done, t0);
    await writeStore(file, [
      [
        e('thread/created', { settings: fixtureSettings, origin: { ephemeral: false, cliVersion: '0.0.9', forkedFromId: null } }),
        e('turn/started', { turnId: 'turn-1', model: 'gpt-test' }),
        e('item/started', { turnId: 'turn-1', itemId: 'item-user', item: user }),
        e('item/completed', { turnId: 'turn-1', itemId: 'item-user', item: user }),
        e('item/started', { turnId: 'turn-1', itemId: 'item-agent', item: agentMessage('item-agent', '') }),
        e('item/delta', { turnId: 'turn-1', itemId: 'item-agent', channel: 'agentMessage', index: 0, delta: 'Looking at' }),
      ],
      [
        d('thread/created', { settings: fixtureSettings, origin: { ephemeral: false, cliVersion: '0.0.9', forkedFromId: null } }),
        d('turn/started', { turnId: 'turn-ok', model: null }),
        d('turn/completed', { turnId: 'turn-ok', status: 'completed', error: null }),
      ],
    ]);
    expect(withDatabase(file, (db) => db.prepare('SELECT id, active, last_seq FROM threads ORDER BY id').all())).toEqual([
      { id: crashed, active: 1, last_seq: 6 },
      { id: done, active: 0, last_seq: 3 },
    ]);

    const keel = await keelOnDb(file);
    const error = { message: 'Keel stopped before this turn ended; it was closed as interrupted when the thread was next loaded.', codexErrorInfo: null, additionalDetails: null };
    const turn = {
      id: 'turn-1',
      items: [user, agentMessage('item-agent', 'Looking at')],
      itemsView: 'full' as const,
      status: 'interrupted' as const,
      error,
      startedAt: t0 / 1000 + 2,
      completedAt: expect.any(Number),
      durationMs: expect.any(Number),
    };
    const read = await keel.request('thread/read', { threadId: crashed, includeTurns: true });
    expect(read).toEqual({
      thread: expectedThread('/work/recover', {
        id: crashed,
        sessionId: crashed,
        preview: 'fix the bug',
        cliVersion: '0.0.9',
        createdAt: t0 / 1000 + 1,
        model: 'gpt-test',
        modelProvider: 'openai',
        status: { type: 'notLoaded' },
        turns: [turn],
      }),
      // No model call reported usage: nothing spent (thread/read's Keel extension).
      cost: { usd: 0, turns: [{ turnId: 'turn-1', usd: 0 }] },
      turnsBackwardsCursor: null,
    });
    expect(read.thread.turns[0]!.completedAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 60);
    expect(await keel.request('thread/turns/list', { threadId: crashed })).toMatchObject({ data: [{ id: 'turn-1', status: 'interrupted', error }] });
    expect(await keel.request('thread/loaded/list', {})).toEqual({ data: [], nextCursor: null });
    // The preview (the first user message) is indexed: searchTerm finds it.
    expect(await keel.request('thread/list', { searchTerm: 'the bug' })).toEqual({ data: [{ ...read.thread, turns: [] }], nextCursor: null, backwardsCursor: null });
    expect(await keel.close()).toBe(0);

    const log = withDatabase(file, (db) => storedEvents(db, crashed));
    expect(log.map((row) => [row.seq, row.type])).toEqual([
      [1, 'thread/created'],
      [2, 'turn/started'],
      [3, 'item/started'],
      [4, 'item/completed'],
      [5, 'item/started'],
      [6, 'item/delta'],
      [7, 'turn/completed'],
    ]);
    expect(JSON.parse(log[6]!.body)).toEqual({ v: EVENT_VERSION, type: 'turn/completed', threadId: crashed, turnId: 'turn-1', at: expect.any(Number), status: 'interrupted', error });
    expect(withDatabase(file, (db) => storedEvents(db, done)).map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(inspectStore(file)).toMatchObject({ integrity: 'ok', problems: [] });

    // A second start finds nothing left to close.
    const again = await keelOnDb(file);
    expect((await again.request('thread/read', { threadId: crashed, includeTurns: true })).thread.turns).toEqual([turn]);
    expect(await again.close()).toBe(0);
    expect(withDatabase(file, (db) => storedEvents(db, crashed)).length).toBe(7);
  });
});

describe('a crash in the middle of a burst of writes', () => {
  it('leaves a consistent store holding every answered change, which a restarted server serves', async () => {
    const home = tempDir();
    const file = path.join(home, 'keel.db');
    const keel = spawnKeel({ home });
    await initialized(keel);
    const base: string[] = [];
    for (let i = 0; i < 20; i++) base.push((await keel.request('thread/start', { cwd: `/work/crash/${i % 4}` })).thread.id);
    // A turn each: thread/list lists only threads that had one (as Codex); the burst's new threads have none.
    for (const threadId of base) await shellTurn(keel, threadId);

    const BURST = 500;
    const requests = Array.from({ length: BURST }, (_, k) => {
      const threadId = base[k % base.length]!;
      const id: WireId = `burst-${k}`;
      switch (k % 4) {
        case 0:
          return { id, method: 'thread/start', params: { cwd: `/work/crash/${k % 3}` } };
        case 1:
          return { id, method: 'thread/name/set', params: { threadId, name: `name ${k}` } };
        case 2:
          return { id, method: 'thread/archive', params: { threadId } };
        default:
          return { id, method: 'thread/unarchive', params: { threadId } };
      }
    });
    const sending = keel.sendLines(requests.map((r) => JSON.stringify(r)));
    await Promise.all(requests.slice(0, 100).map((r) => keel.response(r.id, 10_000)));
    expect(await keel.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await sending.catch(() => undefined); // the pipe may break under the last chunks

    const answers = new Map(keel.messages.filter((m) => typeof m.id === 'string' && m.id.startsWith('burst-')).map((m) => [m.id as string, m]));
    expect([...answers.values()].filter((m) => m.error !== undefined)).toEqual([]);
    const answeredStarts = requests.filter((r) => r.method === 'thread/start' && answers.has(r.id as string));
    const startedIds = answeredStarts.map((r) => (answers.get(r.id as string)!.result as { thread: { id: string } }).thread.id);
    expect(startedIds.length).toBeGreaterThanOrEqual(25);
    expect(answers.size).toBeLessThan(BURST); // the kill landed mid-burst

    const store = inspectStore(file);
    expect(store.integrity).toBe('ok');
    expect(store.problems).toEqual([]);
    expect(store.threadIds).toEqual(expect.arrayContaining([...base, ...startedIds]));
    // Requests run in order: a thread's name comes from its last answered rename or a later one.
    for (const threadId of base) {
      const answered = requests.filter((r) => r.method === 'thread/name/set' && r.params.threadId === threadId && answers.has(r.id as string));
      const lastAnswered = answered.length === 0 ? -1 : Number((answered.at(-1)!.id as string).slice('burst-'.length));
      const name = store.summaries.get(threadId)!.name;
      expect(name === null ? -1 : Number(name.slice('name '.length))).toBeGreaterThanOrEqual(lastAnswered);
    }

    const restarted = spawnKeel({ home });
    await initialized(restarted);
    const live = await restarted.request('thread/list', { limit: 1000 });
    const archived = await restarted.request('thread/list', { limit: 1000, archived: true });
    expect([live.nextCursor, archived.nextCursor]).toEqual([null, null]);
    const listed = [...live.data, ...archived.data];
    expect(listed.map((t) => t.id).sort()).toEqual([...base].sort());
    const reads = await Promise.all(listed.map((t) => restarted.request('thread/read', { threadId: t.id, includeTurns: true })));
    // Each read with its one turn (the user's command before the burst).
    expect(reads).toEqual(listed.map((thread) => ({ thread: { ...thread, turns: [expect.objectContaining({ status: 'completed' })] }, cost: { usd: 0, turns: expect.any(Array) }, turnsBackwardsCursor: null })));
    expect(reads.flatMap((read) => read.cost!.turns.map((turn) => turn.usd)).filter((usd) => usd !== 0)).toEqual([]);
    for (const thread of listed) {
      expect(thread).toMatchObject({ cliVersion, status: { type: 'notLoaded' }, name: store.summaries.get(thread.id)!.name, turns: [] });
    }
    expect(await restarted.close()).toBe(0);
  });
});

describe('a damaged event log', () => {
  it('is a server fault naming the damage (-32603, not a bad request); other threads are served', async () => {
    const file = path.join(tempDir(), 'damaged.db');
    const t0 = Date.UTC(2025, 0, 2, 3, 4, 5);
    const [damaged, whole] = ['thread-damaged', 'thread-whole'];
    const e = eventsOf(damaged, t0);
    const w = eventsOf(whole, t0);
    const origin = { ephemeral: false, cliVersion: '0.0.9', forkedFromId: null };
    await writeStore(file, [
      // Each had a turn, after the events this test damages: thread/list lists only such threads.
      [e('thread/created', { settings: fixtureSettings, origin }), e('thread/renamed', { name: 'one' }), e('thread/renamed', { name: 'two' }), e('turn/started', { turnId: 'turn', model: null })],
      [w('thread/created', { settings: fixtureSettings, origin }), w('turn/started', { turnId: 'turn', model: null })],
    ]);
    const db = new Database(file);
    db.prepare('DELETE FROM events WHERE thread_id = ? AND seq = 2').run(damaged);
    db.prepare("UPDATE events SET body = json_set(body, '$.v', 99) WHERE thread_id = ? AND seq = 1").run(whole);
    db.close();

    const keel = await keelOnDb(file);
    expect(await errorOf(keel.request('thread/read', { threadId: damaged }))).toEqual({
      code: -32603,
      message: `event log of thread ${damaged} has a gap: expected seq 2, found 3`,
    });
    expect(await errorOf(keel.request('thread/read', { threadId: whole }))).toEqual({
      code: -32603,
      message: `thread ${whole} seq 1: event version 99 was written by a newer Keel (this one reads up to ${EVENT_VERSION}); upgrade Keel`,
    });
    const listed = await keel.request('thread/list', {});
    expect(listed.data.map((t) => t.id).sort()).toEqual([damaged, whole]);
    expect(await keel.close()).toBe(0);
  });
});
