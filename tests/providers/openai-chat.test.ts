import { describe, expect, it } from 'vitest';
import { createChatProvider } from '../../src/providers/openai-chat.js';
import type { ModelEvent, ModelRequest } from '../../src/providers/types.js';
import { type FakeResponse, type SseFrame } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { abortAfterFirstEvent, drain, errorSummary, modelRequest } from './collect.js';

const ROUTE = '/v1/chat/completions';
const fake = useFakeModelServer();

function provider(overrides: { id?: string; apiKey?: string; promptCacheKey?: boolean } = {}) {
  return createChatProvider({ id: 'deepseek', apiKey: 'sk-test', baseUrl: `${fake.url}/v1`, now: () => 1_700_000_000_000, ...overrides });
}

const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null): SseFrame => ({
  data: { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason }] },
});
const usageChunk = (usage: Record<string, unknown>): SseFrame => ({
  data: { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage },
});
const DONE: SseFrame = { data: '[DONE]' };

const usage = {
  prompt_tokens: 900,
  completion_tokens: 120,
  total_tokens: 1020,
  prompt_tokens_details: { cached_tokens: 512 },
  completion_tokens_details: { reasoning_tokens: 80 },
};
const mappedUsage: ModelEvent = {
  type: 'usage',
  usage: { inputTokens: 900, cachedInputTokens: 512, cacheWriteInputTokens: 0, outputTokens: 120, reasoningOutputTokens: 80, totalTokens: 1020 },
};

