import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf, initialized, spawnKeel, type KeelProcess, type SpawnOptions } from '../helpers/keel-process.js';
import { shellTurn, startUsedThread } from '../helpers/turns.js';
import {
  expectedSession,
  expectedThread,
  notifications,
  positionOf,
  storedEvents,
  storedThreadIds,
  useTempDirs,
  withDatabase,
  type Thread,
} from '../helpers/threads.js';

const tempDir = useTempDirs();

async function keelOn(options: SpawnOptions = {}): Promise<KeelProcess> {
  const keel = spawnKeel(options);
  await initialized(keel);
  return keel;
}

/** The response message a `request` result came in (results are handed out by identity). */
function responseTo(keel: KeelProcess, result: unknown) {
  return keel.messages.find((m) => m.result === result)!;
}

const notLoaded = (thread: Thread): Thread => ({ ...thread, status: { type: 'notLoaded' } });
const notFound = (id: string) => ({ code: -32600, message: `thread not found: ${id}` });
/** A thread no model was called in: its cost is known, nothing (thread/read's Keel extension). */
const noCost = { usd: 0, turns: [] };
/** A thread with one turn (a user's command: no model call). */
const oneTurnCost = { usd: 0, turns: [{ turnId: expect.any(String), usd: 0 }] };

describe('thread/start', () => {
  it('answers the whole session with defaults, then sends thread/started with the same Thread', async () => {
    const cwd = tempDir();
    const keel = await keelOn({ cwd });
    const started = await keel.request('thread/start', { cwd: 'sub/../work' });
    expect(started).toEqual(expectedSession(expectedThread(path.join(cwd, 'work'))));
    expect(started.thread.sessionId).toBe(started.thread.id);
    expect(started.thread.updatedAt).toBe(started.thread.createdAt);
    expect(Math.abs(started.thread.createdAt - Date.now() / 1000)).toBeLessThan(60);

    const notification = await keel.waitFor('thread/started');
    expect(notification).toEqual({ method: 'thread/started', params: { thread: started.thread }, emittedAtMs: expect.any(Number), seq: 1 });
    expect(positionOf(keel, notification)).toBeGreaterThan(positionOf(keel, responseTo(keel, started)));

    // No cwd: the server's own; explicit policies are echoed in their response shapes.
    const other = await keel.request('thread/start', { approvalPolicy: 'never', sandbox: 'read-only', model: 'gpt-5', modelProvider: 'openai' });
    expect(other).toEqual(
      expectedSession(expectedThread(cwd, { model: 'gpt-5', modelProvider: 'openai' }), { approvalPolicy: 'never', sandbox: { type: 'readOnly', networkAccess: false } }),
    );
    expect(other.thread.id).not.toBe(started.thread.id);
  });
});

describe('stored threads across restarts', () => {
  it('lists loaded threads as idle, stored ones as notLoaded, and resume loads them with overrides', async () => {
    const home = tempDir();
    const first = await keelOn({ home });
    const started = [(await first.request('thread/start', { cwd: '/work/a' })).thread, (await first.request('thread/start', { cwd: '/work/b' })).thread];
    // thread/list lists only threads that had a turn (as Codex): a user's command gives each one.
    for (const thread of started) await shellTurn(first, thread.id);
    const [a, b] = (await Promise.all(started.map(async ({ id }) => (await first.request('thread/read', { threadId: id })).thread))) as [Thread, Thread];
    expect(await first.request('thread/list', {})).toEqual({ data: [b, a], nextCursor: null, backwardsCursor: null });
    expect(await first.close()).toBe(0);

    const second = await keelOn({ home });
    expect(await second.request('thread/list', {})).toEqual({ data: [notLoaded(b), notLoaded(a)], nextCursor: null, backwardsCursor: null });
    expect(await second.request('thread/read', { threadId: a.id })).toEqual({ thread: notLoaded(a), cost: oneTurnCost });
    expect(await second.request('thread/loaded/list', {})).toEqual({ data: [], nextCursor: null });

    const resumed = await second.request('thread/resume', { threadId: a.id, modelProvider: 'openai', model: 'gpt-5' });
    const aResumed = { ...a, model: 'gpt-5', modelProvider: 'openai', updatedAt: expect.any(Number) };
    // Resume answers the thread's latest turns: here its one turn (the user's command).
    const session = expectedSession(aResumed);
    expect(resumed).toEqual({
      ...session,
      thread: { ...session.thread, turns: [expect.objectContaining({ status: 'completed', items: [expect.objectContaining({ type: 'commandExecution', source: 'userShell' })] })] },
      collaborationMode: null,
      turnsBackwardsCursor: null,
      itemsBackwardsCursor: null,
      cost: oneTurnCost,
    });
    expect(await second.request('thread/read', { threadId: a.id })).toEqual({ thread: aResumed, cost: oneTurnCost });
    expect(await second.request('thread/list', {})).toEqual({ data: [notLoaded(b), aResumed], nextCursor: null, backwardsCursor: null });
    expect(await second.request('thread/loaded/list', {})).toEqual({ data: [a.id], nextCursor: null });
    // Resuming without overrides records nothing; the override is one settings change in the log.
    await second.request('thread/resume', { threadId: a.id, modelProvider: 'openai', model: 'gpt-5' });
    expect(await second.close()).toBe(0);
    const types = withDatabase(path.join(home, 'keel.db'), (db) => storedEvents(db, a.id).map((e) => e.type));
    expect([types[0], types.at(-2), types.at(-1), types.filter((type) => type === 'thread/settingsChanged').length]).toEqual(['thread/created', 'turn/completed', 'thread/settingsChanged', 1]);

    const third = await keelOn({ home });
    expect(await third.request('thread/read', { threadId: a.id })).toEqual({ thread: notLoaded(aResumed), cost: oneTurnCost });
    expect(await errorOf(third.request('thread/resume', { threadId: 'missing' }))).toEqual(notFound('missing'));
  });
});

