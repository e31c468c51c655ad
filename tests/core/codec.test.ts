// The codec table (src/core/codec.ts): every event type has both directions — notifications out,
// and the event back from them — or says why the wire cannot carry it; and what a client folds from
// the notifications shows the same thread as the server's own state.
import { describe, expect, it } from 'vitest';
import { codec, DERIVED_NOTIFICATIONS, eventFromNotification, foldNotification, notificationsFor, type CodecEntry } from '../../src/core/codec.js';
import { isTransient, type EventType, type KeelEvent } from '../../src/core/events.js';
import { reduceThread } from '../../src/core/reduce.js';
import { allTurns, threadSnapshot } from '../../src/core/snapshot.js';
import { emptyClientState, findItem, type ThreadState } from '../../src/core/state.js';
import { summaryOf } from '../../src/core/summary.js';
import { agentMessage, created, ev, userMessage } from './fixtures.js';

/** What is wrong with a codec table: an event type without a direction, or with an empty one. */
function codecProblems(table: Record<string, Partial<CodecEntry<EventType>>>): string[] {
  const problems: string[] = [];
  for (const [type, entry] of Object.entries(table)) {
    if (typeof entry.encode !== 'function') problems.push(`${type}: no encode (event → notifications)`);
    const decode = entry.decode;
    if (decode === undefined) problems.push(`${type}: no decode (notification → event), and no notOnWire reason`);
    else if ('notOnWire' in decode) {
      if (typeof decode.notOnWire !== 'string' || decode.notOnWire.length < 20) problems.push(`${type}: notOnWire needs a reason`);
    } else if (Object.keys(decode).length === 0 || Object.values(decode).some((d) => typeof d !== 'function')) {
      problems.push(`${type}: decode names no notification`);
    }
  }
  return problems;
}

const turnStarted = ev('turn/started', 1100, { turnId: 'u1', model: 'gpt-test' });
const userStarted = ev('item/started', 1101, { turnId: 'u1', itemId: 'm1', item: userMessage('m1', 'hello') });
const agentStarted = ev('item/started', 1103, { turnId: 'u1', itemId: 'a1', item: agentMessage('a1', '') });
const reasoningStarted = ev('item/started', 1103, { turnId: 'u1', itemId: 'r1', item: { type: 'reasoning', id: 'r1', summary: [], content: [] } });
const usage = { totalTokens: 12, inputTokens: 10, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 2, reasoningOutputTokens: 0 };
const failure = { message: 'boom', codexErrorInfo: 'internalServerError' as const, additionalDetails: null };

const goal = { objective: 'ship it', status: 'active' as const, tokenBudget: 100, tokensUsed: 0, timeUsedMs: 0, createdAtMs: 2000, updatedAtMs: 2000 };

const approval = { turnId: 'u1', itemId: 'c1', requestKey: 'c1:1', kind: 'commandApproval' as const };

