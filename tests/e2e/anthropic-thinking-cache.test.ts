// Claude's thinking and Anthropic prompt caching end to end, over stdio against a fake Messages
// endpoint through the real SDK: a tool loop whose signed thinking goes back in call 2 and in the
// next turn, with the cache breakpoints where they belong; a move to OpenAI and back to another
// Claude model drops the blocks; the signed blocks never reach a client; `prompt_cache` set per
// provider (the built-in `anthropic` too).
import { describe, expect, it } from 'vitest';
import type { RecordedCall, SseFrame } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItems, keelWithThread, runTurn, turnOf, unknownToolOutput } from '../helpers/turns.js';
import { anthropic, responses } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();
type Json = Record<string, any>;

const SIGNATURE = 'EqQBCkYIBxgCKkBzaWduZWQtYnktdGhlLWZha2UtY2xhdWRlLzEyMys9PQ==';
const SIGNATURE_2 = 'EpYBCkYIBxgCKkBzZWNvbmQtc2lnbmF0dXJlLW9mLXRoZS1sb29wKys=';
const REDACTED = 'EmwKAhgBEgy3va3pzGnh+/xn2a4aDDPx6oLj8Ks3dQ==';
const frame = (data: Json): SseFrame => ({ event: data.type, data });
const signedThinking = (text: string, signature: string) => (index: number): SseFrame[] => [
  frame({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }),
  frame({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: text } }),
  frame({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature } }),
  frame({ type: 'content_block_stop', index }),
];
const redactedThinking = (data: string) => (index: number): SseFrame[] => [
  frame({ type: 'content_block_start', index, content_block: { type: 'redacted_thinking', data } }),
  frame({ type: 'content_block_stop', index }),
];

const cache_control = { type: 'ephemeral' };
const text = (value: string, marked = false) => ({ type: 'text', text: value, ...(marked && { cache_control }) });
const failedResult = { type: 'tool_result', tool_use_id: 'toolu_1', content: unknownToolOutput('launch_rocket'), is_error: true };
const thinkingBlock = { type: 'thinking', thinking: 'Look at a.txt first.', signature: SIGNATURE };
const redactedBlock = { type: 'redacted_thinking', data: REDACTED };
const toolUse = { type: 'tool_use', id: 'toolu_1', name: 'launch_rocket', input: { path: 'a.txt' } };

