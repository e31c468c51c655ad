import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadListParams, ThreadListResponse } from '../../generated/protocol.js';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import type { Thread } from '../helpers/threads.js';

// One store of 30 threads, built once and read by a fresh server in each test (so every thread is
// `notLoaded`). Thread i: cwd CWDS[i % 3]; provider by i % 5; some renamed (see NAMES); each had a
// turn (a user's shell command: COMMANDS, else `true`), and one more thread never had one, which
// thread/list never lists (as Codex); thread 29 is archived.
const COUNT = 30;
const CWDS = ['/work/list/a', '/work/list/b', '/work/list/c'];
const PROVIDERS: Record<number, string> = { 1: 'openai', 2: 'anthropic' };
const NAMES: Record<number, string> = {
  3: 'needle three',
  5: 'plain five',
  8: 'a needle eight',
  11: '100% done',
  13: 'needle thirteen',
  17: 'nul\u0000byte',
  20: 'under_score',
  27: 'haystack needle',
};
const RENAMED = Object.keys(NAMES).map(Number);
/** Commands of the threads' turns, found by the full-text index. */
const COMMANDS: Record<number, string> = { 4: 'echo haystack-four' };

/** A turn of the thread's own: the user's shell command, until its turn/completed. */
async function shellTurn(keel: KeelProcess, threadId: string, command: string): Promise<void> {
  const completed = keel.waitFor((m) => m.method === 'turn/completed' && (m.params as { threadId: string }).threadId === threadId);
  await keel.request('thread/shellCommand', { threadId, command });
  await completed;
}

let home: string;
/** Each thread as thread/read showed it after the setup, but notLoaded; index = creation order. */
let threads: Thread[];
/** The thread that never had a turn. */
let turnless: string;
/** Thread 29, archived after the setup (not in `threads`). */
let archived: Thread;

beforeAll(async () => {
  home = makeTempHome();
  const keel = spawnKeel({ home });
  await initialized(keel);
  const ids: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const provider = PROVIDERS[i % 5];
    ids.push((await keel.request('thread/start', { cwd: CWDS[i % 3], ...(provider ? { modelProvider: provider } : {}) })).thread.id);
    await shellTurn(keel, ids[i]!, COMMANDS[i] ?? 'true');
  }
  turnless = (await keel.request('thread/start', { cwd: CWDS[0] })).thread.id;
  // Renames must land after every creation, not in the same millisecond as the last one: a tie on
  // updated_at would be broken by id, against the order this test expects. Ask until the clock ticks.
  const createdBy = Date.now();
  while (Date.now() <= createdBy + 1) await keel.request('thread/loaded/list', {});
  for (const i of RENAMED) await keel.request('thread/name/set', { threadId: ids[i]!, name: NAMES[i]! });
  threads = [];
  for (const id of ids) threads.push({ ...(await keel.request('thread/read', { threadId: id })).thread, status: { type: 'notLoaded' } });
  const extra = (await keel.request('thread/start', { cwd: CWDS[1] })).thread.id;
  await shellTurn(keel, extra, 'true');
  await keel.request('thread/archive', { threadId: extra });
  archived = { ...(await keel.request('thread/read', { threadId: extra })).thread, status: { type: 'notLoaded' } };
  expect(await keel.close()).toBe(0);
});

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

async function keelOnStore(): Promise<KeelProcess> {
  const keel = spawnKeel({ home });
  await initialized(keel);
  return keel;
}

const page = (data: Thread[], nextCursor: string | null = null): ThreadListResponse => ({ data, nextCursor, backwardsCursor: null });
const newestFirst = () => [...threads].reverse();
const where = (keep: (i: number) => boolean) => newestFirst().filter((t) => keep(threads.indexOf(t)));
/** Oldest update first: the never-renamed threads by creation, then the renamed ones in rename order. */
const byUpdate = () => [...threads.filter((_, i) => !RENAMED.includes(i)), ...RENAMED.map((i) => threads[i]!)];

