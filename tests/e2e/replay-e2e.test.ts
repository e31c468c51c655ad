// Replay equals live, end to end: a client folds every notification of a session with the core
// reducer (as clients/ do); after the server restarts on the same store, thread/read returns
// exactly the folded threads.
import { describe, expect, it } from 'vitest';
import { foldNotification } from '../../src/core/codec.js';
import { expectedThread } from '../helpers/expected-thread.js';
import { emptyClientState } from '../../src/core/state.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { runTurn, turnHome } from '../helpers/turns.js';

describe('replay equals live over stdio', () => {
  it('the folded live stream equals thread/read after a restart', async () => {
    const { home, env } = turnHome({
      script: [
        [{ reasoningSummary: 'consider', index: 0 }, { reasoningText: 'raw' }, { blockEnd: true }, { text: 'Hel' }, { text: 'lo' }],
        [{ toolCall: { name: 'lookup', arguments: { q: 1 }, callId: 'call_a' } }],
        [{ text: 'after tool' }],
        [{ error: { kind: 'badRequest', message: 'nope' } }],
        [{ text: 'partial' }, { stall: true }],
        [{ text: 'fourth' }],
        [{ text: 'in the fork' }],
      ],
    });
    const keel = spawnKeel({ home, env });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', {});
    const threadId = thread.id;
    await runTurn(keel, threadId, 'one');
    await runTurn(keel, threadId, 'two (tool)');
    await runTurn(keel, threadId, 'three (fails)');
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'four (interrupted)' }] });
    await keel.waitFor((m) => m.method === 'item/agentMessage/delta' && (m.params as any).turnId === turn.id);
    await keel.request('turn/interrupt', { threadId, turnId: turn.id });
    // As in Codex, turn/completed is the turn's last notification (after status idle).
    await keel.waitFor((m) => m.method === 'turn/completed' && (m.params as any).turn.id === turn.id);
    await runTurn(keel, threadId, 'five');
    await keel.request('thread/name/set', { threadId, name: 'Replayed' });
    const read = await keel.request('thread/read', { threadId, includeTurns: true });
    await keel.request('thread/revert', { threadId, beforeTurnId: read.thread.turns[4]!.id });
    const fork = await keel.request('thread/fork', { threadId, lastTurnId: read.thread.turns[1]!.id });
    await keel.waitFor((m) => m.method === 'thread/started' && (m.params as any).thread.id === fork.thread.id);
    await runTurn(keel, fork.thread.id, 'in the fork');
    await keel.request('thread/archive', { threadId: fork.thread.id });
    await keel.waitFor('thread/archived');
    expect(await keel.close()).toBe(0);

    const folded = keel.messages
      .filter((m) => m.method !== undefined)
      .reduce((state, m) => foldNotification(state, { method: m.method!, params: m.params, emittedAtMs: m.emittedAtMs as number }), emptyClientState);
    expect(Object.keys(folded.threads).sort()).toEqual([threadId, fork.thread.id].sort());

    const restarted = spawnKeel({ home, env });
    await initialized(restarted);
    for (const [id, state] of Object.entries(folded.threads)) {
      const stored = await restarted.request('thread/read', { threadId: id, includeTurns: true });
      expect(stored.thread).toEqual(expectedThread(state, { type: 'notLoaded' }));
    }
    const original = await restarted.request('thread/read', { threadId, includeTurns: true });
    expect(original.thread.turns.map((t) => t.status)).toEqual(['completed', 'completed', 'failed', 'interrupted']);
    await restarted.close();
  });
});
