// thread/search, thread/search/stream (partials, then the final page), the cancels and
// thread/searchOccurrences against the real server, over a store built once: threads with user
// and agent messages (the scripted provider answers), a user's shell command, an archived thread
// and one that never had a turn. Each test reads it with a fresh server (threads notLoaded).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { eventsOf, fixtureSettings, userMessage, writeStore } from '../helpers/store-fixtures.js';
import { errorOf, initialized, spawnKeel, type IncomingMessage, type KeelProcess } from '../helpers/keel-process.js';
import type { Thread } from '../helpers/threads.js';
import { runTurn, turnHome } from '../helpers/turns.js';

const PAD = 'The countdown is long. '.repeat(5);
const ROCKET_ANSWER = `${PAD}Confirmed: rocket 🚀 to orbit.`;
let home: string;
let env: Record<string, string>;
/** Thread objects as a fresh server shows them (notLoaded), by name. */
const threads: Record<string, Thread> = {};
/** The command line thread/shellCommand recorded. */
let commandLine = '';

beforeAll(async () => {
  ({ home, env } = turnHome({ script: [[{ text: ROCKET_ANSWER }], [{ text: 'Parser fixed.' }], [{ text: 'Noted.' }]] }));
  const keel = spawnKeel({ home, env });
  await initialized(keel);
  const start = async (name: string, cwd: string) => {
    const { thread } = await keel.request('thread/start', { cwd });
    await keel.waitFor((m) => m.method === 'thread/started' && (m.params as { thread: { id: string } }).thread.id === thread.id);
    return (threads[name] = thread as Thread).id;
  };
  await runTurn(keel, await start('rocket', '/work/s/a'), 'deploy the rocket 🚀 to orbit');
  await runTurn(keel, await start('zurich', '/work/s/b'), 'fix the Zürich café parser');
  const shell = await start('shell', '/tmp');
  const done = keel.waitFor((m) => m.method === 'turn/completed' && (m.params as { threadId: string }).threadId === shell);
  await keel.request('thread/shellCommand', { threadId: shell, command: 'echo rocket-stage-2' });
  await done;
  await start('empty', '/work/s/a');
  const archived = await start('archived', '/work/s/c');
  await runTurn(keel, archived, 'archive this rocket note');
  await keel.request('thread/archive', { threadId: archived });
  for (const [name, { id }] of Object.entries(threads)) {
    const read = await keel.request('thread/read', { threadId: id, includeTurns: name === 'shell' });
    threads[name] = { ...read.thread, turns: [], status: { type: 'notLoaded' } } as Thread;
    if (name === 'shell') {
      const item = read.thread.turns.flatMap((turn) => turn.items).find((each) => each.type === 'commandExecution');
      commandLine = (item as { command: string }).command;
    }
  }
  expect(await keel.close()).toBe(0);
});

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

async function keelOnStore(): Promise<KeelProcess> {
  const keel = spawnKeel({ home, env });
  await initialized(keel, { experimentalApi: true });
  return keel;
}

const row = (name: string, snippet: string) => ({ snippet, thread: threads[name]! });
/** A message as the test compares it: without the time it was sent. */
const bare = ({ emittedAtMs: _at, ...message }: IncomingMessage) => message;