/** Follows nextCursor to the end; returns every page. */
async function allPages(keel: KeelProcess, params: ThreadListParams): Promise<ThreadListResponse[]> {
  const pages = [await keel.request('thread/list', params)];
  while (pages.at(-1)!.nextCursor !== null) {
    pages.push(await keel.request('thread/list', { ...params, cursor: pages.at(-1)!.nextCursor }));
    expect(pages.length).toBeLessThanOrEqual(COUNT + 1);
  }
  return pages;
}

function expectEachOnce(pages: ThreadListResponse[], expected: Thread[]): void {
  const ids = pages.flatMap((p) => p.data.map((t) => t.id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(pages.flatMap((p) => p.data)).toEqual(expected);
}

describe('thread/list sorting', () => {
  it('sorts by created_at, newest first, by default; oldest first with sortDirection asc', async () => {
    const keel = await keelOnStore();
    expect(await keel.request('thread/list', {})).toEqual(page(newestFirst()));
    expect(await keel.request('thread/list', { sortKey: 'created_at', sortDirection: 'desc' })).toEqual(page(newestFirst()));
    expect(await keel.request('thread/list', { sortDirection: 'asc' })).toEqual(page(threads));
  });

  it('sorts by updated_at (a rename bumps it), recency_at sorting the same way', async () => {
    const keel = await keelOnStore();
    expect(await keel.request('thread/list', { sortKey: 'updated_at' })).toEqual(page(byUpdate().reverse()));
    expect(await keel.request('thread/list', { sortKey: 'updated_at', sortDirection: 'asc' })).toEqual(page(byUpdate()));
    expect(await keel.request('thread/list', { sortKey: 'recency_at' })).toEqual(page(byUpdate().reverse()));
    for (const i of RENAMED) expect(threads[i]!.updatedAt).toBeGreaterThanOrEqual(threads[i]!.createdAt);
  });
});

describe('thread/list paging', () => {
  it('visits every thread exactly once with limit + nextCursor', async () => {
    const keel = await keelOnStore();
    const pages = await allPages(keel, { limit: 7 });
    expect(pages.map((p) => p.data.length)).toEqual([7, 7, 7, 7, 2]);
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, false, false, true]);
    expectEachOnce(pages, newestFirst());
    expectEachOnce(await allPages(keel, { limit: 4, sortKey: 'updated_at', sortDirection: 'asc' }), byUpdate());
    expectEachOnce(await allPages(keel, { limit: 30 }), newestFirst());
  });

  it('ends a page early at maxBytes, with a cursor that continues right after it', async () => {
    const keel = await keelOnStore();
    const all = newestFirst();
    const size = (t: Thread) => JSON.stringify(t).length;
    const first = await keel.request('thread/list', { limit: 10, maxBytes: size(all[0]!) + size(all[1]!) });
    expect(first).toEqual(page(all.slice(0, 2), expect.any(String)));
    const second = await keel.request('thread/list', { limit: 10, cursor: first.nextCursor, maxBytes: size(all[2]!) + size(all[3]!) + size(all[4]!) });
    expect(second).toEqual(page(all.slice(2, 5), expect.any(String)));
    const rest = await keel.request('thread/list', { limit: 1000, cursor: second.nextCursor });
    expect(rest).toEqual(page(all.slice(5)));
    // A budget smaller than any entry still returns one entry per page.
    const pages = await allPages(keel, { limit: 5, maxBytes: 1 });
    expect(pages.map((p) => p.data.length)).toEqual(all.map(() => 1));
    expectEachOnce(pages, all);
  });

  it('answers a bad cursor with -32602 naming the cursor', async () => {
    const keel = await keelOnStore();
    expect(await errorOf(keel.request('thread/list', { cursor: 'garbage' }))).toEqual({
      code: -32602,
      message: 'Invalid params: cursor: invalid cursor: garbage',
      data: { issues: [{ path: 'cursor', message: 'invalid cursor: garbage' }] },
    });
    // A cursor of another listing (other sort key or direction) is refused too.
    const { nextCursor } = await keel.request('thread/list', { limit: 3, sortKey: 'updated_at' });
    for (const params of [{}, { sortKey: 'updated_at', sortDirection: 'asc' }] as const) {
      const error = await errorOf(keel.request('thread/list', { ...params, cursor: nextCursor }));
      expect(error).toMatchObject({ code: -32602, message: expect.stringContaining('cursor') });
    }
  });
});