const isContext = (block: Json) => block.type === 'text' && /^(<environment_context>|# AGENTS\.md instructions for )/.test(block.text);
/**
 * A Messages body as sent, with the preamble's context blocks taken out of the first message and
 * the system prompt and tool list reduced to where their breakpoints are (their text has its own tests).
 */
function sent(call: RecordedCall): Json {
  const body = call.body as Json;
  const [first, ...rest] = body.messages as Json[];
  return {
    ...body,
    system: (body.system as Json[]).map((block) => ({ ...block, text: block.text.length > 0 ? 'SYSTEM' : '' })),
    tools: (body.tools as Json[]).map((tool) => (tool.cache_control ? { cache_control: tool.cache_control } : {})),
    messages: [{ ...first, content: first!.content.filter((block: Json) => !isContext(block)) }, ...rest],
  };
}
/** A tool list whose last tool alone carries the breakpoint. */
const toolsMarked = (call: RecordedCall, control: Json = cache_control) => [...Array((call.body as Json).tools.length - 1).fill({}), { cache_control: control }];

/** Both first-party providers moved to the fake. */
const bothProviders = () => ({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1`, ANTHROPIC_API_KEY: 'test-ant-key', ANTHROPIC_BASE_URL: fake.url });

describe('Claude thinking across a tool loop, with prompt caching', () => {
  it('call 2 carries the signed and redacted blocks before the tool_use, thinking on; the next turn keeps them; none reaches a client', async () => {
    fake.script(anthropic.route, [
      { sse: anthropic.stream([signedThinking('Look at a.txt first.', SIGNATURE), redactedThinking(REDACTED), anthropic.toolUse('toolu_1', 'launch_rocket', '{"path":"a.txt"}')], { stop: 'tool_use' }) },
      { sse: anthropic.stream([signedThinking('It failed.', SIGNATURE_2), anthropic.text('It is missing.')]) },
      { sse: anthropic.stream([anthropic.text('Still missing.')]) },
    ]);
    const { keel, threadId } = await keelWithThread({
      config: ['model_provider = "anthropic"', 'model = "claude-sonnet-4-5"', 'model_reasoning_effort = "high"'],
      spawn: { env: bothProviders() },
    });
    const first = await runTurn(keel, threadId, 'read a.txt');
    expect(turnOf(first)).toMatchObject({ status: 'completed', error: null });
    // Clients see the thinking text and an empty item for the redacted block; never the signature or data.
    expect(completedItems(first).map((item) => (item.type === 'reasoning' ? { type: item.type, summary: item.summary, content: item.content } : item.type))).toEqual([
      'userMessage',
      { type: 'reasoning', summary: [], content: ['Look at a.txt first.'] },
      { type: 'reasoning', summary: [], content: [] },
      'dynamicToolCall',
      { type: 'reasoning', summary: [], content: ['It failed.'] },
      'agentMessage',
    ]);
    const second = await runTurn(keel, threadId, 'and now?');
    expect(turnOf(second)).toMatchObject({ status: 'completed', error: null });
    const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
    for (const secret of [SIGNATURE, SIGNATURE_2, REDACTED]) {
      expect(JSON.stringify(keel.messages)).not.toContain(secret);
      expect(JSON.stringify(thread)).not.toContain(secret);
    }

    const [call1, call2, call3] = fake.calls;
    const thinkingOn = { model: 'claude-sonnet-4-5', max_tokens: 16_384 + 8192, thinking: { type: 'enabled', budget_tokens: 16_384 }, stream: true };
    const system = [{ type: 'text', text: 'SYSTEM', cache_control }];
    expect(sent(call1!)).toEqual({ ...thinkingOn, system, tools: toolsMarked(call1!), messages: [{ role: 'user', content: [text('read a.txt', true)] }] });
    expect(sent(call2!)).toEqual({
      ...thinkingOn,
      system,
      tools: toolsMarked(call2!),
      messages: [
        { role: 'user', content: [text('read a.txt', true)] },
        { role: 'assistant', content: [thinkingBlock, redactedBlock, toolUse] },
        { role: 'user', content: [{ ...failedResult, cache_control }] },
      ],
    });
    expect(sent(call3!)).toEqual({
      ...thinkingOn,
      system,
      tools: toolsMarked(call3!),
      messages: [
        { role: 'user', content: [text('read a.txt')] },
        { role: 'assistant', content: [thinkingBlock, redactedBlock, toolUse] },
        { role: 'user', content: [{ ...failedResult, cache_control }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'It failed.', signature: SIGNATURE_2 }, text('It is missing.')] },
        { role: 'user', content: [text('and now?', true)] },
      ],
    });
    // The prefix the cache keys on is the same in every call: tools, then system, byte for byte.
    expect(new Set(fake.calls.map((call) => JSON.stringify([(call.body as Json).tools, (call.body as Json).system]))).size).toBe(1);
    for (const call of fake.calls) expect(call.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
  });

  it('moved to OpenAI the blocks are not sent; back on another Claude model they are not sent either', async () => {
    fake.script(anthropic.route, [
      { sse: anthropic.stream([signedThinking('Look at a.txt first.', SIGNATURE), redactedThinking(REDACTED), anthropic.toolUse('toolu_1', 'launch_rocket', '{"path":"a.txt"}')], { stop: 'tool_use' }) },
      { sse: anthropic.stream([anthropic.text('It is missing.')]) },
      { sse: anthropic.stream([anthropic.text('Opus here.')]) },
    ]);
    fake.script(responses.route, [{ sse: responses.stream([responses.message('GPT here.')]) }]);
    const { keel, threadId } = await keelWithThread({
      config: ['model_provider = "anthropic"', 'model = "claude-sonnet-4-5"', 'model_reasoning_effort = "low"'],
      spawn: { env: bothProviders() },
    });
    expect(turnOf(await runTurn(keel, threadId, 'read a.txt'))).toMatchObject({ status: 'completed', error: null });

    await keel.request('thread/resume', { threadId, modelProvider: 'openai', model: 'gpt-5' });
    expect(turnOf(await runTurn(keel, threadId, 'gpt?'))).toMatchObject({ status: 'completed', error: null });
    const toOpenAi = fake.calls.find((call) => call.path === responses.route)!;
    for (const secret of [SIGNATURE, REDACTED]) expect(JSON.stringify(toOpenAi.body)).not.toContain(secret);

    await keel.request('thread/resume', { threadId, modelProvider: 'anthropic', model: 'claude-opus-4-5' });
    expect(turnOf(await runTurn(keel, threadId, 'opus?'))).toMatchObject({ status: 'completed', error: null });
    const toOpus = fake.calls.filter((call) => call.path === anthropic.route)[2]!;
    expect(sent(toOpus)).toEqual({
      model: 'claude-opus-4-5',
      max_tokens: 2048 + 8192,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      stream: true,
      system: [{ type: 'text', text: 'SYSTEM', cache_control }],
      tools: toolsMarked(toOpus),
      messages: [
        { role: 'user', content: [text('read a.txt')] },
        { role: 'assistant', content: [toolUse] },
        { role: 'user', content: [failedResult] },
        { role: 'assistant', content: [text('It is missing.')] },
        { role: 'user', content: [text('gpt?', true)] },
        { role: 'assistant', content: [text('GPT here.')] },
        { role: 'user', content: [text('opus?', true)] },
      ],
    });
  });

  it('prompt_cache per provider: "off" on the built-in anthropic sends no cache_control, "1h" on a custom endpoint sends ttl 1h', async () => {
    fake.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('uncached')]) }, { sse: anthropic.stream([anthropic.text('an hour')]) }]);
    const { keel, threadId } = await keelWithThread({
      config: [
        'model_provider = "anthropic"',
        'model = "claude-sonnet-4-5"',
        '[model_providers.anthropic]',
        'prompt_cache = "off"',
        '[model_providers.claude-hour]',
        'wire_api = "anthropic"',
        `base_url = "${fake.url}"`,
        'env_key = "ANTHROPIC_API_KEY"',
        'prompt_cache = "1h"',
      ],
      spawn: { env: bothProviders() },
    });
    expect(turnOf(await runTurn(keel, threadId, 'one'))).toMatchObject({ status: 'completed', error: null });
    await keel.request('thread/resume', { threadId, modelProvider: 'claude-hour', model: 'claude-sonnet-4-5' });
    expect(turnOf(await runTurn(keel, threadId, 'two'))).toMatchObject({ status: 'completed', error: null });

    const [off, hour] = fake.calls;
    expect(JSON.stringify(off!.body)).not.toContain('cache_control');
    expect(typeof (off!.body as Json).system).toBe('string');
    const ttl = { type: 'ephemeral', ttl: '1h' };
    expect(sent(hour!)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 8192,
      stream: true,
      system: [{ type: 'text', text: 'SYSTEM', cache_control: ttl }],
      tools: toolsMarked(hour!, ttl),
      messages: [
        { role: 'user', content: [{ ...text('one'), cache_control: ttl }] },
        { role: 'assistant', content: [text('uncached')] },
        { role: 'user', content: [{ ...text('two'), cache_control: ttl }] },
      ],
    });
    expect(hour!.headers['anthropic-beta']).toBe('extended-cache-ttl-2025-04-11');
  });
});
