// Edit and retry as forks from a given turn, against the fake Responses server: a fork through
// `lastTurnId` holds the history up to that turn; a retry forks before the last turn
// (`beforeTurnId`, experimental in Codex) and starts it again — the model sees only the turns kept.
// Each fork's Thread names its source (`forkedFromId`), which is how thread/list finds a thread's forks.
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { runTurn } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import { inProcess } from '../helpers/in-process-server.js';

const fake = useFakeModelServer();

async function keel(experimentalApi: boolean): Promise<KeelProcess> {
  const k = spawnKeel({ serve: inProcess, home: makeTempHome(), env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  await initialized(k, { experimentalApi });
  return k;
}

/** The user and assistant texts of a request's input, in order. */
const said = (index: number) =>
  (conversationBody(fake.calls[index]!).input as Array<Record<string, any>>)
    .filter((e) => e.type === 'message' && e.role !== 'developer')
    .map((e) => `${e.role}: ${typeof e.content === 'string' ? e.content : e.content.map((p: { text: string }) => p.text).join('')}`);

/** A thread with two finished turns. */
async function twoTurns(k: KeelProcess): Promise<{ threadId: string; turnIds: string[] }> {
  const { thread } = await k.request('thread/start', { cwd: workspace() } as never);
  await runTurn(k, thread.id, 'one');
  await runTurn(k, thread.id, 'two');
  const read = await k.request('thread/read', { threadId: thread.id, includeTurns: true } as never);
  return { threadId: thread.id, turnIds: read.thread.turns.map((t: { id: string }) => t.id) };
}

describe('forks from a given turn', () => {
  it('edit: a fork through the first turn holds only it, names its source, and thread/list shows both with forkedFromId', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.message('First.')]) },
      { sse: wire.stream([wire.message('Second.')]) },
      { sse: wire.stream([wire.message('Edited.')]) },
    ]);
    const k = await keel(false);
    const { threadId, turnIds } = await twoTurns(k);
    const fork = await k.request('thread/fork', { threadId, lastTurnId: turnIds[0] } as never);
    expect(fork.thread.forkedFromId).toBe(threadId);
    expect(fork.thread.turns.map((t: { id: string }) => t.id)).toEqual([turnIds[0]]);
    await runTurn(k, fork.thread.id, 'two, edited');
    expect(said(2)).toEqual(['user: one', 'assistant: First.', 'user: two, edited']);
    const listed = await k.request('thread/list', {} as never);
    expect(listed.data.map((t: { id: string; forkedFromId: string | null }) => [t.id, t.forkedFromId])).toEqual([
      [fork.thread.id, threadId],
      [threadId, null],
    ]);
    await k.close();
  });

  it('retry: a fork before the last turn (beforeTurnId) starts it again with the history before it', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.message('First.')]) },
      { sse: wire.stream([wire.message('Second.')]) },
      { sse: wire.stream([wire.message('Second, again.')]) },
    ]);
    const k = await keel(true);
    const { threadId, turnIds } = await twoTurns(k);
    const fork = await k.request('thread/fork', { threadId, beforeTurnId: turnIds[1] } as never);
    expect({ forkedFromId: fork.thread.forkedFromId, turns: fork.thread.turns.map((t: { id: string }) => t.id) }).toEqual({ forkedFromId: threadId, turns: [turnIds[0]] });
    await runTurn(k, fork.thread.id, 'two');
    expect(said(2)).toEqual(['user: one', 'assistant: First.', 'user: two']);
    expect(await errorOf(k.request('thread/fork', { threadId, lastTurnId: turnIds[0], beforeTurnId: turnIds[1] } as never))).toEqual({
      code: -32602,
      message: 'Invalid params: beforeTurnId: cannot be combined with lastTurnId',
      data: { issues: [{ path: 'beforeTurnId', message: 'cannot be combined with lastTurnId' }] },
    });
    expect(await errorOf(k.request('thread/fork', { threadId, beforeTurnId: 't-x' } as never))).toEqual({ code: -32600, message: 'turn not found: t-x' });
    await k.close();
  });

  it('beforeTurnId is experimental, as in Codex: refused without the experimental API', async () => {
    const k = await keel(false);
    const { thread } = await k.request('thread/start', { cwd: workspace() } as never);
    expect(await errorOf(k.request('thread/fork', { threadId: thread.id, beforeTurnId: 'x' } as never))).toEqual({
      code: -32600,
      message: 'thread/fork.beforeTurnId requires experimentalApi capability',
    });
    await k.close();
  });
});
