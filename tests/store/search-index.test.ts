// The full-text index the store keeps beside the log (migration 5, projections/search-fold.ts):
// kept in the append transaction on SQLite and scanned in memory with the same answers, rebuilt
// from the logs when an older store is opened, and what thread/list's filters read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reduceThread } from '../../src/core/reduce.js';
import type { ThreadState } from '../../src/core/state.js';
import type { KeelEvent } from '../../src/core/events.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { MemoryThreadLog } from '../../src/store/memory-thread-log.js';
import { SqliteThreadIndex, type IndexQuery } from '../../src/store/thread-index.js';
import { agentMessage, eventsOf, fixtureSettings, threadEvents, userMessage, writeStore } from '../helpers/store-fixtures.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-search-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const origin = { ephemeral: false, cliVersion: '0.0.9', forkedFromId: null };

/** A thread whose one turn says `said`, ran `command` and changed `file`; then the events given. */
function threadSaying(threadId: string, startMs: number, said: string, command: string, file: string): KeelEvent[] {
  const e = eventsOf(threadId, startMs);
  const user = userMessage(`${threadId}-u`, said);
  const agent = agentMessage(`${threadId}-a`, `done: ${said}`);
  const cmd = { type: 'commandExecution' as const, id: `${threadId}-c`, command, cwd: '/w', processId: null, source: 'agent' as const, status: 'completed' as const, commandActions: [], aggregatedOutput: null, exitCode: 0, durationMs: 1 };
  const patch = { type: 'fileChange' as const, id: `${threadId}-f`, changes: [{ path: file, kind: { type: 'add' as const }, diff: '' }], status: 'completed' as const };
  return [
    e('thread/created', { settings: fixtureSettings, origin }),
    e('turn/started', { turnId: 't1', model: null }),
    e('item/completed', { turnId: 't1', itemId: user.id, item: user }),
    e('item/completed', { turnId: 't1', itemId: cmd.id, item: cmd as never }),
    e('item/completed', { turnId: 't1', itemId: patch.id, item: patch as never }),
    e('item/completed', { turnId: 't1', itemId: agent.id, item: agent }),
    e('turn/completed', { turnId: 't1', status: 'completed', error: null }),
  ];
}

const LOGS = () => [
  threadSaying('a', Date.UTC(2025, 0, 1), 'deploy the rocket 🚀 to orbit', 'npm run build', '/w/src/launch.ts'),
  threadSaying('b', Date.UTC(2025, 0, 2), 'fix the Zürich café parser', 'cargo test --release', '/w/parser/ROCKETRY.md'),
  threadSaying('c', Date.UTC(2025, 0, 3), 'nothing to see', 'ls -la', '/w/readme'),
  // Started, never a turn: thread/list leaves it out, as Codex does.
  [eventsOf('d', Date.UTC(2025, 0, 4))('thread/created', { settings: fixtureSettings, origin })],
];

const query: IndexQuery = { sortColumn: 'created_at', direction: 'desc', limit: 10, after: null, archived: false, cwds: null, searchTerm: null, modelProviders: null };

async function sqliteIndex(file: string) {
  const database = await openDatabase(file);
  return { index: new SqliteThreadIndex(database), database };
}

function memoryIndex(logs: KeelEvent[][]): MemoryThreadLog {
  const log = new MemoryThreadLog();
  for (const events of logs) {
    let state: ThreadState | undefined;
    for (const event of events) {
      state = reduceThread(state, event);
      log.append(event.threadId, [event], state!);
    }
  }
  return log;
}

type Index = Pick<SqliteThreadIndex, 'threadPage' | 'threadDocs'>;