const streams: Array<{ name: string; sse: SseFrame[]; events: ModelEvent[] }> = [
  {
    name: 'hello in two deltas',
    sse: [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk(usage), DONE],
    events: [{ type: 'text', delta: 'Hel' }, { type: 'text', delta: 'lo' }, { type: 'blockEnd' }, mappedUsage, { type: 'completed', stopReason: 'stop' }],
  },
  {
    name: 'reasoning_content (DeepSeek, vLLM), then the answer',
    sse: [chunk({ reasoning_content: 'Think' }), chunk({ reasoning_content: 'ing' }), chunk({ content: 'Answer' }), chunk({}, 'stop'), DONE],
    events: [
      { type: 'reasoningText', index: 0, delta: 'Think' },
      { type: 'reasoningText', index: 0, delta: 'ing' },
      { type: 'blockEnd' },
      { type: 'text', delta: 'Answer' },
      { type: 'blockEnd' },
      { type: 'completed', stopReason: 'stop' },
    ],
  },
  {
    name: 'reasoning (OpenRouter, Ollama)',
    sse: [chunk({ reasoning: 'Hmm', content: null }), chunk({ reasoning: null, content: 'Yes' }), chunk({}, 'stop'), DONE],
    events: [
      { type: 'reasoningText', index: 0, delta: 'Hmm' },
      { type: 'blockEnd' },
      { type: 'text', delta: 'Yes' },
      { type: 'blockEnd' },
      { type: 'completed', stopReason: 'stop' },
    ],
  },
  {
    name: 'text, then two tool calls with arguments in pieces',
    sse: [
      chunk({ content: 'Looking.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'list_dir', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"a.txt"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk(usage),
      DONE,
    ],
    events: [
      { type: 'text', delta: 'Looking.' },
      { type: 'blockEnd' },
      { type: 'toolCall', callId: 'call_a', name: 'read_file', arguments: '{"path":"a.txt"}' },
      { type: 'toolCall', callId: 'call_b', name: 'list_dir', arguments: '{}' },
      mappedUsage,
      { type: 'completed', stopReason: 'toolCalls' },
    ],
  },
  {
    name: "a whole tool call in one chunk with finish_reason 'stop' (Ollama)",
    sse: [
      chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{}' } }] }, 'stop'),
      DONE,
    ],
    events: [
      { type: 'toolCall', callId: 'call_1', name: 'ls', arguments: '{}' },
      { type: 'completed', stopReason: 'toolCalls' },
    ],
  },
  {
    name: 'two calls without ids: each its own call, its id left empty (the engine gives one)',
    sse: [
      chunk({ tool_calls: [{ index: 0, type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] }),
      chunk({ tool_calls: [{ index: 1, type: 'function', function: { name: 'read_file', arguments: '{"path":"b"}' } }] }),
      chunk({}, 'tool_calls'),
      DONE,
    ],
    events: [
      { type: 'toolCall', callId: '', name: 'read_file', arguments: '{"path":"a"}' },
      { type: 'toolCall', callId: '', name: 'read_file', arguments: '{"path":"b"}' },
      { type: 'completed', stopReason: 'toolCalls' },
    ],
  },
  {
    name: 'whole calls all sent at index 0, each with its own id: two calls, not one merged',
    sse: [
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'call_b', type: 'function', function: { name: 'list_dir', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
      DONE,
    ],
    events: [
      { type: 'toolCall', callId: 'call_a', name: 'read_file', arguments: '{"path":"a"}' },
      { type: 'toolCall', callId: 'call_b', name: 'list_dir', arguments: '{}' },
      { type: 'completed', stopReason: 'toolCalls' },
    ],
  },
  {
    name: 'length and DeepSeek cache hits',
    sse: [chunk({ content: 'Lo' }), chunk({}, 'length'), usageChunk({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_cache_hit_tokens: 8 }), DONE],
    events: [
      { type: 'text', delta: 'Lo' },
      { type: 'blockEnd' },
      { type: 'usage', usage: { inputTokens: 10, cachedInputTokens: 8, cacheWriteInputTokens: 0, outputTokens: 5, reasoningOutputTokens: 0, totalTokens: 15 } },
      { type: 'completed', stopReason: 'length' },
    ],
  },
  {
    name: 'content_filter',
    sse: [chunk({}, 'content_filter'), DONE],
    events: [{ type: 'completed', stopReason: 'contentFilter' }],
  },
];

describe('Chat Completions stream → ModelEvents', () => {
  it.each(streams)('$name', async ({ sse, events }) => {
    fake.script(ROUTE, [{ sse }]);
    expect(await drain(provider())).toEqual({ events, error: null });
  });

  it('sends rate-limit headers (Groq style) as the first event', async () => {
    const headers = {
      'x-ratelimit-limit-requests': '14400',
      'x-ratelimit-remaining-requests': '14399',
      'x-ratelimit-reset-requests': '6s',
      'x-ratelimit-limit-tokens': '6000',
      'x-ratelimit-remaining-tokens': '3000',
      'x-ratelimit-reset-tokens': '2m59.56s',
    };
    fake.script(ROUTE, [{ sse: [chunk({}, 'stop'), DONE], headers }]);
    expect(await drain(provider())).toEqual({
      events: [
        {
          type: 'rateLimits',
          primary: { usedPercent: 0, windowDurationMins: null, resetsAt: 1_700_000_006 },
          secondary: { usedPercent: 50, windowDurationMins: null, resetsAt: 1_700_000_180 },
        },
        { type: 'completed', stopReason: 'stop' },
      ],
      error: null,
    });
  });
});

describe('Chat Completions request body', () => {
  it('maps instructions, the conversation, tools, reasoning effort and the output schema', async () => {
    fake.script(ROUTE, [{ sse: [chunk({}, 'stop'), DONE] }]);
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const parameters = { type: 'object', properties: { path: { type: 'string' } } };
    await drain(
      provider(),
      modelRequest({
        model: 'deepseek-chat',
        instructions: 'Be brief.',
        conversation: [
          { type: 'user', content: [{ type: 'text', text: 'Compare these.' }, { type: 'image', url: 'https://example.com/a.png' }] },
          { type: 'reasoning', summary: [], text: ['hidden'] },
          { type: 'assistant', text: 'Reading both.' },
          { type: 'toolCall', callId: 'call_a', name: 'read_file', arguments: '{"path":"a"}' },
          { type: 'toolCall', callId: 'call_b', name: 'read_file', arguments: '{"path":"b"}' },
          { type: 'toolResult', callId: 'call_a', output: 'A', isError: false },
          { type: 'toolResult', callId: 'call_b', output: 'no such file', isError: true },
          { type: 'toolCall', callId: 'call_c', name: 'read_file', arguments: '{"path":"c"}' },
          { type: 'toolResult', callId: 'call_c', output: 'C', isError: false },
          { type: 'user', content: [{ type: 'text', text: 'Thanks' }] },
        ],
        tools: [{ name: 'read_file', description: 'Reads a file', parameters }],
        reasoningEffort: 'low',
        outputSchema: schema,
      }),
    );
    expect(fake.calls.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: 'POST',
        path: ROUTE,
        body: {
          model: 'deepseek-chat',
          messages: [
            { role: 'system', content: 'Be brief.' },
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Compare these.' },
                { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
              ],
            },
            {
              role: 'assistant',
              content: 'Reading both.',
              tool_calls: [
                { id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } },
                { id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '{"path":"b"}' } },
              ],
            },
            { role: 'tool', tool_call_id: 'call_a', content: 'A' },
            { role: 'tool', tool_call_id: 'call_b', content: 'no such file' },
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'call_c', type: 'function', function: { name: 'read_file', arguments: '{"path":"c"}' } }],
            },
            { role: 'tool', tool_call_id: 'call_c', content: 'C' },
            { role: 'user', content: 'Thanks' },
          ],
          tools: [{ type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters } }],
          reasoning_effort: 'low',
          response_format: { type: 'json_schema', json_schema: { name: 'output', schema, strict: false } },
          stream: true,
          stream_options: { include_usage: true },
        },
      },
    ]);
    expect(fake.calls[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  // Unknown fields may be refused by an OpenAI-compatible server: each goes only where it is taken.
  const noop = { name: 'noop', description: 'Nothing', parameters: { type: 'object', properties: {} } };
  it.each<{ name: string; promptCacheKey: boolean; request: Partial<ModelRequest>; extra: Record<string, unknown> }>([
    {
      name: 'tools a model may call in parallel, on an endpoint that takes a cache key: both',
      promptCacheKey: true,
      request: { tools: [noop], parallelToolCalls: true, cacheKey: 'thread-1' },
      extra: { tools: [{ type: 'function', function: noop }], parallel_tool_calls: true, prompt_cache_key: 'thread-1' },
    },
    {
      name: 'an endpoint not known to take a cache key: none',
      promptCacheKey: false,
      request: { tools: [noop], parallelToolCalls: true, cacheKey: 'thread-1' },
      extra: { tools: [{ type: 'function', function: noop }], parallel_tool_calls: true },
    },
    {
      name: 'no tools: no parallel flag',
      promptCacheKey: true,
      request: { parallelToolCalls: true, cacheKey: 'thread-1' },
      extra: { prompt_cache_key: 'thread-1' },
    },
    {
      name: 'a model the catalog does not know to call in parallel: no flag (the endpoint decides)',
      promptCacheKey: true,
      request: { tools: [noop], parallelToolCalls: false, cacheKey: null },
      extra: { tools: [{ type: 'function', function: noop }] },
    },
  ])('$name', async ({ promptCacheKey, request, extra }) => {
    fake.script(ROUTE, [{ sse: [chunk({}, 'stop'), DONE] }]);
    await drain(provider({ promptCacheKey }), modelRequest(request));
    expect(fake.calls[0]!.body).toEqual({
      model: 'test-model',
      messages: [{ role: 'user', content: 'hi' }],
      ...extra,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends no Authorization header when the provider takes no key', async () => {
    fake.script(ROUTE, [{ sse: [chunk({}, 'stop'), DONE] }]);
    await drain(provider({ id: 'ollama', apiKey: '' }));
    expect(fake.calls[0]!.headers.authorization).toBeUndefined();
  });
});

describe('Chat Completions model listing', () => {
  it('lists the server models, completed from the catalog where it knows them', async () => {
    fake.script('/v1/models', [
      {
        json: {
          object: 'list',
          data: [
            { id: 'deepseek-chat', object: 'model', created: 0, owned_by: 'deepseek' },
            { id: 'deepseek-experimental', object: 'model', created: 0, owned_by: 'deepseek' },
          ],
        },
      },
    ]);
    expect(await provider().listModels!(new AbortController().signal)).toEqual([
      { id: 'deepseek-chat', displayName: 'DeepSeek Chat', contextWindow: 128_000, supportsReasoning: false, supportsImages: false, supportsTools: true },
      { id: 'deepseek-experimental', displayName: 'deepseek-experimental', contextWindow: null, supportsReasoning: false, supportsImages: false, supportsTools: true },
    ]);
  });

  it('maps a listing failure like any other request', async () => {
    fake.script('/v1/models', [{ status: 401, json: { error: { message: 'bad key' } } }]);
    const error = await provider().listModels!(new AbortController().signal).catch((e: unknown) => e);
    expect(errorSummary(error)).toEqual({ kind: 'unauthorized', httpStatus: 401, retryAfterMs: null, retryable: false });
  });
});

describe('Chat Completions failures', () => {
  const failures: Array<{ name: string; response: FakeResponse; events?: ModelEvent[]; error: unknown }> = [
    {
      name: '401 → unauthorized',
      response: { status: 401, json: { error: { message: 'Authentication Fails', type: 'authentication_error' } } },
      error: { kind: 'unauthorized', httpStatus: 401, retryAfterMs: null, retryable: false },
    },
    {
      name: '429 with retry-after: 2 → rateLimitExceeded after 2s',
      response: { status: 429, headers: { 'retry-after': '2' }, json: { error: { message: 'Rate limit reached' } } },
      error: { kind: 'rateLimitExceeded', httpStatus: 429, retryAfterMs: 2000, retryable: true },
    },
    {
      name: '500 → internalServerError',
      response: { status: 500, json: { error: { message: 'oops' } } },
      error: { kind: 'internalServerError', httpStatus: 500, retryAfterMs: null, retryable: true },
    },
    {
      name: '400 context too long → contextWindowExceeded',
      response: { status: 400, json: { error: { message: "This model's maximum context length is 65536 tokens.", code: 'context_length_exceeded' } } },
      error: { kind: 'contextWindowExceeded', httpStatus: 400, retryAfterMs: null, retryable: false },
    },
    {
      name: 'a stream cut mid-answer → responseStreamDisconnected',
      response: { sse: [chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), DONE], cutAfter: 1 },
      events: [{ type: 'text', delta: 'Hel' }],
      error: { kind: 'responseStreamDisconnected', httpStatus: null, retryAfterMs: null, retryable: true },
    },
    {
      name: 'a stream closed before any finish_reason → responseStreamDisconnected',
      response: { sse: [chunk({ content: 'Hel' })] },
      events: [{ type: 'text', delta: 'Hel' }],
      error: { kind: 'responseStreamDisconnected', httpStatus: null, retryAfterMs: null, retryable: true },
    },
    {
      name: 'an error chunk mid-stream (OpenRouter) → by its code',
      response: { sse: [chunk({ content: 'Hel' }), { data: { error: { code: 502, message: 'Provider returned error' } } }] },
      events: [{ type: 'text', delta: 'Hel' }],
      error: { kind: 'internalServerError', httpStatus: null, retryAfterMs: null, retryable: true },
    },
  ];

  it.each(failures)('$name', async ({ response, events = [], error }) => {
    fake.script(ROUTE, [response]);
    const result = await drain(provider());
    expect({ events: result.events, error: errorSummary(result.error) }).toEqual({ events, error });
  });

  it('a stalled stream ends promptly when the signal aborts', async () => {
    fake.script(ROUTE, [{ sse: [chunk({ content: 'Hel' }), chunk({ content: 'lo' })], stallAfter: 1 }]);
    const { first, next } = await abortAfterFirstEvent(provider());
    expect(first).toEqual({ type: 'text', delta: 'Hel' });
    expect(next).toEqual({ error: expect.objectContaining({ name: 'AbortError' }) });
  });
});

// OpenRouter and other gateways answer 200 with `{"error": …}` when the upstream failed before
// streaming; a numeric `code` is the upstream HTTP status.
describe('Chat Completions: a 200 whose body is a JSON error', () => {
  const bodies: Array<{ name: string; json: unknown; error: unknown }> = [
    {
      name: 'code 401 (OpenRouter) → unauthorized, not retried',
      json: { error: { code: 401, message: 'No auth credentials found' } },
      error: { message: 'No auth credentials found', kind: 'unauthorized', httpStatus: 200, retryAfterMs: null, retryable: false },
    },
    {
      name: 'code 502 (OpenRouter) → internalServerError, retried',
      json: { error: { code: 502, message: 'Provider returned error', metadata: { provider_name: 'x' } } },
      error: { message: 'Provider returned error', kind: 'internalServerError', httpStatus: 200, retryAfterMs: null, retryable: true },
    },
    {
      name: 'context_length_exceeded → contextWindowExceeded',
      json: { error: { message: "This model's maximum context length is 65536 tokens.", code: 'context_length_exceeded' } },
      error: { message: "This model's maximum context length is 65536 tokens.", kind: 'contextWindowExceeded', httpStatus: 200, retryAfterMs: null, retryable: false },
    },
    {
      name: 'an error that says nothing more → other, not retried',
      json: { error: { message: 'model llama9 is not loaded' } },
      error: { message: 'model llama9 is not loaded', kind: 'other', httpStatus: 200, retryAfterMs: null, retryable: false },
    },
    {
      name: 'an error that is a bare string (ollama) → other, not retried',
      json: { error: "model 'llama9' not found, try pulling it first" },
      error: { message: "model 'llama9' not found, try pulling it first", kind: 'other', httpStatus: 200, retryAfterMs: null, retryable: false },
    },
  ];

  it.each(bodies)('$name', async ({ json, error }) => {
    fake.script(ROUTE, [{ status: 200, json }]);
    const result = await drain(provider());
    expect({ events: result.events, error: { message: (result.error as Error).message, ...(errorSummary(result.error) as object) } }).toEqual({ events: [], error });
  });
});