describe('thread/search', () => {
  it('answers the threads whose messages, commands or paths hold the term, newest first, each with a snippet; cursors page on', async () => {
    const keel = await keelOnStore();
    const rows = [row('shell', commandLine), row('rocket', 'deploy the rocket 🚀 to orbit')];
    expect(await keel.request('thread/search', { searchTerm: 'ROCKET' })).toEqual({ data: rows, nextCursor: null, backwardsCursor: null });
    expect(await keel.request('thread/search', { searchTerm: 'rocket', sortDirection: 'asc' })).toEqual({ data: [...rows].reverse(), nextCursor: null, backwardsCursor: null });
    const first = await keel.request('thread/search', { searchTerm: 'rocket', limit: 1 });
    expect(first).toEqual({ data: [rows[0]], nextCursor: expect.any(String), backwardsCursor: null });
    expect(await keel.request('thread/search', { searchTerm: 'rocket', limit: 1, cursor: first.nextCursor })).toEqual({ data: [rows[1]], nextCursor: null, backwardsCursor: null });
    // A cursor belongs to its term.
    expect((await errorOf(keel.request('thread/search', { searchTerm: 'orbit', cursor: first.nextCursor }))).code).toBe(-32602);
    // Non-ASCII, any case; an agent's answer, cut around the match.
    expect(await keel.request('thread/search', { searchTerm: 'zürich CAFÉ' })).toEqual({ data: [row('zurich', 'fix the Zürich café parser')], nextCursor: null, backwardsCursor: null });
    expect(await keel.request('thread/search', { searchTerm: 'Confirmed: rocket' })).toEqual({
      data: [row('rocket', `…${ROCKET_ANSWER.slice(ROCKET_ANSWER.indexOf('Confirmed') - 60)}`)],
      nextCursor: null,
      backwardsCursor: null,
    });
    expect(await keel.request('thread/search', { searchTerm: 'rocket', archived: true })).toEqual({ data: [row('archived', 'archive this rocket note')], nextCursor: null, backwardsCursor: null });
    expect(await keel.request('thread/search', { searchTerm: 'rocket', sourceKinds: ['cli'] })).toEqual({ data: [], nextCursor: null, backwardsCursor: null });
    expect(await keel.request('thread/search', { searchTerm: 'no such words' })).toEqual({ data: [], nextCursor: null, backwardsCursor: null });
    expect(await errorOf(keel.request('thread/search', { searchTerm: 'rocket', currentAccountOnly: true }))).toMatchObject({ code: -32602, message: expect.stringContaining('currentAccountOnly') });
    expect(await errorOf(keel.request('thread/search', { searchTerm: '   ' }))).toMatchObject({ code: -32602, message: expect.stringContaining('searchTerm') });
    await keel.close();
  });

  it('is experimental, as in Codex: refused without the capability', async () => {
    const keel = spawnKeel({ home, env });
    await initialized(keel);
    expect((await errorOf(keel.request('thread/search', { searchTerm: 'rocket' }))).message).toContain('thread/search');
    await keel.close();
  });

  it('streams its rows in thread/search/partial notifications, then answers the final page', async () => {
    const keel = await keelOnStore();
    const before = keel.messages.length;
    keel.sendLine(JSON.stringify({ id: 'stream-1', method: 'thread/search/stream', params: { searchTerm: 'rocket' } }));
    await keel.response('stream-1');
    const rows = [row('shell', commandLine), row('rocket', 'deploy the rocket 🚀 to orbit')];
    expect(keel.messages.slice(before).map(bare)).toEqual([
      { method: 'thread/search/partial', params: { requestId: 'stream-1', data: rows } },
      { id: 'stream-1', result: { data: rows, nextCursor: null, backwardsCursor: null } },
    ]);
    await keel.close();
  });

  it('cancels a search in flight on the same connection: it answers an error; a cancel of nothing answers {}', async () => {
    const keel = await keelOnStore();
    // Both lines in one write: the cancel is read while the search runs (it yields before it reads).
    await keel.sendLines([
      JSON.stringify({ id: 41, method: 'thread/search/stream', params: { searchTerm: 'rocket' } }),
      JSON.stringify({ id: 42, method: 'thread/search/stream/cancel', params: { requestId: 41 } }),
    ]);
    expect(bare(await keel.response(41))).toEqual({ id: 41, error: { code: -32600, message: 'the search was cancelled' } });
    expect(bare(await keel.response(42))).toEqual({ id: 42, result: {} });
    await keel.sendLines([
      JSON.stringify({ id: 43, method: 'thread/search', params: { searchTerm: 'rocket' } }),
      JSON.stringify({ id: 44, method: 'thread/search/cancel', params: { requestId: 43 } }),
    ]);
    expect(bare(await keel.response(43))).toEqual({ id: 43, error: { code: -32600, message: 'the search was cancelled' } });
    // The cancel of the other method does not reach it; a done or unknown request: nothing, {}.
    await keel.sendLines([
      JSON.stringify({ id: 45, method: 'thread/search', params: { searchTerm: 'rocket' } }),
      JSON.stringify({ id: 46, method: 'thread/search/stream/cancel', params: { requestId: 45 } }),
    ]);
    expect((await keel.response(45)).result).toEqual({ data: [row('shell', commandLine), row('rocket', 'deploy the rocket 🚀 to orbit')], nextCursor: null, backwardsCursor: null });
    expect(await keel.request('thread/search/cancel', { requestId: 45 })).toEqual({});
    expect(await keel.request('thread/search/cancel', { requestId: 'never-sent' })).toEqual({});
    await keel.close();
  });
});

