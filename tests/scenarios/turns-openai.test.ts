// The turn engine end to end in-process (tests/scenarios/README.md) against a fake OpenAI Responses endpoint, through the real
// SDK: notification order, tool round trip, reasoning, usage, retries, failures, the idle
// watchdog, interrupt and steer. Mirrors turns-scripted.test.ts on the real wire.
import { describe, expect, it } from 'vitest';
import { conversationBody, responsesFieldsAsCodex } from '../helpers/preamble.js';
import { type FakeResponse } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { HELLO_METHODS, agentMessage, completedItems, keelWithThread, methods, params, runTurn, turnOf, unknownTool, unknownToolOutput } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { inProcess } from '../helpers/in-process-server.js';


const fake = useFakeModelServer();

/** Keel on the built-in `openai` provider, moved to the fake by OPENAI_BASE_URL. */
/** In-process by default; `spawned` runs the built bundle, whose SDK is a bundle of its own (dist/vendor-*.cjs): the first test keeps that path covered. */
function start(script: FakeResponse[], keel: string[] = [], where: 'in-process' | 'spawned' = 'in-process') {
  const serve = where === 'spawned' ? undefined : inProcess;
  fake.script(wire.route, script);
  return keelWithThread({ keel, spawn: { serve, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } } });
}

const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const assistant = (text: string) => ({ type: 'message', role: 'assistant', content: text });