/** For every event type: the events before it, then the event itself. */
const samples: { [T in EventType]: KeelEvent[] } = {
  'thread/created': [created()],
  'thread/settingsChanged': [created(), ev('thread/settingsChanged', 1050, { settings: { model: 'other' } })],
  'thread/renamed': [created(), ev('thread/renamed', 1050, { name: 'My thread' })],
  'thread/archived': [created(), ev('thread/archived', 1050, {})],
  'thread/unarchived': [created(), ev('thread/archived', 1050, {}), ev('thread/unarchived', 1060, {})],
  'thread/reverted': [created(), turnStarted, ev('turn/completed', 1200, { turnId: 'u1', status: 'completed', error: null }), ev('thread/reverted', 1300, { beforeTurnId: 'u1' })],
  'thread/deleted': [created(), ev('thread/deleted', 1050, {})],
  'thread/itemsInjected': [created(), turnStarted, ev('thread/itemsInjected', 1150, { afterTurnId: 'u1', items: [{ role: 'user', text: 'remember the tests' }] })],
  'thread/filesRestored': [
    created(),
    turnStarted,
    ev('turn/completed', 1200, { turnId: 'u1', status: 'completed', error: null }),
    ev('thread/reverted', 1300, { beforeTurnId: 'u1', restore: [{ path: '/w/a', movePath: null, before: 'a', after: 'b' }] }),
    ev('thread/filesRestored', 1310, {}),
  ],
  'turn/started': [created(), turnStarted],
  'turn/completed': [created(), turnStarted, ev('turn/completed', 1200, { turnId: 'u1', status: 'failed', error: failure })],
  'turn/context': [created(), turnStarted, ev('turn/context', 1102, { turnId: 'u1', context: [{ kind: 'environment', text: '<environment_context>\n</environment_context>' }] })],
  'turn/tokenUsage': [created(), turnStarted, ev('turn/tokenUsage', 1150, { turnId: 'u1', last: usage, modelContextWindow: 1000, route: { provider: 'openai', model: 'gpt-test' } })],
  'turn/error': [created(), turnStarted, ev('turn/error', 1150, { turnId: 'u1', error: failure, willRetry: true })],
  'turn/planUpdated': [
    created(),
    turnStarted,
    ev('turn/planUpdated', 1150, { turnId: 'u1', explanation: 'two steps', plan: [{ step: 'read', status: 'completed' }, { step: 'fix', status: 'inProgress' }] }),
  ],
  'turn/diffUpdated': [created(), turnStarted, ev('turn/diffUpdated', 1150, { turnId: 'u1', diff: '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n' })],
  'item/started': [created(), turnStarted, userStarted],
  'item/completed': [created(), turnStarted, agentStarted, ev('item/completed', 1150, { turnId: 'u1', itemId: 'a1', item: agentMessage('a1', 'done') })],
  'item/writeIntent': [
    created(),
    turnStarted,
    ev('item/started', 1103, { turnId: 'u1', itemId: 'p1', item: { type: 'fileChange', id: 'p1', changes: [], status: 'inProgress' } }),
    ev('item/writeIntent', 1104, { turnId: 'u1', itemId: 'p1', changes: [{ path: '/w/a', movePath: null, before: 'a', after: 'b' }] }),
  ],
  'item/summaryPartAdded': [created(), turnStarted, reasoningStarted, ev('item/summaryPartAdded', 1104, { turnId: 'u1', itemId: 'r1', index: 0 })],
  'item/delta': [
    created(),
    turnStarted,
    agentStarted,
    reasoningStarted,
    ev('item/delta', 1104, { turnId: 'u1', itemId: 'a1', channel: 'agentMessage', index: 0, delta: 'Hel' }),
    ev('item/delta', 1105, { turnId: 'u1', itemId: 'r1', channel: 'reasoningSummary', index: 1, delta: 'sum' }),
    ev('item/delta', 1106, { turnId: 'u1', itemId: 'r1', channel: 'reasoningText', index: 0, delta: 'raw' }),
  ],
  'request/opened': [created(), turnStarted, ev('request/opened', 1110, { ...approval, subject: 'rm -rf build', reason: null })],
  'request/resolved': [
    created(),
    turnStarted,
    ev('request/opened', 1110, { ...approval, subject: 'rm -rf build', reason: null }),
    ev('request/resolved', 1120, { ...approval, decision: 'accept', by: 'client', subject: 'rm -rf build' }),
  ],
  'thread/gitInfoUpdated': [created(), ev('thread/gitInfoUpdated', 1050, { gitInfo: { branch: 'main', sha: null } })],
  'thread/goalUpdated': [created(), ev('thread/goalUpdated', 2000, { turnId: null, goal })],
  'thread/goalCleared': [created(), ev('thread/goalUpdated', 2000, { turnId: null, goal }), ev('thread/goalCleared', 3000, {})],
};

