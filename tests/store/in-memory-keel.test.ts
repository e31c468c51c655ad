// The in-process harness on the in-memory thread log (openTestKeel({ threadLog: 'memory' })): the
// same requests answer the same, whole, as on SQLite — thread/list's filters, paging and byte
// budget over the summary projection, reads, archive, delete — with no database opened.
import { describe, expect, it } from 'vitest';
import { answerOf, openTestKeel, runTurnIn } from '../helpers/engine.js';

async function session(threadLog: 'sqlite' | 'memory') {
  let now = 1_700_000_000_000;
  let id = 0;
  const opened = await openTestKeel({ threadLog, now: () => (now += 1000), newId: () => `id-${++id}` });
  const ask = async (method: string, params: unknown) => answerOf(opened.keel, method, params);
  const answers: unknown[] = [];
  const threadIds: string[] = [];
  try {
    for (const cwd of ['/w/a', '/w/b', '/w/a', '/w/c']) {
      const started = (await ask('thread/start', { cwd })) as { result: { thread: { id: string } } };
      threadIds.push(started.result.thread.id);
      // thread/list lists only threads that had a turn (as Codex).
      await runTurnIn(opened.keel, started.result.thread.id, `work in ${cwd}`);
    }
    const [first, second, third, fourth] = threadIds as [string, string, string, string];
    answers.push(await ask('thread/name/set', { threadId: second, name: 'Second Thread' }));
    answers.push(await ask('thread/archive', { threadId: third }));
    answers.push(await ask('thread/delete', { threadId: fourth }));
    for (const params of [
      {},
      { sortDirection: 'asc' },
      { sortKey: 'updated_at' },
      { archived: true },
      { cwd: '/w/a' },
      { cwd: ['/w/b', '/w/c'] },
      { searchTerm: 'second' },
      { modelProviders: ['nobody'] },
      { limit: 1 },
      { maxBytes: 1 },
    ]) {
      const page = await ask('thread/list', params);
      answers.push(page);
      // The next page, where there is one.
      const next = (page as { result?: { nextCursor: string | null } }).result?.nextCursor;
      if (next) answers.push(await ask('thread/list', { ...params, cursor: next }));
    }
    answers.push(await ask('thread/list', { cursor: 'not a cursor' }));
    answers.push(await ask('thread/read', { threadId: first, includeTurns: true }));
    answers.push(await ask('thread/read', { threadId: fourth }));
    return { answers, database: opened.keel.database };
  } finally {
    await opened.keel.close();
    opened.cleanup();
  }
}

describe('the in-process harness on the in-memory thread log', () => {
  it('answers every thread read as the SQLite store does, and opens no database', async () => {
    const sqlite = await session('sqlite');
    const memory = await session('memory');
    expect(memory.answers).toEqual(sqlite.answers);
    expect(memory.database).toBeNull();
    // The run listed something: not two empty answers agreeing.
    expect(JSON.stringify(sqlite.answers)).toContain('Second Thread');
  });
});