describe('turns on the OpenAI Responses wire', () => {
  it('streams a hello in Codex order, and the request carries the model, the input and the key', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.message('Hel', 'lo!')], wire.usage(12, 0, 3)) }], [], 'spawned');
    const before = keel.messages.length;
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'hi' }] });
    expect(turn).toEqual({ id: expect.any(String), items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: expect.any(Number), completedAt: null, durationMs: null });
    await keel.waitFor('turn/completed');
    const seq = keel.messages.slice(before);
    expect(seq.map((m) => m.method ?? 'response')).toEqual(['response', ...HELLO_METHODS]);
    expect(params(seq[1]!)).toEqual({ threadId, status: { type: 'active', activeFlags: [] } });
    expect(params(seq[2]!)).toEqual({ threadId, turn: { ...turn, status: 'inProgress' } });
    const at = { threadId, turnId: turn.id };
    const userItem = { type: 'userMessage', id: expect.any(String), content: [{ type: 'text', text: 'hi' }] };
    expect(params(seq[3]!)).toEqual({ ...at, item: userItem, startedAtMs: expect.any(Number) });
    expect(params(seq[4]!)).toEqual({ ...at, item: { ...userItem, id: params(seq[3]!).item.id }, completedAtMs: expect.any(Number) });
    const messageId = params(seq[5]!).item.id;
    expect(params(seq[5]!)).toEqual({ ...at, item: agentMessage(messageId, ''), startedAtMs: expect.any(Number) });
    expect(seq.slice(6, 8).map(params)).toEqual(['Hel', 'lo!'].map((delta) => ({ ...at, itemId: messageId, delta })));
    expect(params(seq[8]!)).toEqual({ ...at, item: agentMessage(messageId, 'Hello!'), completedAtMs: expect.any(Number) });
    const last = { inputTokens: 12, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 3, reasoningOutputTokens: 0, totalTokens: 15 };
    expect(params(seq[9]!)).toEqual({ ...at, tokenUsage: { total: last, last, modelContextWindow: 400_000 } });
    expect(params(seq[10]!)).toEqual({ threadId, status: { type: 'idle' } });
    expect(params(seq[11]!).turn).toEqual({
      ...turn,
      status: 'completed',
      completedAt: expect.any(Number),
      durationMs: expect.any(Number),
      itemsView: 'summary',
      items: [agentMessage(messageId, 'Hello!')],
    });
    expect(fake.calls.map((call) => ({ method: call.method, path: call.path, body: conversationBody(call) }))).toEqual([
      {
        method: 'POST',
        path: wire.route,
        body: {
          model: 'gpt-5',
          input: [user('hi')],
          // What Codex sends gpt-5 (app-server.md, "What Keel sends to models"); the tools are tested by toolset.
          ...responsesFieldsAsCodex(threadId),
        },
      },
    ]);
    expect(fake.calls[0]!.headers.authorization).toBe('Bearer test-key');
  });

  it('answers a function call with a failed tool item; the next request carries the call and its output', async () => {
    const { keel, threadId } = await start([
      { sse: wire.stream([wire.message('Let me look.'), wire.functionCall('call_1', 'launch_rocket', '{"path":', '"a.txt"}')]) },
      { sse: wire.stream([wire.message('It is missing.')]) },
    ]);
    const seq = await runTurn(keel, threadId, 'what is in a.txt?');
    expect(completedItems(seq)).toEqual([
      { type: 'userMessage', id: expect.any(String), content: [{ type: 'text', text: 'what is in a.txt?' }] },
      agentMessage(expect.any(String), 'Let me look.'),
      {
        type: 'dynamicToolCall',
        id: 'call_1',
        tool: 'launch_rocket',
        arguments: { path: 'a.txt' },
        status: 'failed',
        contentItems: [{ type: 'inputText', text: unknownTool('launch_rocket') }],
        success: false,
        durationMs: 0,
      },
      agentMessage(expect.any(String), 'It is missing.'),
    ]);
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    expect(fake.calls.map((c) => conversationBody(c).input)).toEqual([
      [user('what is in a.txt?')],
      [
        user('what is in a.txt?'),
        assistant('Let me look.'),
        { type: 'function_call', call_id: 'call_1', name: 'launch_rocket', arguments: '{"path":"a.txt"}' },
        { type: 'function_call_output', call_id: 'call_1', output: unknownToolOutput('launch_rocket') },
      ],
    ]);
  });

  it('streams reasoning summary parts and raw reasoning as one reasoning item (effort asks for summaries)', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.reasoning([['**Plan**', ' it'], ['Read']], ['raw ', 'thought']), wire.message('Done.')]) }]);
    const before = keel.messages.length;
    await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'think' }], effort: 'high' });
    await keel.waitFor('turn/completed');
    const [changed, ...seq] = keel.messages.slice(before).filter((m) => m.method !== undefined);
    // The turn's effort changes the thread's settings: told first, then the turn as before.
    expect(changed).toMatchObject({ method: 'thread/settings/updated', params: { threadId, threadSettings: expect.objectContaining({ effort: 'high' }) } });
    expect(conversationBody(fake.calls[0]!).reasoning).toEqual({ effort: 'high', summary: 'auto' });
    expect(methods(seq).slice(4, 13)).toEqual([
      'item/started',
      'item/reasoning/summaryPartAdded',
      'item/reasoning/summaryTextDelta',
      'item/reasoning/summaryTextDelta',
      'item/reasoning/summaryPartAdded',
      'item/reasoning/summaryTextDelta',
      'item/reasoning/textDelta',
      'item/reasoning/textDelta',
      'item/completed',
    ]);
    const itemId = params(seq[4]!).item.id;
    const at = { threadId, turnId: params(seq[1]!).turn.id, itemId };
    expect(seq.slice(5, 12).map(params)).toEqual([
      { ...at, summaryIndex: 0 },
      { ...at, summaryIndex: 0, delta: '**Plan**' },
      { ...at, summaryIndex: 0, delta: ' it' },
      { ...at, summaryIndex: 1 },
      { ...at, summaryIndex: 1, delta: 'Read' },
      { ...at, contentIndex: 0, delta: 'raw ' },
      { ...at, contentIndex: 0, delta: 'thought' },
    ]);
    expect(params(seq[12]!).item).toEqual({ type: 'reasoning', id: itemId, summary: ['**Plan** it', 'Read'], content: ['raw thought'] });
    expect(completedItems(seq).at(-1)).toEqual(agentMessage(expect.any(String), 'Done.'));
  });

  it('maps usage (cached and reasoning tokens) and accumulates the total over two turns; rate-limit headers are broadcast', async () => {
    const rateHeaders = { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '75', 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '100' };
    const { keel, threadId } = await start([
      { sse: wire.stream([wire.message('one')], wire.usage(1200, 1000, 300, 250)), headers: rateHeaders },
      { sse: wire.stream([wire.message('two')], wire.usage(1500, 1200, 100, 0)) },
    ]);
    const first = await runTurn(keel, threadId, 'one');
    const second = await runTurn(keel, threadId, 'two');
    const usageOf = (seq: typeof first) => seq.filter((m) => m.method === 'thread/tokenUsage/updated').map((m) => params(m).tokenUsage);
    const turn1 = { inputTokens: 1200, cachedInputTokens: 1000, cacheWriteInputTokens: 0, outputTokens: 300, reasoningOutputTokens: 250, totalTokens: 1500 };
    const turn2 = { inputTokens: 1500, cachedInputTokens: 1200, cacheWriteInputTokens: 0, outputTokens: 100, reasoningOutputTokens: 0, totalTokens: 1600 };
    expect(usageOf(first)).toEqual([{ total: turn1, last: turn1, modelContextWindow: 400_000 }]);
    const total = { inputTokens: 2700, cachedInputTokens: 2200, cacheWriteInputTokens: 0, outputTokens: 400, reasoningOutputTokens: 250, totalTokens: 3100 };
    expect(usageOf(second)).toEqual([{ total, last: turn2, modelContextWindow: 400_000 }]);
    expect(first.filter((m) => m.method === 'account/rateLimits/updated').map(params)).toEqual([
      { rateLimits: { limitId: 'openai', limitName: null, primary: { usedPercent: 25, windowDurationMins: null, resetsAt: null }, secondary: { usedPercent: 90, windowDurationMins: null, resetsAt: null } } },
    ]);
    expect(conversationBody(fake.calls[1]!).input).toEqual([user('one'), assistant('one'), user('two')]);
  });

  it('retries a 429 after its retry-after (error willRetry:true), then completes: two calls', async () => {
    const { keel, threadId } = await start([
      { ...wire.error(429, 'rate_limit_exceeded', 'Rate limit reached for gpt-5'), headers: { 'retry-after': '0.5' } },
      { sse: wire.stream([wire.message('ok')]) },
    ]);
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    const error = await keel.waitFor('error');
    expect(params(error)).toEqual({
      threadId,
      turnId: turn.id,
      willRetry: true,
      error: { message: '429 Rate limit reached for gpt-5', codexErrorInfo: 'rateLimitExceeded', additionalDetails: null },
    });
    await fake.waitForCall(2);
    // retry-after (500 ms) wins over the exponential backoff (about 200 ms for a first retry).
    expect(Date.now() - error.emittedAtMs!).toBeGreaterThanOrEqual(500);
    expect(params(await keel.waitFor('turn/completed')).turn).toMatchObject({ id: turn.id, status: 'completed', error: null });
    expect(keel.messages.filter((m) => m.method === 'error')).toHaveLength(1);
    expect(fake.calls).toHaveLength(2);
  });

  it('fails the turn on a 401 (error willRetry:false, turn failed unauthorized), and the server keeps serving', async () => {
    const { keel, threadId } = await start([wire.error(401, 'invalid_api_key', 'Incorrect API key provided'), { sse: wire.stream([wire.message('back')]) }]);
    const seq = await runTurn(keel, threadId, 'go');
    const error = { message: '401 Incorrect API key provided', codexErrorInfo: 'unauthorized', additionalDetails: null };
    expect(seq.filter((m) => m.method === 'error').map(params)).toEqual([{ threadId, turnId: params(seq[1]!).turn.id, willRetry: false, error }]);
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
    expect(turnOf(await runTurn(keel, threadId, 'again'))).toMatchObject({ status: 'completed', error: null });
  });

  it('fails the turn on a 200 whose body is a JSON error, in the provider\'s words and without a retry: one call', async () => {
    const body = { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } };
    const { keel, threadId } = await start([{ status: 200, json: body }, { sse: wire.stream([wire.message('back')]) }]);
    const seq = await runTurn(keel, threadId, 'go');
    const error = { message: 'Incorrect API key provided', codexErrorInfo: 'unauthorized', additionalDetails: null };
    expect(seq.filter((m) => m.method === 'error').map(params)).toEqual([{ threadId, turnId: params(seq[1]!).turn.id, willRetry: false, error }]);
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
    expect(fake.calls).toHaveLength(1);
    expect(turnOf(await runTurn(keel, threadId, 'again'))).toMatchObject({ status: 'completed', error: null });
  });

  it('fails a turn whose stream is cut mid-answer (max_retries = 0), keeping the partial message', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.message('Hel', 'lo')]), cutAfter: 3 }], ['max_retries = 0']);
    const seq = await runTurn(keel, threadId, 'go');
    const error = { message: expect.stringMatching(/^stream disconnected before completion: /), codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } }, additionalDetails: null };
    expect(seq.filter((m) => m.method === 'error').map(params)).toEqual([{ threadId, turnId: params(seq[1]!).turn.id, willRetry: false, error }]);
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
    expect(completedItems(seq).at(-1)).toEqual(agentMessage(expect.any(String), 'Hel'));
  });

  it('retries a cut stream (max_retries = 1): error willRetry:true, then the second response completes the turn', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.message('Hel', 'lo')]), cutAfter: 3 }, { sse: wire.stream([wire.message('Hello')]) }], ['max_retries = 1']);
    const seq = await runTurn(keel, threadId, 'go');
    expect(seq.filter((m) => m.method === 'error').map((m) => [params(m).willRetry, params(m).error.codexErrorInfo])).toEqual([[true, { responseStreamDisconnected: { httpStatusCode: null } }]]);
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    expect(completedItems(seq).filter((i) => i.type === 'agentMessage').map((i) => i.text)).toEqual(['Hel', 'Hello']);
    // What was streamed before the cut stays in the thread, so the retried request carries it.
    expect(conversationBody(fake.calls[1]!).input).toEqual([user('go'), assistant('Hel')]);
  });

  it('fails a stalled stream by the idle watchdog, promptly', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.message('partial ', 'never')]), stallAfter: 3 }], ['stream_idle_timeout_ms = 300', 'max_retries = 0']);
    const startedAt = Date.now();
    const seq = await runTurn(keel, threadId, 'go');
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    const error = { message: 'model stream was silent for 300 ms', codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } }, additionalDetails: null };
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
    expect(completedItems(seq).at(-1)).toEqual(agentMessage(expect.any(String), 'partial '));
    await fake.waitForClientClose(1);
  });

  it('interrupts mid-stream: {} then turn/completed interrupted, and the request is aborted', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.message('thinking about it', 'never')]), stallAfter: 3 }]);
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    await keel.waitFor('item/agentMessage/delta');
    expect(await keel.request('turn/interrupt', { threadId, turnId: turn.id })).toEqual({});
    expect(params(await keel.waitFor('turn/completed')).turn).toMatchObject({ id: turn.id, status: 'interrupted', error: null });
    await fake.waitForClientClose(1);
    const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(thread.turns[0]!.items.map((i) => (i.type === 'agentMessage' ? i.text : i.type))).toEqual(['userMessage', 'thinking about it']);
  });

  it('steers mid-stream: the response in flight is abandoned at once, and the model is called again with the steered input', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.message('first', 'never')]), stallAfter: 3 }, { sse: wire.stream([wire.message('second')]) }]);
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    const firstDelta = await keel.waitFor('item/agentMessage/delta');
    const firstItemId = params(firstDelta).itemId;
    const steerAt = keel.messages.length;
    expect(await keel.request('turn/steer', { threadId, expectedTurnId: turn.id, input: [{ type: 'text', text: 'also this' }] })).toEqual({ turnId: turn.id });
    const completed = await keel.waitFor('turn/completed');
    await fake.waitForClientClose(1);
    const after = keel.messages.slice(steerAt);
    // The response comes first; then the steered message; the first answer gets no more deltas.
    expect(after[0]).toMatchObject({ result: { turnId: turn.id } });
    expect(after.filter((m) => m.method === 'item/agentMessage/delta' && params(m).itemId === firstItemId)).toEqual([]);
    const steered = { type: 'userMessage', id: expect.any(String), content: [{ type: 'text', text: 'also this' }] };
    expect(after.slice(1, 3).map((m) => [m.method, params(m).item])).toEqual([
      ['item/started', steered],
      ['item/completed', steered],
    ]);
    expect(params(completed).turn).toMatchObject({ id: turn.id, status: 'completed', items: [agentMessage(expect.any(String), 'second')] });
    // The abandoned answer is kept as far as it got, and the model's second request carries it and the steered input.
    expect(conversationBody(fake.calls[1]!).input).toEqual([user('go'), assistant('first'), user('also this')]);
    const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(thread.turns[0]!.items.map((i) => (i.type === 'agentMessage' ? i.text : i.type))).toEqual(['userMessage', 'first', 'userMessage', 'second']);
  });

  it('steers mid-stream: when the response ends, the model is called again in the same turn with the steered input', async () => {
    let open = () => {};
    const gate = { after: 3, open: new Promise<void>((resolve) => (open = resolve)) };
    const { keel, threadId } = await start([{ sse: wire.stream([wire.message('first')]), gate }, { sse: wire.stream([wire.message('second')]) }]);
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    await keel.waitFor('item/agentMessage/delta');
    expect(await keel.request('turn/steer', { threadId, expectedTurnId: turn.id, input: [{ type: 'text', text: 'also this' }] })).toEqual({ turnId: turn.id });
    open();
    expect(params(await keel.waitFor('turn/completed')).turn).toMatchObject({ id: turn.id, status: 'completed', error: null });
    expect(conversationBody(fake.calls[1]!).input).toEqual([user('go'), assistant('first'), user('also this')]);
    const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(thread.turns[0]!.items.map((i) => (i.type === 'agentMessage' ? i.text : i.type))).toEqual(['userMessage', 'first', 'userMessage', 'second']);
  });

  it('fails a turn that outlives keel.turn_timeout_ms (the watchdog), even while the stream is open', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.message('slow', 'never')]), stallAfter: 3 }], ['turn_timeout_ms = 400', 'max_retries = 0']);
    const seq = await runTurn(keel, threadId, 'go');
    const error = { message: 'turn exceeded 400 ms', codexErrorInfo: 'other', additionalDetails: null };
    expect(seq.filter((m) => m.method === 'error').map(params)).toEqual([{ threadId, turnId: params(seq[1]!).turn.id, willRetry: false, error }]);
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
    await fake.waitForClientClose(1);
  });
});