describe('thread/list filters', () => {
  it('filters by cwd, a path or a list of them', async () => {
    const keel = await keelOnStore();
    expect(await keel.request('thread/list', { cwd: CWDS[1] })).toEqual(page(where((i) => i % 3 === 1)));
    expect(await keel.request('thread/list', { cwd: [CWDS[0]!, CWDS[2]!] })).toEqual(page(where((i) => i % 3 !== 1)));
    expect(await keel.request('thread/list', { cwd: '/work/list/none' })).toEqual(page([]));
    const pages = await allPages(keel, { cwd: [CWDS[2]!], limit: 3 });
    expect(pages.map((p) => p.data.length)).toEqual([3, 3, 3, 1]);
    expectEachOnce(pages, where((i) => i % 3 === 2));
  });

  it('filters by searchTerm, a substring of the name in any ASCII case (% and _ taken literally)', async () => {
    const keel = await keelOnStore();
    const named = (match: (name: string) => boolean) => where((i) => NAMES[i] !== undefined && match(NAMES[i]!));
    expect(await keel.request('thread/list', { searchTerm: 'needle' })).toEqual(page(named((n) => n.includes('needle'))));
    expect(await keel.request('thread/list', { searchTerm: 'needle e' })).toEqual(page(named((n) => n === 'a needle eight')));
    expect(await keel.request('thread/list', { searchTerm: '%' })).toEqual(page(named((n) => n === '100% done')));
    expect(await keel.request('thread/list', { searchTerm: '_' })).toEqual(page(named((n) => n === 'under_score')));
    expect(await keel.request('thread/list', { searchTerm: 'absent' })).toEqual(page([]));
    expect(await keel.request('thread/list', { searchTerm: 'needle', sortDirection: 'asc', limit: 1 })).toEqual(page([threads[3]!], expect.any(String)));
    expect(await keel.request('thread/list', { searchTerm: 'NeeDLE' })).toEqual(page(named((n) => n.includes('needle'))));
  });

  it('takes a NUL in searchTerm as a character like any other (it used to end the pattern: "\\0" matched every thread)', async () => {
    const keel = await keelOnStore();
    const nul = page([threads[17]!]);
    expect(await keel.request('thread/list', { searchTerm: '\u0000' })).toEqual(nul);
    expect(await keel.request('thread/list', { searchTerm: '\u0000byte' })).toEqual(nul);
    expect(await keel.request('thread/list', { searchTerm: 'needle\u0000' })).toEqual(page([]));
  });

  it('answers a searchTerm over 4,096 characters with -32602 saying so (SQLite refused long patterns as an internal error)', async () => {
    const keel = await keelOnStore();
    const message = 'too long: 60000 characters, the maximum is 4096';
    expect(await errorOf(keel.request('thread/list', { searchTerm: 'n'.repeat(60_000) }))).toEqual({
      code: -32602,
      message: `Invalid params: searchTerm: ${message}`,
      data: { issues: [{ path: 'searchTerm', message }] },
    });
    expect(await keel.request('thread/list', { searchTerm: 'n'.repeat(4096) })).toEqual(page([]));
  });

  it('filters by modelProviders, and combines filters', async () => {
    const keel = await keelOnStore();
    expect(await keel.request('thread/list', { modelProviders: ['openai'] })).toEqual(page(where((i) => i % 5 === 1)));
    expect(await keel.request('thread/list', { modelProviders: ['openai', 'anthropic'] })).toEqual(page(where((i) => i % 5 === 1 || i % 5 === 2)));
    expect(await keel.request('thread/list', { modelProviders: ['scripted'] })).toEqual(page(where((i) => i % 5 > 2 || i % 5 === 0)));
    expect(await keel.request('thread/list', { modelProviders: ['openai'], cwd: CWDS[0] })).toEqual(page(where((i) => i % 5 === 1 && i % 3 === 0)));
    expect(await keel.request('thread/list', { modelProviders: ['openai', 'anthropic'], searchTerm: 'needle' })).toEqual(page([threads[27]!]));
    // Present but empty means every provider (Codex's schema says so).
    expect(await keel.request('thread/list', { modelProviders: [] })).toEqual(page(newestFirst()));
  });
});

