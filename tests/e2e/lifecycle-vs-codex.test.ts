// The turn and thread lifecycles against Codex's real app-server: for each scenario the messages
// Codex 0.169.0 sent (read from the recorded transcripts, not retyped) and the ones Keel sends for
// the same requests, reduced to the same labels, side by side. Where Keel differs on purpose, the
// table says how and why (app-server.md says so too).
import { describe, expect, it } from 'vitest';
import { TURN_ABORTED } from '../../src/engine/turns/conversation.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { conversationBody } from '../helpers/preamble.js';
import { codexWindow, collapseDeltas, label } from '../helpers/codex-transcripts.js';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { keelWithThread, params } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';

/** Codex sends these; Keel does not (or not here), and the lifecycle does not depend on them. */
const CODEX_ONLY: ReadonlyMap<string, string> = new Map([
  ['configWarning', 'Codex warns about its own sandbox install'],
  ['remoteControl/status/changed', 'Codex remote control, which Keel does not have'],
  ['warning', 'Codex warns that its mock model has no metadata'],
  ['account/rateLimits/updated', 'sent when the provider reports rate limits; the fake model server sends none'],
  ['deprecationNotice', 'Codex deprecates full-history reads; Keel does not'],
  ['thread/goal/cleared', "Codex tells a resumed thread's goal (here: none); Keel's client asks thread/goal/get"],
  ['thread/started', "Codex announces a thread asynchronously, so it lands in a later request's stretch; Keel right after thread/start's answer"],
]);
const ignore = new Set(CODEX_ONLY.keys());
/** Outside turns Codex also replays a loaded thread's stored token usage; Keel's is in thread/read. */
const ignoreOutsideTurns = new Set([...ignore, 'thread/tokenUsage/updated']);

const fake = useFakeModelServer();