describe('cwd overrides', () => {
  // Known bug: settingsOverrides (src/engine/thread-settings.ts) changes cwd but keeps the old
  // workspace-write policy, so the thread runs in the new cwd with only the old one writable
  // (thread/start derives writableRoots from cwd). Remove `.fails` once src/ re-derives it.
  it('move the workspace-write root on resume and fork', async () => {
    const keel = await keelOn();
    const { thread } = await keel.request('thread/start', { cwd: '/work/one' });
    const resumed = await keel.request('thread/resume', { threadId: thread.id, cwd: '/work/two' });
    const forked = await keel.request('thread/fork', { threadId: thread.id, cwd: '/work/three' });
    expect([resumed.cwd, resumed.sandbox, forked.cwd, forked.sandbox]).toEqual([
      '/work/two',
      expectedSession(expectedThread('/work/two')).sandbox,
      '/work/three',
      expectedSession(expectedThread('/work/three')).sandbox,
    ]);
  });
});

describe('thread/fork', () => {
  it('creates a new thread with forkedFromId, the source name and overrides, and sends thread/started', async () => {
    const keel = await keelOn();
    const source = (await keel.request('thread/start', { cwd: '/work/src' })).thread;
    await keel.request('thread/name/set', { threadId: source.id, name: 'Original' });
    const forked = await keel.request('thread/fork', { threadId: source.id, modelProvider: 'openai', model: 'gpt-fork' });
    const thread = expectedThread('/work/src', { name: 'Original', forkedFromId: source.id, model: 'gpt-fork', modelProvider: 'openai' });
    expect(forked).toEqual(expectedSession(thread));
    expect(forked.thread.id).not.toBe(source.id);
    const started = await keel.waitFor((m) => m.method === 'thread/started' && (m.params as { thread: Thread }).thread.id === forked.thread.id);
    expect(started.params).toEqual({ thread: forked.thread });
    expect(positionOf(keel, started)).toBeGreaterThan(positionOf(keel, responseTo(keel, forked)));
    for (const threadId of [source.id, forked.thread.id]) await shellTurn(keel, threadId);
    expect((await keel.request('thread/list', {})).data.map((t) => [t.id, t.forkedFromId])).toEqual([
      [forked.thread.id, source.id],
      [source.id, null],
    ]);
    expect(await errorOf(keel.request('thread/fork', { threadId: 'nope' }))).toEqual(notFound('nope'));
    expect(await errorOf(keel.request('thread/fork', { threadId: source.id, lastTurnId: 't-x' }))).toEqual({ code: -32600, message: 'turn not found: t-x' });
  });
});