describe('thread/list filters of Codex 0.171.0', () => {
  it('includedThreadIds: only those (an empty list: none), before paging; exclusions still apply', async () => {
    const keel = await keelOnStore();
    const ids = (...indexes: number[]) => indexes.map((i) => threads[i]!.id);
    expect(await keel.request('thread/list', { includedThreadIds: ids(2, 7, 20) })).toEqual(page([threads[20]!, threads[7]!, threads[2]!]));
    expect(await keel.request('thread/list', { includedThreadIds: ids(2) })).toEqual(page([threads[2]!]));
    expect(await keel.request('thread/list', { includedThreadIds: [] })).toEqual(page([]));
    expect(await keel.request('thread/list', { includedThreadIds: [...ids(2, 7, 20), turnless, 'unknown'], excludedThreadIds: ids(7) })).toEqual(page([threads[20]!, threads[2]!]));
    const first = await keel.request('thread/list', { includedThreadIds: ids(2, 7, 20), limit: 2 });
    expect(first).toEqual(page([threads[20]!, threads[7]!], expect.any(String)));
    expect(await keel.request('thread/list', { includedThreadIds: ids(2, 7, 20), limit: 2, cursor: first.nextCursor })).toEqual(page([threads[2]!]));
    expect(await errorOf(keel.request('thread/list', { includedThreadIds: Array.from({ length: 101 }, (_, i) => `t${i}`) }))).toMatchObject({ code: -32602, message: expect.stringContaining('includedThreadIds') });
  });

  it('excludedThreadIds: all but those, before the page is cut', async () => {
    const keel = await keelOnStore();
    const excluded = [threads[29]!.id, threads[28]!.id, threads[0]!.id];
    expect(await keel.request('thread/list', { excludedThreadIds: excluded })).toEqual(page(where((i) => i !== 29 && i !== 28 && i !== 0)));
    expect(await keel.request('thread/list', { excludedThreadIds: excluded, limit: 1 })).toEqual(page([threads[27]!], expect.any(String)));
    expect(await errorOf(keel.request('thread/list', { excludedThreadIds: Array.from({ length: 101 }, (_, i) => `t${i}`) }))).toMatchObject({ code: -32602, message: expect.stringContaining('excludedThreadIds') });
  });

  it("sourceKinds: Keel's threads are appServer's, an interactive source (the default); other kinds list none", async () => {
    const keel = await keelOnStore();
    expect(await keel.request('thread/list', { sourceKinds: ['appServer'] })).toEqual(page(newestFirst()));
    expect(await keel.request('thread/list', { sourceKinds: [] })).toEqual(page(newestFirst()));
    expect(await keel.request('thread/list', { sourceKinds: ['cli', 'vscode', 'appServer'], cwd: CWDS[1] })).toEqual(page(where((i) => i % 3 === 1)));
    expect(await keel.request('thread/list', { sourceKinds: ['exec', 'subAgent'] })).toEqual(page([]));
    expect((await errorOf(keel.request('thread/list', { sourceKinds: ['mobile'] } as never))).code).toBe(-32602);
  });

  it('archived: only the archived threads, or only the others; a thread that never had a turn in neither', async () => {
    const keel = await keelOnStore();
    expect(await keel.request('thread/list', { archived: true })).toEqual(page([archived]));
    expect(await keel.request('thread/list', { archived: false })).toEqual(page(newestFirst()));
    expect(await keel.request('thread/list', { includedThreadIds: [turnless] })).toEqual(page([]));
  });

  it('searchTerm also finds threads by their messages, commands and paths (the full-text index)', async () => {
    const keel = await keelOnStore();
    expect(await keel.request('thread/list', { searchTerm: 'haystack' })).toEqual(page([threads[27]!, threads[4]!]));
    expect(await keel.request('thread/list', { searchTerm: 'HAYSTACK-F' })).toEqual(page([threads[4]!]));
  });

  it('parentThreadId, ancestorThreadId, attachedToThreadId and a projectId list none (Keel has no such threads); projectId null lists all', async () => {
    const keel = await keelOnStore();
    for (const params of [{ parentThreadId: threads[0]!.id }, { ancestorThreadId: threads[0]!.id }, { attachedToThreadId: threads[0]!.id }, { projectId: 'p' }] as const) {
      expect(await keel.request('thread/list', params as never)).toEqual(page([]));
    }
    expect(await keel.request('thread/list', { projectId: null } as never)).toEqual(page(newestFirst()));
  });

  it('refuses a filter it cannot apply, naming the field', async () => {
    const keel = await keelOnStore();
    expect(await errorOf(keel.request('thread/list', { originators: ['codex_cli_rs'] }))).toMatchObject({ code: -32602, message: expect.stringMatching(/^Invalid params: originators: /) });
    expect(await errorOf(keel.request('thread/list', { currentAccountOnly: true }))).toMatchObject({ code: -32602, message: expect.stringMatching(/^Invalid params: currentAccountOnly: /) });
    // Empty or false: nothing to apply.
    expect(await keel.request('thread/list', { originators: [], currentAccountOnly: false })).toEqual(page(newestFirst()));
  });
});

