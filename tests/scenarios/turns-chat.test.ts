// The turn engine end to end in-process (tests/scenarios/README.md) against a fake OpenAI-compatible Chat Completions endpoint,
// configured in config.toml as `[model_providers.fake]` with `wire_api = "chat"`: notification
// order, tool_calls/tool round trip, usage, retries, failures and a cut stream.
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { type FakeResponse } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { agentMessage, completedItems, errorsOf, HELLO_METHODS, keelWithThread, methods, params, runTurn, turnOf, type Seq, unknownTool, unknownToolOutput } from '../helpers/turns.js';
import { chat as wire } from '../helpers/wire-streams.js';
import { inProcess } from '../helpers/in-process-server.js';


const fake = useFakeModelServer();

/** Keel on a custom chat provider from config.toml; its key comes from the variable `env_key` names. */
/** In-process by default; `spawned` runs the built bundle, whose SDK is a bundle of its own (dist/vendor-*.cjs): the first test keeps that path covered. */
function start(script: FakeResponse[], keel: string[] = [], where: 'in-process' | 'spawned' = 'in-process') {
  const serve = where === 'spawned' ? undefined : inProcess;
  fake.script(wire.route, script);
  const config = [
    'model_provider = "fake"',
    'model = "fake-model"',
    '[model_providers.fake]',
    'name = "Fake"',
    `base_url = "${fake.url}/v1"`,
    'env_key = "FAKE_API_KEY"',
    'wire_api = "chat"',
  ];
  return keelWithThread({ config, keel, spawn: { serve, env: { FAKE_API_KEY: 'test-key' } } });
}