/** The server's states and, from its notifications, the client's fold. */
function serverAndClient(events: readonly KeelEvent[]) {
  let server: ThreadState | undefined;
  let client = emptyClientState;
  const methods: string[] = [];
  for (const event of events) {
    const before = server;
    server = reduceThread(before, event);
    for (const n of notificationsFor(event, before, server)) {
      methods.push(n.method);
      client = foldNotification(client, { method: n.method, params: JSON.parse(JSON.stringify(n.params)), emittedAtMs: event.at });
    }
  }
  return { server, client: client.threads['t1'], methods };
}

const shown = (state: Parameters<typeof summaryOf>[0]) => threadSnapshot(summaryOf(state), { status: { type: 'notLoaded' }, turns: allTurns(state) });

describe('the codec table', () => {
  it('gives every event type both directions, or a reason the wire cannot carry it', () => {
    expect(codecProblems(codec as never)).toEqual([]);
    expect(Object.keys(codec).sort()).toEqual(Object.keys(samples).sort());
  });

  it('catches an event type with only one direction', () => {
    const broken = { ...codec, 'thread/pinned': { encode: () => [] } };
    expect(codecProblems(broken as never)).toEqual(['thread/pinned: no decode (notification → event), and no notOnWire reason']);
    const empty = { ...codec, 'thread/pinned': { encode: () => [], decode: {} } };
    expect(codecProblems(empty as never)).toEqual(['thread/pinned: decode names no notification']);
  });

  for (const [type, events] of Object.entries(samples) as Array<[EventType, KeelEvent[]]>) {
    it(`${type}: each notification decodes back to its event type, and the client shows what the server does`, () => {
      const event = events.at(-1)!;
      const entry = codec[type] as CodecEntry<EventType>;
      const before = events.slice(0, -1).reduce<ThreadState | undefined>(reduceThread, undefined);
      const out = notificationsFor(event, before, reduceThread(before, event));
      if ('notOnWire' in entry.decode) {
        // Nothing of its own; at most the thread status a client derives (request flags).
        expect(out.filter((n) => !DERIVED_NOTIFICATIONS.has(n.method))).toEqual([]);
        return;
      }
      expect(out.length).toBeGreaterThan(0);
      for (const n of out) {
        if (DERIVED_NOTIFICATIONS.has(n.method)) continue;
        const decoded = eventFromNotification({ method: n.method, params: n.params, emittedAtMs: event.at });
        // Besides its own, an event may send a notification of a transient event (a failed turn's final `error`).
        if (decoded !== null && decoded.type !== type && isTransient(decoded)) continue;
        expect(Object.keys(entry.decode)).toContain(n.method);
        expect(decoded?.type).toBe(type);
      }
      const { server, client } = serverAndClient(events);
      if (server === undefined) expect(client).toBeUndefined();
      else expect(shown(client!)).toEqual(shown(server));
    });
  }

  it("a reasoning item's carry (its provider's encrypted record) is kept in state and never sent", () => {
    const item = { type: 'reasoning' as const, id: 'r1', summary: ['Plan'], content: [] };
    const data = { wire: 'responses', id: 'rs_1', encryptedContent: 'enc-secret', summary: ['Plan'] };
    const before = [created(), turnStarted, reasoningStarted].reduce<ThreadState | undefined>(reduceThread, undefined);
    const completed = ev('item/completed', 1104, { turnId: 'u1', itemId: 'r1', item, carry: { provider: 'openai', model: 'gpt-5', data } });
    const after = reduceThread(before, completed);
    expect(notificationsFor(completed, before, after)).toEqual([
      { method: 'item/completed', params: { threadId: completed.threadId, turnId: 'u1', item, completedAtMs: 1104 } },
    ]);
    expect(findItem(after!, 'u1', 'r1')?.carry).toEqual({ provider: 'openai', model: 'gpt-5', data });
    expect(JSON.stringify(shown(after!))).not.toContain('enc-secret');
  });

  it('a client knows only the settings the wire carries', () => {
    const { client } = serverAndClient([created()]);
    expect(client!.settings).toEqual({ cwd: '/work', model: 'gpt-test', modelProvider: 'openai', reasoningEffort: null });
  });
});