describe('history of a thread with no turns', () => {
  it('thread/turns/list and thread/items/list answer empty pages', async () => {
    const keel = await keelOnStore();
    const threadId = turnless;
    const empty = { data: [], nextCursor: null, backwardsCursor: null };
    expect(await keel.request('thread/turns/list', { threadId })).toEqual(empty);
    expect(await keel.request('thread/turns/list', { threadId, sortDirection: 'asc', limit: 5, itemsView: 'full' })).toEqual(empty);
    expect(await keel.request('thread/items/list', { threadId })).toEqual(empty);
    expect(await keel.request('thread/items/list', { threadId, sortDirection: 'desc' })).toEqual(empty);
    expect(await errorOf(keel.request('thread/turns/list', { threadId: 'nope' }))).toEqual({ code: -32600, message: 'thread not found: nope' });
    expect(await errorOf(keel.request('thread/items/list', { threadId: 'nope' }))).toEqual({ code: -32600, message: 'thread not found: nope' });
  });
});

describe('thread/list byte budget with non-ASCII names', () => {
  // Known bug: pages are measured with JSON.stringify(entry).length (UTF-16 code units), not UTF-8
  // bytes, so a page of CJK or emoji names can be up to 3x the maxBytes asked for (reads.ts and
  // history-pages.ts). Remove `.fails` once src/ counts bytes.
  it('counts maxBytes in UTF-8 bytes', async () => {
    const keel = spawnKeel();
    await initialized(keel);
    for (let i = 0; i < 2; i++) {
      const { thread } = await keel.request('thread/start', {});
      await shellTurn(keel, thread.id, 'true');
      await keel.request('thread/name/set', { threadId: thread.id, name: '日本語'.repeat(400) });
    }
    const all = (await keel.request('thread/list', {})).data;
    const bytes = (t: Thread) => Buffer.byteLength(JSON.stringify(t), 'utf8');
    const cut = await keel.request('thread/list', { maxBytes: bytes(all[0]!) + bytes(all[1]!) - 1 });
    expect(cut).toEqual(page(all.slice(0, 1), expect.any(String)));
  });
});