async function expectSearchAnswers(index: Index): Promise<void> {
  const ids = async (q: Partial<IndexQuery>) => (await index.threadPage({ ...query, ...q })).map((summary) => summary.id);
  expect(await ids({})).toEqual(['c', 'b', 'a']);
  // Messages, command lines, changed paths; any case; a substring; non-ASCII and emoji.
  expect(await ids({ fullText: 'rocket' })).toEqual(['b', 'a']);
  expect(await ids({ fullText: 'RUN BUILD' })).toEqual(['a']);
  expect(await ids({ fullText: 'launch.ts' })).toEqual(['a']);
  expect(await ids({ fullText: 'zürich CAFÉ' })).toEqual(['b']);
  expect(await ids({ fullText: '🚀 to' })).toEqual(['a']);
  expect(await ids({ fullText: 'done: nothing' })).toEqual(['c']);
  // Shorter than a trigram: looked for document by document.
  expect(await ids({ fullText: 'ls' })).toEqual(['c']);
  // ...in ASCII case only there (lower() without ICU), in every store.
  expect(await ids({ fullText: 'ü' })).toEqual(['b']);
  expect(await ids({ fullText: 'Ü' })).toEqual([]);
  expect(await ids({ fullText: 'LS' })).toEqual(['c']);
  expect(await ids({ fullText: 'not there at all' })).toEqual([]);
  // FTS5 syntax in a term is text.
  expect(await ids({ fullText: 'rocket OR nothing' })).toEqual([]);
  expect(await ids({ fullText: '"rocket' })).toEqual([]);
  // thread/list's filters.
  expect(await ids({ includedIds: ['a', 'c', 'd'] })).toEqual(['c', 'a']);
  expect(await ids({ includedIds: [] })).toEqual([]);
  expect(await ids({ includedIds: ['a', 'c'], excludedIds: ['c'] })).toEqual(['a']);
  expect(await ids({ excludedIds: ['b'] })).toEqual(['c', 'a']);
  expect(await ids({ sourceKinds: ['appServer', 'cli'] })).toEqual(['c', 'b', 'a']);
  expect(await ids({ sourceKinds: [] })).toEqual(['c', 'b', 'a']);
  expect(await ids({ sourceKinds: ['exec', 'subAgent'] })).toEqual([]);
  expect(await ids({ searchTerm: 'cargo' })).toEqual(['b']);
  // Either order and the cursor's position (newest first is read from the index newest first).
  expect(await ids({ fullText: 'rocket', direction: 'asc' })).toEqual(['a', 'b']);
  expect(await ids({ fullText: 'rocket', sortColumn: 'updated_at' })).toEqual(['b', 'a']);
  const [b] = await index.threadPage({ ...query, fullText: 'rocket', limit: 1 });
  expect(b!.id).toBe('b');
  expect(await ids({ fullText: 'rocket', after: [b!.createdAtMs, 'b'] })).toEqual(['a']);
  expect(await ids({ fullText: 'rocket', cwds: ['/elsewhere'] })).toEqual([]);
  expect(await index.threadDocs(['a', 'd'])).toEqual(
    new Map([
      ['a', [
        { turnId: 't1', itemId: 'a-u', kind: 'user', text: 'deploy the rocket 🚀 to orbit' },
        { turnId: 't1', itemId: 'a-c', kind: 'command', text: 'npm run build' },
        { turnId: 't1', itemId: 'a-f', kind: 'files', text: '/w/src/launch.ts' },
        { turnId: 't1', itemId: 'a-a', kind: 'agent', text: 'done: deploy the rocket 🚀 to orbit' },
      ]],
      ['d', []],
    ]),
  );
}