describe('turns on the Chat Completions wire (a custom provider)', () => {
  it('streams a hello in Codex order; the request is a streamed chat body with the key', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.text('Hel', 'lo!')]) }], [], 'spawned');
    const seq = await runTurn(keel, threadId, 'hi');
    expect(methods(seq)).toEqual(HELLO_METHODS);
    const turnId = params(seq[1]!).turn.id;
    const itemId = params(seq[4]!).item.id;
    expect(seq.slice(5, 7).map(params)).toEqual(['Hel', 'lo!'].map((delta) => ({ threadId, turnId, itemId, delta })));
    expect(params(seq[7]!)).toEqual({ threadId, turnId, item: agentMessage(itemId, 'Hello!'), completedAtMs: expect.any(Number) });
    expect(params(seq[10]!).turn).toMatchObject({ id: turnId, status: 'completed', error: null, itemsView: 'summary', items: [agentMessage(itemId, 'Hello!')] });
    expect(fake.calls.map((call) => ({ method: call.method, path: call.path, body: conversationBody(call) }))).toEqual([
      {
        method: 'POST',
        path: wire.route,
        body: { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } },
      },
    ]);
    expect(fake.calls[0]!.headers.authorization).toBe('Bearer test-key');
    const { thread } = await keel.request('thread/read', { threadId });
    expect([thread.modelProvider, thread.model]).toEqual(['fake', 'fake-model']);
  });

  it('answers tool_calls with a failed tool item; the next request carries the assistant tool_calls and the tool message', async () => {
    const { keel, threadId } = await start([
      { sse: wire.stream([wire.text('Looking.'), wire.toolCall('call_1', 'launch_rocket', '{"path":', '"a.txt"}')], { finish: 'tool_calls' }) },
      { sse: wire.stream([wire.text('It is missing.')]) },
    ]);
    const seq = await runTurn(keel, threadId, 'what is in a.txt?');
    expect(completedItems(seq)).toEqual([
      { type: 'userMessage', id: expect.any(String), content: [{ type: 'text', text: 'what is in a.txt?' }] },
      agentMessage(expect.any(String), 'Looking.'),
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
    expect(conversationBody(fake.calls[1]!).messages).toEqual([
      { role: 'user', content: 'what is in a.txt?' },
      { role: 'assistant', content: 'Looking.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'launch_rocket', arguments: '{"path":"a.txt"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: unknownToolOutput('launch_rocket') },
    ]);
  });

  it('maps usage with cached tokens and accumulates the total over two turns (no known context window)', async () => {
    const { keel, threadId } = await start([
      { sse: wire.stream([wire.text('one')], { usage: wire.usage(900, 512, 120) }) },
      { sse: wire.stream([wire.text('two')], { usage: wire.usage(1100, 900, 30) }) },
    ]);
    const usageOf = (seq: Seq) => seq.filter((m) => m.method === 'thread/tokenUsage/updated').map((m) => params(m).tokenUsage);
    const first = await runTurn(keel, threadId, 'one');
    const second = await runTurn(keel, threadId, 'two');
    const turn1 = { inputTokens: 900, cachedInputTokens: 512, cacheWriteInputTokens: 0, outputTokens: 120, reasoningOutputTokens: 0, totalTokens: 1020 };
    const turn2 = { inputTokens: 1100, cachedInputTokens: 900, cacheWriteInputTokens: 0, outputTokens: 30, reasoningOutputTokens: 0, totalTokens: 1130 };
    expect(usageOf(first)).toEqual([{ total: turn1, last: turn1, modelContextWindow: null }]);
    const total = { inputTokens: 2000, cachedInputTokens: 1412, cacheWriteInputTokens: 0, outputTokens: 150, reasoningOutputTokens: 0, totalTokens: 2150 };
    expect(usageOf(second)).toEqual([{ total, last: turn2, modelContextWindow: null }]);
  });

  it('retries a 429 (retry-after: 0) with error willRetry:true, then completes: two calls', async () => {
    const { keel, threadId } = await start([
      { ...wire.error(429, 'rate_limit_exceeded', 'Rate limit reached'), headers: { 'retry-after': '0' } },
      { sse: wire.stream([wire.text('ok')]) },
    ]);
    const seq = await runTurn(keel, threadId, 'go');
    expect(errorsOf(seq)).toEqual([
      { threadId, turnId: params(seq[1]!).turn.id, willRetry: true, error: { message: '429 Rate limit reached', codexErrorInfo: 'rateLimitExceeded', additionalDetails: null } },
    ]);
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    expect(completedItems(seq).at(-1)).toEqual(agentMessage(expect.any(String), 'ok'));
    expect(fake.calls).toHaveLength(2);
  });

  it('fails the turn on a 401 (error willRetry:false, turn failed unauthorized), and the server keeps serving', async () => {
    const { keel, threadId } = await start([wire.error(401, 'invalid_api_key', 'Invalid API key'), { sse: wire.stream([wire.text('back')]) }]);
    const seq = await runTurn(keel, threadId, 'go');
    const error = { message: '401 Invalid API key', codexErrorInfo: 'unauthorized', additionalDetails: null };
    expect(errorsOf(seq)).toEqual([{ threadId, turnId: params(seq[1]!).turn.id, willRetry: false, error }]);
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
    expect(turnOf(await runTurn(keel, threadId, 'again'))).toMatchObject({ status: 'completed', error: null });
  });

  it('fails a turn whose stream is cut mid-answer (max_retries = 0), keeping the partial message', async () => {
    // The role chunk and "Hel", then the socket is destroyed.
    const { keel, threadId } = await start([{ sse: wire.stream([wire.text('Hel', 'lo')]), cutAfter: 2 }], ['max_retries = 0']);
    const seq = await runTurn(keel, threadId, 'go');
    const error = { message: expect.stringMatching(/^stream disconnected before completion: /), codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } }, additionalDetails: null };
    expect(errorsOf(seq)).toEqual([{ threadId, turnId: params(seq[1]!).turn.id, willRetry: false, error }]);
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
    expect(completedItems(seq).at(-1)).toEqual(agentMessage(expect.any(String), 'Hel'));
  });

  it('retries a cut stream (max_retries = 1): error willRetry:true, then the second response completes the turn', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.text('Hel', 'lo')]), cutAfter: 2 }, { sse: wire.stream([wire.text('Hello')]) }], ['max_retries = 1']);
    const seq = await runTurn(keel, threadId, 'go');
    expect(errorsOf(seq).map((e) => [e.willRetry, e.error.codexErrorInfo])).toEqual([[true, { responseStreamDisconnected: { httpStatusCode: null } }]]);
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    expect(completedItems(seq).filter((i) => i.type === 'agentMessage').map((i) => i.text)).toEqual(['Hel', 'Hello']);
  });

  it('fails a stalled stream by the idle watchdog, and the request is aborted', async () => {
    const { keel, threadId } = await start([{ sse: wire.stream([wire.text('partial ', 'never')]), stallAfter: 2 }], ['stream_idle_timeout_ms = 300', 'max_retries = 0']);
    const seq = await runTurn(keel, threadId, 'go');
    const error = { message: 'model stream was silent for 300 ms', codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } }, additionalDetails: null };
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
    expect(completedItems(seq).at(-1)).toEqual(agentMessage(expect.any(String), 'partial '));
    await fake.waitForClientClose(1);
  });

  it('gives up after max_retries 429s: willRetry:true, then willRetry:false and a failed turn', async () => {
    const limited = { ...wire.error(429, 'rate_limit_exceeded', 'Rate limit reached'), headers: { 'retry-after': '0' } };
    const { keel, threadId } = await start([limited, limited], ['max_retries = 1']);
    const seq = await runTurn(keel, threadId, 'go');
    const error = { message: '429 Rate limit reached', codexErrorInfo: 'rateLimitExceeded', additionalDetails: null };
    const turnId = params(seq[1]!).turn.id;
    expect(errorsOf(seq)).toEqual([
      { threadId, turnId, willRetry: true, error },
      { threadId, turnId, willRetry: false, error },
    ]);
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error });
  });

  it('interrupts a turn waiting out a long retry-after, promptly: no second call', async () => {
    const { keel, threadId } = await start([{ ...wire.error(429, 'rate_limit_exceeded', 'Rate limit reached'), headers: { 'retry-after': '20' } }]);
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    expect(params(await keel.waitFor('error')).willRetry).toBe(true);
    expect(await keel.request('turn/interrupt', { threadId, turnId: turn.id })).toEqual({});
    expect(params(await keel.waitFor('turn/completed')).turn).toMatchObject({ id: turn.id, status: 'interrupted', error: null });
    expect(fake.calls).toHaveLength(1);
  });

  // BUG: buildConversation (src/engine/turns/conversation.ts) turns each tool item into call +
  // result, so two calls the model made at once come back interleaved: assistant(call_a), tool(a),
  // assistant(call_b), tool(b) — not one assistant message as chatMessages intends and Codex sends.
  it('replays two tool calls of one response as one assistant message with both tool_calls, then both tool messages', async () => {
    const second = (id: string, name: string) => ({ data: { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'fake-model', choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id, type: 'function', function: { name, arguments: '{}' } }] }, finish_reason: null }] } });
    const { keel, threadId } = await start([
      { sse: wire.stream([wire.toolCall('call_a', 'launch_rocket', '{"path":"a"}'), [second('call_b', 'fire_laser')]], { finish: 'tool_calls' }) },
      { sse: wire.stream([wire.text('Both failed.')]) },
    ]);
    expect(turnOf(await runTurn(keel, threadId, 'go'))).toMatchObject({ status: 'completed', error: null });
    expect(conversationBody(fake.calls[1]!).messages).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'launch_rocket', arguments: '{"path":"a"}' } },
          { id: 'call_b', type: 'function', function: { name: 'fire_laser', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: unknownToolOutput('launch_rocket') },
      { role: 'tool', tool_call_id: 'call_b', content: unknownToolOutput('fire_laser') },
    ]);
  });
});