const openai = () => ({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` });
const input = (text: string) => [{ type: 'text' as const, text }];

/** Keel's messages from index `from` (the request just sent) up to now, labelled like Codex's. */
function keelWindow(keel: KeelProcess, from: number): string[] {
  return collapseDeltas(keel.messages.slice(from).map((m) => label(m, m.id) ?? 'response'));
}

const untilTurnCompleted = (keel: KeelProcess) => keel.waitFor('turn/completed');

describe('lifecycles, side by side with Codex 0.169.0', () => {
  it('a turn that answers (hello.jsonl, turn/start)', async () => {
    fake.script(wire.route, [{ sse: wire.stream([wire.message('Hel', 'lo!')]) }]);
    const { keel, threadId } = await keelWithThread({ spawn: { env: openai() } });
    const from = keel.messages.length;
    await keel.request('turn/start', { threadId, input: input('say hi') });
    await untilTurnCompleted(keel);
    expect(keelWindow(keel, from)).toEqual(codexWindow('hello', 'turn/start', { ignore }));
  });

  it('a turn whose provider fails (extras-fail500.jsonl, turn/start, no retries)', async () => {
    fake.script(wire.route, [{ json: { error: { message: 'We are experiencing high demand', type: 'server_error' } }, status: 500 }]);
    const { keel, threadId } = await keelWithThread({ keel: ['max_retries = 0'], spawn: { env: openai() } });
    const from = keel.messages.length;
    await keel.request('turn/start', { threadId, input: input('say hi') });
    await untilTurnCompleted(keel);
    expect(keelWindow(keel, from)).toEqual(codexWindow('extras-fail500', 'turn/start', { ignore }));
  });

  it('an interrupt (interrupt.jsonl, turn/interrupt): Keel keeps the partial answer', async () => {
    fake.script(wire.route, [{ sse: wire.stream([wire.message('0 ', '1 ', 'never')]), stallAfter: 4 }, { sse: wire.stream([wire.message('2 3')]) }]);
    const { keel, threadId } = await keelWithThread({ spawn: { env: openai() } });
    const { turn } = await keel.request('turn/start', { threadId, input: input('count slowly') });
    await keel.waitFor((m) => m.method === 'item/agentMessage/delta' && params(m).delta === '1 ');
    const from = keel.messages.length;
    await keel.request('turn/interrupt', { threadId, turnId: turn.id });
    await untilTurnCompleted(keel);
    expect(codexWindow('interrupt', 'turn/interrupt', { ignore })).toEqual(['thread/tokenUsage/updated', 'response', 'thread/status/changed:idle', 'turn/completed:interrupted']);
    // Keel: the partial answer is completed as it stands (thread/read shows it; the model sees it
    // next turn, followed by a <turn_aborted> note); an interrupted response reports no token usage.
    expect(keelWindow(keel, from)).toEqual(['response', 'item/completed:agentMessage', 'thread/status/changed:idle', 'turn/completed:interrupted']);

    // The next turn: the model sees the partial answer, then the note that the turn was interrupted.
    await keel.request('turn/start', { threadId, input: input('go on') });
    await keel.waitFor((m) => m.method === 'turn/completed' && params(m).turn.id !== turn.id);
    expect(conversationBody(fake.calls[1]!).input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'count slowly' }] },
      { type: 'message', role: 'assistant', content: '0 1 ' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: (TURN_ABORTED as { content: Array<{ text: string }> }).content[0]!.text }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go on' }] },
    ]);
  });

  it('a steer (extras-steer.jsonl, the accepted turn/steer): Keel completes the abandoned answer', async () => {
    fake.script(wire.route, [{ sse: wire.stream([wire.message('0 ', 'never')]), stallAfter: 3 }, { sse: wire.stream([wire.message('h', 'i')]) }]);
    const { keel, threadId } = await keelWithThread({ spawn: { env: openai() } });
    const { turn } = await keel.request('turn/start', { threadId, input: input('count') });
    await keel.waitFor('item/agentMessage/delta');
    const from = keel.messages.length;
    await keel.request('turn/steer', { threadId, expectedTurnId: turn.id, input: input('steered input') });
    await untilTurnCompleted(keel);
    const codex = codexWindow('extras-steer', 'turn/steer', { nth: 2, ignore });
    // The same, but for the abandoned answer's item/completed right after the steered message.
    const expected = [...codex.slice(0, 3), 'item/completed:agentMessage', ...codex.slice(3)];
    expect(keelWindow(keel, from)).toEqual(expected);
  });

  describe('thread requests (resume.jsonl)', () => {
    /** A home with one thread that has a finished turn, and a fresh Keel on it. */
    async function storedThread(): Promise<{ keel: KeelProcess; threadId: string }> {
      fake.script(wire.route, [{ sse: wire.stream([wire.message('hi')]) }]);
      const home = makeTempHome();
      const first = spawnKeel({ home, env: openai() });
      await initialized(first);
      const { thread } = await first.request('thread/start', {});
      await first.request('turn/start', { threadId: thread.id, input: input('say hi') });
      await untilTurnCompleted(first);
      expect(await first.close()).toBe(0);
      const keel = spawnKeel({ home, env: openai() });
      await initialized(keel);
      return { keel, threadId: thread.id };
    }

    it('thread/resume of a stored thread announces it loaded before the answer', async () => {
      const { keel, threadId } = await storedThread();
      const from = keel.messages.length;
      const resumed = await keel.request('thread/resume', { threadId, excludeTurns: true });
      expect(keelWindow(keel, from)).toEqual(codexWindow('resume', 'thread/resume', { ignore: ignoreOutsideTurns }));
      // Its cursors are real: each first page, newest first, starts at what the answer left out.
      const turns = await keel.request('thread/turns/list', { threadId, cursor: resumed.turnsBackwardsCursor, sortDirection: 'desc' });
      const items = await keel.request('thread/items/list', { threadId, cursor: resumed.itemsBackwardsCursor, sortDirection: 'desc' });
      const read = await keel.request('thread/read', { threadId, includeTurns: true });
      expect(turns.data.map((t) => t.id)).toEqual([read.thread.turns[0]!.id]);
      expect(items.data.map((i) => i.item.type)).toEqual(['agentMessage', 'userMessage']);
      expect(items.data[0]!.item.id).toBe(read.thread.turns[0]!.items.at(-1)!.id);
    });

    it('thread/archive unloads the thread before the answer; thread/archived follows', async () => {
      const { keel, threadId } = await storedThread();
      await keel.request('thread/resume', { threadId });
      const from = keel.messages.length;
      await keel.request('thread/archive', { threadId });
      await keel.waitFor('thread/archived');
      expect(keelWindow(keel, from)).toEqual(codexWindow('resume', 'thread/archive', { through: 'thread/archived', ignore: ignoreOutsideTurns }));
    });

    it('thread/revert of a loaded thread: notLoaded, idle, the answer, thread/reverted', async () => {
      const { keel, threadId } = await storedThread();
      const { thread } = await keel.request('thread/resume', { threadId });
      const from = keel.messages.length;
      await keel.request('thread/revert', { threadId, beforeTurnId: thread.turns[0]!.id });
      await keel.waitFor('thread/reverted');
      expect(keelWindow(keel, from)).toEqual(codexWindow('resume', 'thread/revert', { through: 'thread/reverted', ignore: ignoreOutsideTurns }));
    });
  });
});