describe('the full-text index', () => {
  it('finds threads by their messages, commands and paths on SQLite, in the append transaction', async () => {
    const file = path.join(dir, 'keel.db');
    await writeStore(file, LOGS());
    const { index, database } = await sqliteIndex(file);
    try {
      await expectSearchAnswers(index);
    } finally {
      await database.close();
    }
  });

  it('answers the same in the memory store, by scanning', async () => {
    await expectSearchAnswers(memoryIndex(LOGS()));
  });

  it('pages newest first as a scan would, when old threads gain matching messages late', async () => {
    // 24 threads created an hour apart, each later given a turn that says `word N` (N = i % 4):
    // the index's newest documents are not the newest threads', and the read may stop early.
    const logs: KeelEvent[][] = [];
    const start = Date.UTC(2025, 5, 1);
    for (let i = 0; i < 24; i++) logs.push([eventsOf(`t${String(i).padStart(2, '0')}`, start + i * 3_600_000)('thread/created', { settings: fixtureSettings, origin })]);
    // Thread i's turn comes delay[i] half-hours after its creation: often after newer threads'.
    const delay = [5, 17, 2, 23, 11, 0, 8, 14, 20, 3, 9, 1, 22, 6, 12, 18, 4, 10, 16, 21, 7, 13, 19, 15];
    for (let i = 0; i < 24; i++) {
      const e = eventsOf(`t${String(i).padStart(2, '0')}`, start + i * 3_600_000 + (delay[i]! + 1) * 1_800_000);
      const user = userMessage(`u${i}`, `message with word ${i % 4}`);
      logs[i]!.push(e('turn/started', { turnId: `turn${i}`, model: null }), e('item/completed', { turnId: `turn${i}`, itemId: user.id, item: user }));
    }
    // Interleave the appends as a live store would: by time.
    const file = path.join(dir, 'keel.db');
    const database = await openDatabase(file);
    const log = new EventLog(database);
    const states = new Map<string, ThreadState>();
    for (const event of logs.flat().sort((x, y) => x.at - y.at)) {
      const state = reduceThread(states.get(event.threadId), event)!;
      states.set(event.threadId, state);
      log.append(event.threadId, [event], state);
    }
    const sqlite = new SqliteThreadIndex(database);
    const memory = memoryIndex(logs);
    for (const term of ['word 1', 'word', 'message with word 3', 'wo']) {
      for (const limit of [1, 2, 3, 5, 25]) {
        let after: IndexQuery['after'] = null;
        for (let page = 0; page < 30; page++) {
          const q: IndexQuery = { ...query, fullText: term, limit, after };
          const got = (await sqlite.threadPage(q)).map((s) => s.id);
          expect(got).toEqual((await memory.threadPage(q)).map((s) => s.id));
          if (got.length < limit) break;
          const last = (await sqlite.threadPage(q)).at(-1)!;
          after = [last.createdAtMs, last.id];
        }
      }
    }
    await database.close();
  });

  it('drops the documents of reverted turns, and of a deleted thread', async () => {
    const file = path.join(dir, 'keel.db');
    const e = eventsOf('r', Date.UTC(2025, 1, 1));
    const second = userMessage('r-u2', 'second rocket');
    const logs = [[
      ...threadEvents('r', 1),
      e('turn/started', { turnId: 'turn-2', model: null }),
      e('item/completed', { turnId: 'turn-2', itemId: second.id, item: second }),
      e('turn/completed', { turnId: 'turn-2', status: 'completed', error: null }),
      e('thread/reverted', { beforeTurnId: 'turn-2' }),
    ]];
    await writeStore(file, logs);
    for (const index of [(await sqliteIndex(file)).index, memoryIndex(logs)]) {
      expect((await index.threadPage({ ...query, fullText: 'rocket' })).map((s) => s.id)).toEqual([]);
      expect((await index.threadPage({ ...query, fullText: 'answer 1' })).map((s) => s.id)).toEqual(['r']);
    }
    const database = await openDatabase(file);
    new EventLog(database).delete('r');
    expect(database.sqlite.prepare('select count(*) from thread_search_docs').pluck().get()).toBe(0);
    expect(database.sqlite.prepare("select count(*) from thread_search_fts where thread_search_fts match '\"answer\"'").pluck().get()).toBe(0);
    await database.close();
  });

  it('is built by migration 5 for a store written before it', async () => {
    const file = path.join(dir, 'keel.db');
    await writeStore(file, LOGS());
    // The store as Keel left it at schema version 4: no index, no has_turns.
    const old = new Database(file);
    old.exec(`drop trigger thread_search_docs_ai; drop trigger thread_search_docs_ad; drop trigger thread_search_docs_au;
      drop table thread_search_fts; drop table thread_search_docs; alter table threads drop column has_turns;
      drop table thread_sections; drop table thread_section_members; drop table thread_attachments; pragma user_version = 4;`);
    old.close();
    const { index, database } = await sqliteIndex(file);
    try {
      expect(database.sqlite.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      await expectSearchAnswers(index);
    } finally {
      await database.close();
    }
  });
});