describe('thread mutations', () => {
  it('renames: {} then thread/name/updated, even for a thread the caller is not subscribed to', async () => {
    const home = tempDir();
    const first = await keelOn({ home });
    const thread = await startUsedThread(first);
    expect(await first.request('thread/name/set', { threadId: thread.id, name: 'Demo' })).toEqual({});
    expect((await first.waitFor('thread/name/updated')).params).toEqual({ threadId: thread.id, threadName: 'Demo' });
    expect((await first.request('thread/read', { threadId: thread.id })).thread).toEqual({ ...thread, name: 'Demo', updatedAt: expect.any(Number) });
    expect(await errorOf(first.request('thread/name/set', { threadId: 'nope', name: 'x' }))).toEqual(notFound('nope'));
    const tooLong = 'too long: 4097 characters, the maximum is 4096';
    expect(await errorOf(first.request('thread/name/set', { threadId: thread.id, name: 'n'.repeat(4097) }))).toEqual({
      code: -32602,
      message: `Invalid params: name: ${tooLong}`,
      data: { issues: [{ path: 'name', message: tooLong }] },
    });
    await first.close();

    const second = await keelOn({ home });
    expect(await second.request('thread/name/set', { threadId: thread.id, name: 'Renamed' })).toEqual({});
    expect((await second.waitFor('thread/name/updated')).params).toEqual({ threadId: thread.id, threadName: 'Renamed' });
    expect((await second.request('thread/list', {})).data).toEqual([notLoaded({ ...thread, name: 'Renamed', updatedAt: expect.any(Number) })]);
    expect(await second.request('thread/loaded/list', {})).toEqual({ data: [], nextCursor: null });
  });

  it('archives and unarchives with notifications; thread/list filters on archived', async () => {
    const keel = await keelOn();
    const kept = (await startUsedThread(keel));
    const thread = (await startUsedThread(keel));
    const before = keel.messages.length;
    expect(await keel.request('thread/archive', { threadId: thread.id })).toEqual({});
    expect(await keel.waitFor('thread/archived')).toEqual({ method: 'thread/archived', params: { threadId: thread.id }, emittedAtMs: expect.any(Number), seq: expect.any(Number) });
    // As Codex: the archived thread is unloaded before the answer, and thread/archived follows it.
    expect(keel.messages.slice(before).map((m) => m.method ?? 'response')).toEqual(['thread/status/changed', 'response', 'thread/archived']);
    expect(keel.messages[before]!.params).toEqual({ threadId: thread.id, status: { type: 'notLoaded' } });
    const empty = { nextCursor: null, backwardsCursor: null };
    const later = { ...thread, status: { type: 'notLoaded' as const }, updatedAt: expect.any(Number) };
    expect(await keel.request('thread/list', {})).toEqual({ data: [kept], ...empty });
    expect(await keel.request('thread/list', { archived: false })).toEqual({ data: [kept], ...empty });
    expect(await keel.request('thread/list', { archived: true })).toEqual({ data: [later], ...empty });

    expect(await keel.request('thread/unarchive', { threadId: thread.id })).toEqual({ thread: later });
    expect(await keel.waitFor('thread/unarchived')).toEqual({ method: 'thread/unarchived', params: { threadId: thread.id }, emittedAtMs: expect.any(Number), seq: expect.any(Number) });
    expect(await keel.request('thread/list', { archived: true })).toEqual({ data: [], ...empty });
    expect(await keel.request('thread/list', {})).toEqual({ data: [later, kept], ...empty });
    expect(await errorOf(keel.request('thread/archive', { threadId: 'nope' }))).toEqual(notFound('nope'));
    expect(await errorOf(keel.request('thread/unarchive', { threadId: 'nope' }))).toEqual(notFound('nope'));
  });

  it('deletes: {} then thread/deleted; the thread is gone from reads, lists and the database', async () => {
    const home = tempDir();
    const keel = await keelOn({ home });
    const kept = (await startUsedThread(keel));
    const thread = await startUsedThread(keel);
    expect(await keel.request('thread/delete', { threadId: thread.id })).toEqual({});
    expect(await keel.waitFor('thread/deleted')).toEqual({ method: 'thread/deleted', params: { threadId: thread.id }, emittedAtMs: expect.any(Number) });
    expect(await errorOf(keel.request('thread/read', { threadId: thread.id }))).toEqual(notFound(thread.id));
    expect(await errorOf(keel.request('thread/delete', { threadId: thread.id }))).toEqual(notFound(thread.id));
    expect((await keel.request('thread/list', {})).data).toEqual([kept]);
    expect(await keel.request('thread/loaded/list', {})).toEqual({ data: [kept.id], nextCursor: null });
    await keel.close();
    withDatabase(path.join(home, 'keel.db'), (db) => {
      expect(storedThreadIds(db)).toEqual([kept.id]);
      expect(storedEvents(db, thread.id)).toEqual([]);
    });
  });

  it('unsubscribes: unsubscribed, then notLoaded once the thread is unloaded', async () => {
    const keel = await keelOn();
    const { thread } = await keel.request('thread/start', {});
    expect(await keel.request('thread/unsubscribe', { threadId: thread.id })).toEqual({ status: 'unsubscribed' });
    expect(await keel.request('thread/loaded/list', {})).toEqual({ data: [], nextCursor: null });
    expect(await keel.request('thread/read', { threadId: thread.id })).toEqual({ thread: notLoaded(thread), cost: noCost });
    expect(await keel.request('thread/unsubscribe', { threadId: thread.id })).toEqual({ status: 'notLoaded' });
    expect(await keel.request('thread/unsubscribe', { threadId: 'unknown' })).toEqual({ status: 'notLoaded' });
    // Resuming subscribes again.
    await keel.request('thread/resume', { threadId: thread.id });
    expect(await keel.request('thread/unsubscribe', { threadId: thread.id })).toEqual({ status: 'unsubscribed' });
  });
});