describe('thread/searchOccurrences', () => {
  it('answers every occurrence in the user and agent messages, oldest first, with UTF-16 ranges and turn cursors; pages on', async () => {
    const keel = await keelOnStore();
    const { id } = threads.rocket!;
    const { data: turns } = await keel.request('thread/turns/list', { threadId: id });
    const turnId = turns[0]!.id;
    const items = turns[0]!.items;
    const userId = items.find((item) => item.type === 'userMessage')!.id;
    const agentId = items.find((item) => item.type === 'agentMessage')!.id;
    const all = await keel.request('thread/searchOccurrences', { threadId: id, searchTerm: '🚀 TO' });
    const turnCursor = all.data[0]!.turnCursor;
    const agentStart = ROCKET_ANSWER.indexOf('🚀') - (ROCKET_ANSWER.indexOf('🚀') - 60) + 1;
    expect(all).toEqual({
      data: [
        { itemId: userId, turnId, turnCursor, snippet: 'deploy the rocket 🚀 to orbit', snippetMatchRange: { start: 18, end: 23 } },
        { itemId: agentId, turnId, turnCursor, snippet: `…${ROCKET_ANSWER.slice(ROCKET_ANSWER.indexOf('🚀') - 60)}`, snippetMatchRange: { start: agentStart, end: agentStart + 5 } },
      ],
      nextCursor: null,
    });
    // The turn cursor opens thread/turns/list at that turn.
    expect((await keel.request('thread/turns/list', { threadId: id, cursor: turnCursor })).data.map((turn) => turn.id)).toEqual([turnId]);
    const first = await keel.request('thread/searchOccurrences', { threadId: id, searchTerm: '🚀 to', limit: 1 });
    expect(first).toEqual({ data: [all.data[0]], nextCursor: expect.any(String) });
    expect(await keel.request('thread/searchOccurrences', { threadId: id, searchTerm: '🚀 to', cursor: first.nextCursor })).toEqual({ data: [all.data[1]], nextCursor: null });
    expect(await keel.request('thread/searchOccurrences', { threadId: id, searchTerm: 'absent' })).toEqual({ data: [], nextCursor: null });
    expect((await errorOf(keel.request('thread/searchOccurrences', { threadId: 'nope', searchTerm: 'x' }))).code).toBe(-32600);
    await keel.close();
  });
});

describe('a store written before the index (schema version 4)', () => {
  it('is indexed by migration 5 when Keel opens it: its threads are found and listed as before', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'old-'));
    const file = path.join(dir, 'keel.db');
    const origin = { ephemeral: false, cliVersion: '0.0.9', forkedFromId: null };
    const logs = ['old-a', 'old-b'].map((id, i) => {
      const e = eventsOf(id, Date.UTC(2025, 0, 1 + i));
      const said = userMessage(`${id}-u`, i === 0 ? 'the legacy café 🚀 importer' : 'unrelated work');
      return [
        e('thread/created', { settings: fixtureSettings, origin }),
        e('turn/started', { turnId: `${id}-t`, model: null }),
        e('item/completed', { turnId: `${id}-t`, itemId: said.id, item: said }),
        e('turn/completed', { turnId: `${id}-t`, status: 'completed', error: null }),
      ];
    });
    await writeStore(file, logs);
    // As Keel left it before the index: schema version 4, no documents, no has_turns.
    const old = new Database(file);
    old.exec(`drop trigger thread_search_docs_ai; drop trigger thread_search_docs_ad; drop trigger thread_search_docs_au;
      drop table thread_search_fts; drop table thread_search_docs; alter table threads drop column has_turns;
      drop table thread_sections; drop table thread_section_members; drop table thread_attachments; pragma user_version = 4;`);
    old.close();
    const keel = spawnKeel({ home, env, args: ['--db', file] });
    await initialized(keel, { experimentalApi: true });
    const { data } = await keel.request('thread/search', { searchTerm: 'CAFÉ 🚀' });
    expect(data.map((row) => [row.thread.id, row.snippet])).toEqual([['old-a', 'the legacy café 🚀 importer']]);
    expect((await keel.request('thread/list', {})).data.map((thread) => thread.id)).toEqual(['old-b', 'old-a']);
    await keel.close();
    const upgraded = new Database(file, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    upgraded.close();
  });
});
