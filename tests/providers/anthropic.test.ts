import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import type { ConversationItem, ModelEvent } from '../../src/providers/types.js';
import { type FakeResponse, type SseFrame } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { abortAfterFirstEvent, drain, errorSummary, modelRequest } from './collect.js';

const ROUTE = '/v1/messages';
const fake = useFakeModelServer();

function provider() {
  return createAnthropicProvider({ id: 'anthropic', apiKey: 'sk-ant-test', baseUrl: fake.url });
}

/** An Anthropic SSE frame: the event name is the payload's `type`, as the API sends it. */
const frame = (data: { type: string } & Record<string, unknown>): SseFrame => ({ event: data.type, data });

const messageStart = frame({
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-opus-4-5',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 100, cache_creation_input_tokens: 20, cache_read_input_tokens: 500, output_tokens: 1 },
  },
});
const ping = frame({ type: 'ping' });
const textStart = (index: number) => frame({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
const textDelta = (index: number, text: string) => frame({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
const blockStop = (index: number) => frame({ type: 'content_block_stop', index });
const messageDelta = (stop_reason: string, usage: Record<string, unknown> = { output_tokens: 12 }) =>
  frame({ type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage });
const messageStop = frame({ type: 'message_stop' });

/** input = 100 + 500 cache read + 20 cache write; output from message_delta. */
const usageEvent = (outputTokens = 12, reasoningOutputTokens = 0): ModelEvent => ({
  type: 'usage',
  usage: {
    inputTokens: 620,
    cachedInputTokens: 500,
    cacheWriteInputTokens: 20,
    outputTokens,
    reasoningOutputTokens,
    totalTokens: 620 + outputTokens,
  },
});

const streams: Array<{ name: string; sse: SseFrame[]; events: ModelEvent[] }> = [
  {
    name: 'hello in two deltas',
    sse: [messageStart, textStart(0), ping, textDelta(0, 'Hel'), textDelta(0, 'lo'), blockStop(0), messageDelta('end_turn'), messageStop],
    events: [{ type: 'text', delta: 'Hel' }, { type: 'text', delta: 'lo' }, { type: 'blockEnd' }, usageEvent(), { type: 'completed', stopReason: 'stop' }],
  },
  {
    name: 'thinking, then the answer',
    sse: [
      messageStart,
      frame({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
      frame({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } }),
      frame({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } }),
      frame({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } }),
      blockStop(0),
      textStart(1),
      textDelta(1, '42'),
      blockStop(1),
      messageDelta('end_turn', { output_tokens: 40, output_tokens_details: { thinking_tokens: 30 } }),
      messageStop,
    ],
    events: [
      { type: 'reasoningText', index: 0, delta: 'Let me ' },
      { type: 'reasoningText', index: 0, delta: 'think.' },
      // The signed block, kept whole to go back to the model (anthropic-reasoning.test.ts).
      { type: 'reasoningCarry', carry: { wire: 'anthropic', type: 'thinking', thinking: 'Let me think.', signature: 'c2ln' } },
      { type: 'blockEnd' },
      { type: 'text', delta: '42' },
      { type: 'blockEnd' },
      usageEvent(40, 30),
      { type: 'completed', stopReason: 'stop' },
    ],
  },
  {
    name: 'text, a tool call with input streamed in pieces, a tool call without input',
    sse: [
      messageStart,
      textStart(0),
      textDelta(0, "I'll look."),
      blockStop(0),
      frame({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: {} } }),
      frame({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
      frame({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"path": "a' } }),
      frame({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '.txt"}' } }),
      blockStop(1),
      frame({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_2', name: 'list_dir', input: {} } }),
      blockStop(2),
      messageDelta('tool_use'),
      messageStop,
    ],
    events: [
      { type: 'text', delta: "I'll look." },
      { type: 'blockEnd' },
      { type: 'toolCall', callId: 'toolu_1', name: 'read_file', arguments: '{"path": "a.txt"}' },
      { type: 'toolCall', callId: 'toolu_2', name: 'list_dir', arguments: '{}' },
      usageEvent(),
      { type: 'completed', stopReason: 'toolCalls' },
    ],
  },
  {
    name: 'max_tokens → length',
    sse: [messageStart, textStart(0), textDelta(0, 'Lo'), blockStop(0), messageDelta('max_tokens'), messageStop],
    events: [{ type: 'text', delta: 'Lo' }, { type: 'blockEnd' }, usageEvent(), { type: 'completed', stopReason: 'length' }],
  },
  {
    name: 'refusal → contentFilter',
    sse: [messageStart, messageDelta('refusal'), messageStop],
    events: [usageEvent(), { type: 'completed', stopReason: 'contentFilter' }],
  },
];

describe('Anthropic stream → ModelEvents', () => {
  it.each(streams)('$name', async ({ sse, events }) => {
    fake.script(ROUTE, [{ sse }]);
    expect(await drain(provider())).toEqual({ events, error: null });
  });

  it('sends rate-limit headers as the first event', async () => {
    const headers = {
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2023-11-14T22:13:21Z',
      'anthropic-ratelimit-tokens-limit': '40000',
      'anthropic-ratelimit-tokens-remaining': '10000',
      'anthropic-ratelimit-tokens-reset': '2023-11-14T22:14:20Z',
    };
    fake.script(ROUTE, [{ sse: [messageStart, messageDelta('end_turn'), messageStop], headers }]);
    expect(await drain(provider())).toEqual({
      events: [
        {
          type: 'rateLimits',
          primary: { usedPercent: 2, windowDurationMins: null, resetsAt: 1_700_000_001 },
          secondary: { usedPercent: 75, windowDurationMins: null, resetsAt: 1_700_000_060 },
        },
        usageEvent(),
        { type: 'completed', stopReason: 'stop' },
      ],
      error: null,
    });
  });
});

describe('Anthropic request body', () => {
  const parameters = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
  const toolLoop: ConversationItem[] = [
    { type: 'user', content: [{ type: 'text', text: 'Look at these.' }, { type: 'image', url: 'https://example.com/a.png' }, { type: 'image', url: 'data:image/png;base64,iVBORw0K' }] },
    { type: 'reasoning', summary: [], text: ['hidden'] },
    { type: 'assistant', text: 'Reading.' },
    { type: 'toolCall', callId: 'toolu_1', name: 'read_file', arguments: '{"path":"a"}' },
    { type: 'toolCall', callId: 'toolu_2', name: 'read_file', arguments: '{"path":"b"}' },
    { type: 'toolResult', callId: 'toolu_1', output: 'A', isError: false },
    { type: 'toolResult', callId: 'toolu_2', output: 'no such file', isError: true },
  ];
  const toolLoopMessages = [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Look at these.' },
        { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0K' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Reading.' },
        { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a' } },
        { type: 'tool_use', id: 'toolu_2', name: 'read_file', input: { path: 'b' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'A', is_error: false },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: 'no such file', is_error: true },
      ],
    },
  ];

  it('maps system, merged messages, tools, thinking and the output schema', async () => {
    fake.script(ROUTE, [{ sse: [messageStart, messageDelta('end_turn'), messageStop] }]);
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    await drain(
      provider(),
      modelRequest({
        model: 'claude-opus-4-5',
        instructions: 'Be brief.',
        conversation: [...toolLoop, { type: 'assistant', text: 'Both read.' }, { type: 'user', content: [{ type: 'text', text: 'Now summarise.' }] }],
        tools: [{ name: 'read_file', description: 'Reads a file', parameters }],
        reasoningEffort: 'high',
        outputSchema: schema,
      }),
    );
    const [first, ...rest] = toolLoopMessages;
    const results = rest[1]!;
    // Prompt-cache breakpoints (anthropic-cache.test.ts): the last tool, the system prompt, the last
    // block of the two most recent user messages.
    const cache_control = { type: 'ephemeral' };
    expect(fake.calls.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: 'POST',
        path: ROUTE,
        body: {
          model: 'claude-opus-4-5',
          max_tokens: 16_384 + 8192,
          system: [{ type: 'text', text: 'Be brief.', cache_control }],
          messages: [
            first,
            rest[0],
            { role: 'user', content: [results.content[0], { ...results.content[1], cache_control }] },
            { role: 'assistant', content: [{ type: 'text', text: 'Both read.' }] },
            { role: 'user', content: [{ type: 'text', text: 'Now summarise.', cache_control }] },
          ],
          tools: [{ name: 'read_file', description: 'Reads a file', input_schema: parameters, cache_control }],
          thinking: { type: 'enabled', budget_tokens: 16_384 },
          output_config: { format: { type: 'json_schema', schema } },
          stream: true,
        },
      },
    ]);
    // SDK 1.x sends the key as a bearer token.
    expect(fake.calls[0]!.headers.authorization).toBe('Bearer sk-ant-test');
  });

  it('asks for no thinking mid tool loop when the assistant message has no signed thinking to send back (promptCache off)', async () => {
    fake.script(ROUTE, [{ sse: [messageStart, messageDelta('end_turn'), messageStop] }]);
    const uncached = createAnthropicProvider({ id: 'anthropic', apiKey: 'sk-ant-test', baseUrl: fake.url, promptCache: 'off' });
    await drain(uncached, modelRequest({ model: 'claude-opus-4-5', conversation: toolLoop, reasoningEffort: 'high' }));
    expect(fake.calls[0]!.body).toEqual({ model: 'claude-opus-4-5', max_tokens: 8192, messages: toolLoopMessages, stream: true });
  });
});

describe('Anthropic model listing', () => {
  it('lists the API models, filling gaps from the catalog', async () => {
    fake.script('/v1/models', [
      {
        json: {
          data: [
            {
              type: 'model',
              id: 'claude-opus-4-8',
              display_name: 'Claude Opus 4.8',
              created_at: '2026-01-01T00:00:00Z',
              lifecycle: 'active',
              max_input_tokens: 1_000_000,
              capabilities: { thinking: { supported: true }, image_input: { supported: true } },
            },
            { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z', lifecycle: 'active' },
            { type: 'model', id: 'claude-2.1', display_name: 'Claude 2.1', created_at: '2023-11-21T00:00:00Z', lifecycle: 'retired' },
          ],
          has_more: false,
          first_id: 'claude-opus-4-8',
          last_id: 'claude-2.1',
        },
      },
    ]);
    expect(await provider().listModels!(new AbortController().signal)).toEqual([
      { id: 'claude-opus-4-8', displayName: 'Claude Opus 4.8', contextWindow: 1_000_000, supportsReasoning: true, supportsImages: true, supportsTools: true },
      { id: 'claude-sonnet-4-5-20250929', displayName: 'Claude Sonnet 4.5', contextWindow: 200_000, supportsReasoning: true, supportsImages: true, supportsTools: true },
    ]);
  });
});

describe('Anthropic failures', () => {
  const apiError = (type: string, message: string) => ({ type: 'error', error: { type, message } });
  const failures: Array<{ name: string; response: FakeResponse; events?: ModelEvent[]; error: unknown }> = [
    {
      name: '401 → unauthorized',
      response: { status: 401, json: apiError('authentication_error', 'invalid x-api-key') },
      error: { kind: 'unauthorized', httpStatus: 401, retryAfterMs: null, retryable: false },
    },
    {
      name: '429 with retry-after: 2 → rateLimitExceeded after 2s',
      response: { status: 429, headers: { 'retry-after': '2' }, json: apiError('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit') },
      error: { kind: 'rateLimitExceeded', httpStatus: 429, retryAfterMs: 2000, retryable: true },
    },
    {
      name: '500 → internalServerError',
      response: { status: 500, json: apiError('api_error', 'Internal server error') },
      error: { kind: 'internalServerError', httpStatus: 500, retryAfterMs: null, retryable: true },
    },
    {
      name: '529 → serverOverloaded',
      response: { status: 529, json: apiError('overloaded_error', 'Overloaded') },
      error: { kind: 'serverOverloaded', httpStatus: 529, retryAfterMs: null, retryable: true },
    },
    {
      name: '400 prompt too long → contextWindowExceeded',
      response: { status: 400, json: apiError('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum') },
      error: { kind: 'contextWindowExceeded', httpStatus: 400, retryAfterMs: null, retryable: false },
    },
    {
      name: '404 → modelNotFound',
      response: { status: 404, json: apiError('not_found_error', 'model: claude-nope') },
      error: { kind: 'modelNotFound', httpStatus: 404, retryAfterMs: null, retryable: false },
    },
    {
      name: 'an overloaded_error event mid-stream → serverOverloaded',
      response: { sse: [messageStart, textStart(0), textDelta(0, 'Hel'), { event: 'error', data: apiError('overloaded_error', 'Overloaded') }] },
      events: [{ type: 'text', delta: 'Hel' }],
      error: { kind: 'serverOverloaded', httpStatus: null, retryAfterMs: null, retryable: true },
    },
    {
      name: 'a stream cut mid-answer → responseStreamDisconnected',
      response: { sse: [messageStart, textStart(0), textDelta(0, 'Hel'), textDelta(0, 'lo'), blockStop(0), messageStop], cutAfter: 3 },
      events: [{ type: 'text', delta: 'Hel' }],
      error: { kind: 'responseStreamDisconnected', httpStatus: null, retryAfterMs: null, retryable: true },
    },
    {
      name: 'a stream closed without message_stop → responseStreamDisconnected',
      response: { sse: [messageStart, textStart(0), textDelta(0, 'Hel')] },
      events: [{ type: 'text', delta: 'Hel' }],
      error: { kind: 'responseStreamDisconnected', httpStatus: null, retryAfterMs: null, retryable: true },
    },
  ];

  it.each(failures)('$name', async ({ response, events = [], error }) => {
    fake.script(ROUTE, [response]);
    const result = await drain(provider());
    expect({ events: result.events, error: errorSummary(result.error) }).toEqual({ events, error });
  });

  it('a stalled stream ends promptly when the signal aborts', async () => {
    fake.script(ROUTE, [{ sse: [messageStart, textStart(0), textDelta(0, 'Hel'), textDelta(0, 'lo')], stallAfter: 3 }]);
    const { first, next } = await abortAfterFirstEvent(provider());
    expect(first).toEqual({ type: 'text', delta: 'Hel' });
    expect(next).toEqual({ error: expect.objectContaining({ name: 'AbortError' }) });
  });
});

describe('Anthropic: a 200 whose body is a JSON error', () => {
  const apiError = (type: string, message: string) => ({ type: 'error', error: { type, message } });
  const bodies: Array<{ name: string; json: unknown; error: unknown }> = [
    {
      name: 'overloaded_error → serverOverloaded, retried',
      json: apiError('overloaded_error', 'Overloaded'),
      error: { message: 'Overloaded', kind: 'serverOverloaded', httpStatus: 200, retryAfterMs: null, retryable: true },
    },
    {
      name: 'authentication_error → unauthorized, not retried',
      json: apiError('authentication_error', 'invalid x-api-key'),
      error: { message: 'invalid x-api-key', kind: 'unauthorized', httpStatus: 200, retryAfterMs: null, retryable: false },
    },
    {
      name: 'prompt too long → contextWindowExceeded',
      json: apiError('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'),
      error: { message: 'prompt is too long: 210000 tokens > 200000 maximum', kind: 'contextWindowExceeded', httpStatus: 200, retryAfterMs: null, retryable: false },
    },
  ];

  it.each(bodies)('$name', async ({ json, error }) => {
    fake.script(ROUTE, [{ status: 200, json }]);
    const result = await drain(provider());
    expect({ events: result.events, error: { message: (result.error as Error).message, ...(errorSummary(result.error) as object) } }).toEqual({ events: [], error });
  });
});