describe('thread/loaded/list', () => {
  it('lists the loaded ids in order and pages them', async () => {
    const keel = await keelOn();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await keel.request('thread/start', {})).thread.id);
    const sorted = [...ids].sort();
    expect(await keel.request('thread/loaded/list', {})).toEqual({ data: sorted, nextCursor: null });
    const page1 = await keel.request('thread/loaded/list', { limit: 2 });
    expect(page1).toEqual({ data: sorted.slice(0, 2), nextCursor: expect.any(String) });
    expect(await keel.request('thread/loaded/list', { limit: 2, cursor: page1.nextCursor })).toEqual({ data: sorted.slice(2), nextCursor: null });
  });
});

describe('ephemeral threads', () => {
  it('are loaded and readable, but never stored or listed', async () => {
    const home = tempDir();
    const first = await keelOn({ home });
    const stored = (await startUsedThread(first));
    const started = await first.request('thread/start', { ephemeral: true });
    const thread = started.thread;
    expect(started).toEqual(expectedSession(expectedThread(stored.cwd, { ephemeral: true })));
    expect((await first.waitFor((m) => m.method === 'thread/started' && (m.params as { thread: Thread }).thread.ephemeral)).params).toEqual({ thread });
    await first.request('thread/name/set', { threadId: thread.id, name: 'ephemeral name' });
    expect((await first.request('thread/read', { threadId: thread.id })).thread).toEqual({ ...thread, name: 'ephemeral name', updatedAt: expect.any(Number) });
    expect(await first.request('thread/loaded/list', {})).toEqual({ data: [stored.id, thread.id].sort(), nextCursor: null });
    expect((await first.request('thread/list', {})).data).toEqual([stored]);
    expect(await first.close()).toBe(0);

    const second = await keelOn({ home });
    expect((await second.request('thread/list', {})).data).toEqual([notLoaded(stored)]);
    expect(await errorOf(second.request('thread/read', { threadId: thread.id }))).toEqual(notFound(thread.id));
    await second.close();
    withDatabase(path.join(home, 'keel.db'), (db) => {
      expect(storedThreadIds(db)).toEqual([stored.id]);
      expect(new Set(storedEvents(db).map((e) => e.thread_id))).toEqual(new Set([stored.id]));
    });
  });
});

describe('database location', () => {
  it.each([
    { name: '--db PATH', spawn: (file: string) => ({ args: ['--db', file] }) },
    { name: '--db=PATH', spawn: (file: string) => ({ args: [`--db=${file}`] }) },
    { name: 'KEEL_DB', spawn: (file: string) => ({ env: { KEEL_DB: file } }) },
  ])('$name puts the database where asked', async ({ spawn }) => {
    const home = tempDir();
    const file = path.join(tempDir(), 'nested', 'threads.sqlite');
    const keel = await keelOn({ home, env: { KEEL_DB: undefined }, ...spawn(file) });
    const thread = await startUsedThread(keel);
    expect(await keel.close()).toBe(0);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.existsSync(path.join(home, 'keel.db'))).toBe(false);
    expect(withDatabase(file, storedThreadIds)).toEqual([thread.id]);

    const again = await keelOn({ home, env: { KEEL_DB: undefined }, ...spawn(file) });
    expect((await again.request('thread/list', {})).data).toEqual([notLoaded(thread)]);
    const elsewhere = await keelOn({ home, env: { KEEL_DB: undefined } });
    expect((await elsewhere.request('thread/list', {})).data).toEqual([]);
    expect(notifications(elsewhere)).toEqual([]);
  });
});
