// An empty model reply — a completed response with no text and no tool call (reasoning alone does
// not count) — is asked again once, as a retry the client sees (error willRetry:true); a second
// empty reply fails the turn saying so, instead of completing it as if the model had finished.
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { type FakeResponse } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { agentMessage, completedItems, keelWithThread, methods, params, runTurn, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

function start(script: FakeResponse[]) {
  fake.script(wire.route, script);
  return keelWithThread({ spawn: { env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } } });
}

const asked = { message: 'the model returned an empty response (no text and no tool call); asking again', codexErrorInfo: 'other', additionalDetails: null };

describe('an empty model reply', () => {
  it('is asked again once (error willRetry:true); the second answer completes the turn', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([]) }, { sse: wire.stream([wire.message('Here.')]) }]);
    const seq = await runTurn(keel, threadId, 'go');
    const turnId = turnOf(seq).id;
    expect(methods(seq)).toEqual([
      'thread/status/changed',
      'turn/started',
      'item/started',
      'item/completed',
      'thread/tokenUsage/updated',
      'error',
      'item/started',
      'item/agentMessage/delta',
      'item/completed',
      'thread/tokenUsage/updated',
      'thread/status/changed',
      'turn/completed',
    ]);
    expect(params(seq[5]!)).toEqual({ threadId, turnId, willRetry: true, error: asked });
    expect(completedItems(seq).at(-1)).toEqual(agentMessage(expect.any(String), 'Here.'));
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    expect(conversationBody(fake.calls[1]!)).toEqual(conversationBody(fake.calls[0]!));
  });

  it('twice (the second with reasoning only) fails the turn with the reason; the thread goes on', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([]) }, { sse: wire.stream([wire.reasoning([['Thinking']], [])]) }, { sse: wire.stream([wire.message('Back.')]) }]);
    const seq = await runTurn(keel, threadId, 'go');
    const turnId = turnOf(seq).id;
    const error = { message: 'the model returned an empty response twice (no text and no tool call)', codexErrorInfo: 'other', additionalDetails: null };
    expect(seq.filter((m) => m.method === 'error').map(params)).toEqual([
      { threadId, turnId, willRetry: true, error: asked },
      { threadId, turnId, willRetry: false, error },
    ]);
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
    expect(fake.calls).toHaveLength(2);
    expect(turnOf(await runTurn(keel, threadId, 'again'))).toMatchObject({ status: 'completed', error: null });
  });
});
