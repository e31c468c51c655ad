import { describe, expect, it } from 'vitest';
import { createResponsesProvider, responsesInput } from '../../src/providers/openai-responses.js';
import type { ConversationItem, ModelEvent } from '../../src/providers/types.js';
import { startFakeModelServer, type FakeResponse, type SseFrame } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { abortAfterFirstEvent, drain, errorSummary, modelRequest } from './collect.js';

const ROUTE = '/v1/responses';
const fake = useFakeModelServer();

function provider(now = () => 1_700_000_000_000) {
  return createResponsesProvider({ id: 'openai', apiKey: 'sk-test', baseUrl: `${fake.url}/v1`, now });
}

/** A Responses SSE frame: the event name is the payload's `type`, as the API sends it. */
const frame = (data: { type: string } & Record<string, unknown>): SseFrame => ({ event: data.type, data });

const usage = {
  input_tokens: 1200,
  input_tokens_details: { cached_tokens: 1000, cache_write_tokens: 100 },
  output_tokens: 300,
  output_tokens_details: { reasoning_tokens: 250 },
  total_tokens: 1500,
};
const mappedUsage: ModelEvent = {
  type: 'usage',
  usage: {
    inputTokens: 1200,
    cachedInputTokens: 1000,
    cacheWriteInputTokens: 100,
    outputTokens: 300,
    reasoningOutputTokens: 250,
    totalTokens: 1500,
  },
};

const created = frame({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [] } });
const completed = (extra: Record<string, unknown> = {}) =>
  frame({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', output: [], usage, ...extra } });
const message = (id: string, text: string) => ({ type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });
const textDelta = (delta: string) => frame({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta });

const streams: Array<{ name: string; sse: SseFrame[]; events: ModelEvent[] }> = [
  {
    name: 'hello in two deltas',
    sse: [
      created,
      frame({ type: 'response.output_item.added', output_index: 0, item: { ...message('msg_1', ''), status: 'in_progress', content: [] } }),
      textDelta('Hel'),
      textDelta('lo'),
      frame({ type: 'response.output_text.done', item_id: 'msg_1', output_index: 0, content_index: 0, text: 'Hello' }),
      frame({ type: 'response.output_item.done', output_index: 0, item: message('msg_1', 'Hello') }),
      completed(),
    ],
    events: [{ type: 'text', delta: 'Hel' }, { type: 'text', delta: 'lo' }, { type: 'blockEnd' }, mappedUsage, { type: 'completed', stopReason: 'stop' }],
  },
  {
    name: 'reasoning summary parts, raw reasoning, then the answer',
    sse: [
      created,
      frame({ type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } }),
      frame({ type: 'response.reasoning_summary_part.added', item_id: 'rs_1', output_index: 0, summary_index: 0, part: { type: 'summary_text', text: '' } }),
      frame({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: '**Plan**' }),
      frame({ type: 'response.reasoning_summary_part.added', item_id: 'rs_1', output_index: 0, summary_index: 1, part: { type: 'summary_text', text: '' } }),
      frame({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 1, delta: 'Read the file' }),
      frame({ type: 'response.reasoning_text.delta', item_id: 'rs_1', output_index: 0, content_index: 0, delta: 'thinking…' }),
      frame({ type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } }),
      textDelta('Done.'),
      frame({ type: 'response.output_item.done', output_index: 1, item: message('msg_1', 'Done.') }),
      completed(),
    ],
    events: [
      { type: 'reasoningSummaryPart', index: 0 },
      { type: 'reasoningSummary', index: 0, delta: '**Plan**' },
      { type: 'reasoningSummaryPart', index: 1 },
      { type: 'reasoningSummary', index: 1, delta: 'Read the file' },
      { type: 'reasoningText', index: 0, delta: 'thinking…' },
      { type: 'blockEnd' },
      { type: 'text', delta: 'Done.' },
      { type: 'blockEnd' },
      mappedUsage,
      { type: 'completed', stopReason: 'stop' },
    ],
  },
  {
    name: 'a tool call with arguments streamed in pieces',
    sse: [
      created,
      frame({ type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'read_file', arguments: '' } }),
      frame({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '{"path":' }),
      frame({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '"a.txt"}' }),
      frame({ type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 0, arguments: '{"path":"a.txt"}' }),
      frame({ type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'read_file', arguments: '{"path":"a.txt"}', status: 'completed' } }),
      completed(),
    ],
    events: [
      { type: 'toolCall', callId: 'call_1', name: 'read_file', arguments: '{"path":"a.txt"}' },
      mappedUsage,
      { type: 'completed', stopReason: 'toolCalls' },
    ],
  },
  {
    name: 'a reasoning item with its encrypted content (kept for the next calls), then a tool call',
    sse: [
      created,
      frame({ type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: null } }),
      frame({ type: 'response.reasoning_summary_part.added', item_id: 'rs_1', output_index: 0, summary_index: 0, part: { type: 'summary_text', text: '' } }),
      frame({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'Look first' }),
      frame({
        type: 'response.output_item.done',
        output_index: 0,
        item: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Look first' }], encrypted_content: 'gAAAAB-enc' },
      }),
      frame({ type: 'response.output_item.done', output_index: 1, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'read_file', arguments: '{}', status: 'completed' } }),
      completed(),
    ],
    events: [
      { type: 'reasoningSummaryPart', index: 0 },
      { type: 'reasoningSummary', index: 0, delta: 'Look first' },
      { type: 'reasoningCarry', carry: { wire: 'responses', id: 'rs_1', encryptedContent: 'gAAAAB-enc', summary: ['Look first'] } },
      { type: 'blockEnd' },
      { type: 'toolCall', callId: 'call_1', name: 'read_file', arguments: '{}' },
      mappedUsage,
      { type: 'completed', stopReason: 'toolCalls' },
    ],
  },
  {
    name: 'a reasoning item that streamed nothing but carries encrypted content is a block of its own',
    sse: [
      frame({ type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAAB-enc' } }),
      textDelta('Done.'),
      frame({ type: 'response.output_item.done', output_index: 1, item: message('msg_1', 'Done.') }),
      completed(),
    ],
    events: [
      { type: 'reasoningCarry', carry: { wire: 'responses', id: 'rs_1', encryptedContent: 'gAAAAB-enc', summary: [] } },
      { type: 'blockEnd' },
      { type: 'text', delta: 'Done.' },
      { type: 'blockEnd' },
      mappedUsage,
      { type: 'completed', stopReason: 'stop' },
    ],
  },
  {
    name: 'an answer cut by max_output_tokens',
    sse: [
      textDelta('Long'),
      frame({ type: 'response.incomplete', response: { id: 'resp_1', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [], usage } }),
    ],
    events: [{ type: 'text', delta: 'Long' }, { type: 'blockEnd' }, mappedUsage, { type: 'completed', stopReason: 'length' }],
  },
];

describe('Responses stream → ModelEvents', () => {
  it.each(streams)('$name', async ({ sse, events }) => {
    fake.script(ROUTE, [{ sse }]);
    expect(await drain(provider())).toEqual({ events, error: null });
  });

  it('sends rate-limit headers as the first event', async () => {
    const headers = {
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '75',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '40000',
      'x-ratelimit-remaining-tokens': '4000',
      'x-ratelimit-reset-tokens': '6m0s',
    };
    fake.script(ROUTE, [{ sse: [textDelta('hi'), completed({ usage: undefined })], headers }]);
    expect(await drain(provider())).toEqual({
      events: [
        {
          type: 'rateLimits',
          primary: { usedPercent: 25, windowDurationMins: null, resetsAt: 1_700_000_001 },
          secondary: { usedPercent: 90, windowDurationMins: null, resetsAt: 1_700_000_360 },
        },
        { type: 'text', delta: 'hi' },
        { type: 'blockEnd' },
        { type: 'completed', stopReason: 'stop' },
      ],
      error: null,
    });
  });
});

describe('Responses request body', () => {
  it('maps instructions, the conversation, tools, reasoning and the output schema', async () => {
    fake.script(ROUTE, [{ sse: [completed()] }]);
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const parameters = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    await drain(
      provider(),
      modelRequest({
        model: 'gpt-5',
        instructions: 'Be brief.',
        conversation: [
          { type: 'user', content: [{ type: 'text', text: 'What is in a.txt?' }, { type: 'image', url: 'data:image/png;base64,AAAA' }] },
          { type: 'reasoning', summary: ['Plan'], text: [] },
          { type: 'assistant', text: 'Let me look.' },
          { type: 'reasoning', summary: ['Read it'], text: [], carry: { wire: 'responses', id: 'rs_1', encryptedContent: 'gAAA…', summary: ['Read it'] } },
          { type: 'toolCall', callId: 'call_1', name: 'read_file', arguments: '{"path":"a.txt"}' },
          { type: 'toolResult', callId: 'call_1', output: 'hello', isError: false },
        ],
        tools: [{ name: 'read_file', description: 'Reads a file', parameters }],
        reasoningEffort: 'high',
        reasoningSummary: 'auto',
        outputSchema: schema,
        cacheKey: 'thread-1',
        parallelToolCalls: true,
      }),
    );
    expect(fake.calls.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: 'POST',
        path: ROUTE,
        body: {
          model: 'gpt-5',
          instructions: 'Be brief.',
          input: [
            {
              type: 'message',
              role: 'user',
              content: [
                { type: 'input_text', text: 'What is in a.txt?' },
                { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
              ],
            },
            { type: 'message', role: 'assistant', content: 'Let me look.' },
            { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Read it' }], encrypted_content: 'gAAA…' },
            { type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{"path":"a.txt"}' },
            { type: 'function_call_output', call_id: 'call_1', output: 'hello' },
          ],
          tools: [{ type: 'function', name: 'read_file', description: 'Reads a file', parameters, strict: false }],
          tool_choice: 'auto',
          parallel_tool_calls: true,
          reasoning: { effort: 'high', summary: 'auto' },
          include: ['reasoning.encrypted_content'],
          text: { format: { type: 'json_schema', name: 'output', schema, strict: false } },
          prompt_cache_key: 'thread-1',
          stream: true,
          store: false,
        },
      },
    ]);
    expect(fake.calls[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('leaves out what the request does not use', async () => {
    fake.script(ROUTE, [{ sse: [completed()] }]);
    await drain(provider());
    expect(fake.calls[0]!.body).toEqual({
      model: 'test-model',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      stream: true,
      store: false,
    });
  });

  // Codex 0.169.0 on gpt-5.1-codex with nothing configured (tests/fixtures/codex-requests/).
  it('asks a reasoning model for its summary and its encrypted reasoning, as Codex does, when nothing is asked', async () => {
    fake.script(ROUTE, [{ sse: [completed()] }, { sse: [completed()] }]);
    const parameters = { type: 'object', properties: {} };
    await drain(provider(), modelRequest({ model: 'gpt-5.1-codex', tools: [{ name: 'noop', description: 'Nothing', parameters }], cacheKey: 'thread-1', parallelToolCalls: true }));
    await drain(provider(), modelRequest({ model: 'gpt-5.1-codex', reasoningSummary: 'none' }));
    expect(fake.calls.map((call) => call.body)).toEqual([
      {
        model: 'gpt-5.1-codex',
        input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
        tools: [{ type: 'function', name: 'noop', description: 'Nothing', parameters, strict: false }],
        tool_choice: 'auto',
        parallel_tool_calls: true,
        reasoning: { summary: 'auto' },
        include: ['reasoning.encrypted_content'],
        prompt_cache_key: 'thread-1',
        stream: true,
        store: false,
      },
      {
        model: 'gpt-5.1-codex',
        input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
        reasoning: {},
        include: ['reasoning.encrypted_content'],
        stream: true,
        store: false,
      },
    ]);
  });

  it('tells a model that may not call tools in parallel so (the API default is yes)', async () => {
    fake.script(ROUTE, [{ sse: [completed()] }]);
    const parameters = { type: 'object', properties: {} };
    await drain(provider(), modelRequest({ tools: [{ name: 'noop', description: 'Nothing', parameters }], parallelToolCalls: false }));
    expect(fake.calls[0]!.body).toEqual({
      model: 'test-model',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      tools: [{ type: 'function', name: 'noop', description: 'Nothing', parameters, strict: false }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      stream: true,
      store: false,
    });
  });
});

describe('responsesInput: reasoning', () => {
  const call: ConversationItem = { type: 'toolCall', callId: 'call_1', name: 'read_file', arguments: '{}' };
  const carried = (id: string, encryptedContent: string | null, summary: string[]): ConversationItem => ({
    type: 'reasoning',
    summary,
    text: [],
    carry: { wire: 'responses', id, encryptedContent, summary },
  });

  it.each<{ name: string; conversation: ConversationItem[]; input: unknown[] }>([
    {
      name: 'a carried reasoning item goes back in its place, before the call it preceded',
      conversation: [carried('rs_1', 'enc-1', ['Plan', 'Read']), call],
      input: [
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Plan' }, { type: 'summary_text', text: 'Read' }], encrypted_content: 'enc-1' },
        { type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{}' },
      ],
    },
    {
      name: 'reasoning without a carry (another model, an old thread) is dropped',
      conversation: [{ type: 'reasoning', summary: ['Plan'], text: ['raw'] }, call],
      input: [{ type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{}' }],
    },
    {
      name: "another wire's carry is dropped",
      conversation: [{ type: 'reasoning', summary: [], text: ['t'], carry: { wire: 'anthropic', type: 'thinking', thinking: 't', signature: 'sig' } }, call],
      input: [{ type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{}' }],
    },
    {
      name: 'a carry without encrypted content is dropped (with store: false the API cannot look it up by id)',
      conversation: [carried('rs_1', null, ['Plan']), call],
      input: [{ type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{}' }],
    },
  ])('$name', ({ conversation, input }) => {
    expect(responsesInput(conversation)).toEqual(input);
  });
});

describe('Responses failures', () => {
  const failures: Array<{ name: string; response: FakeResponse; events?: ModelEvent[]; error: unknown }> = [
    {
      name: '401 → unauthorized',
      response: { status: 401, json: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } },
      error: { kind: 'unauthorized', httpStatus: 401, retryAfterMs: null, retryable: false },
    },
    {
      name: '429 with retry-after: 2 → rateLimitExceeded after 2s',
      response: { status: 429, headers: { 'retry-after': '2' }, json: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } },
      error: { kind: 'rateLimitExceeded', httpStatus: 429, retryAfterMs: 2000, retryable: true },
    },
    {
      name: '429 insufficient_quota → usageLimitExceeded, not retryable',
      response: { status: 429, json: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } },
      error: { kind: 'usageLimitExceeded', httpStatus: 429, retryAfterMs: null, retryable: false },
    },
    {
      name: '500 → internalServerError',
      response: { status: 500, json: { error: { message: 'The server had an error', type: 'server_error' } } },
      error: { kind: 'internalServerError', httpStatus: 500, retryAfterMs: null, retryable: true },
    },
    {
      name: 'a stream cut mid-answer → responseStreamDisconnected',
      response: { sse: [textDelta('Hel'), textDelta('lo'), completed()], cutAfter: 1 },
      events: [{ type: 'text', delta: 'Hel' }],
      error: { kind: 'responseStreamDisconnected', httpStatus: null, retryAfterMs: null, retryable: true },
    },
    {
      name: 'a stream closed without response.completed → responseStreamDisconnected',
      response: { sse: [textDelta('Hel')] },
      events: [{ type: 'text', delta: 'Hel' }],
      error: { kind: 'responseStreamDisconnected', httpStatus: null, retryAfterMs: null, retryable: true },
    },
    {
      name: 'response.failed with context_length_exceeded → contextWindowExceeded',
      response: {
        sse: [
          created,
          frame({ type: 'response.failed', response: { id: 'resp_1', status: 'failed', output: [], error: { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' } } }),
        ],
      },
      error: { kind: 'contextWindowExceeded', httpStatus: null, retryAfterMs: null, retryable: false },
    },
    {
      name: 'an error event with rate_limit_exceeded → rateLimitExceeded, delay from the message',
      response: { sse: [frame({ type: 'error', code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again in 1.5s.', param: null, sequence_number: 1 })] },
      error: { kind: 'rateLimitExceeded', httpStatus: null, retryAfterMs: 1500, retryable: true },
    },
  ];

  it.each(failures)('$name', async ({ response, events = [], error }) => {
    fake.script(ROUTE, [response]);
    const result = await drain(provider());
    expect({ events: result.events, error: errorSummary(result.error) }).toEqual({ events, error });
  });

  it('a stalled stream ends promptly when the signal aborts', async () => {
    fake.script(ROUTE, [{ sse: [textDelta('Hel'), textDelta('lo')], stallAfter: 1 }]);
    const { first, next } = await abortAfterFirstEvent(provider());
    expect(first).toEqual({ type: 'text', delta: 'Hel' });
    expect(next).toEqual({ error: expect.objectContaining({ name: 'AbortError' }) });
  });

  it('an unexpected extra call gets a 500 and fails the script', async () => {
    const own = await startFakeModelServer();
    try {
      own.script(ROUTE, [{ sse: [completed()] }]);
      const openai = createResponsesProvider({ id: 'openai', apiKey: 'sk-test', baseUrl: `${own.url}/v1` });
      await drain(openai);
      const second = await drain(openai);
      expect(errorSummary(second.error)).toEqual({ kind: 'internalServerError', httpStatus: 500, retryAfterMs: null, retryable: true });
      expect(() => own.assertDone()).toThrow('fake model server: unexpected call: POST /v1/responses');
    } finally {
      await own.close();
    }
  });
});

// Some gateways answer 200 with a JSON error instead of an event stream: that is the provider's
// error, reported in its words and classified as the HTTP error it describes, not a cut stream.
describe('Responses: a 200 whose body is a JSON error', () => {
  const bodies: Array<{ name: string; json: unknown; error: unknown }> = [
    {
      name: 'invalid_api_key → unauthorized, not retried',
      json: { error: { message: 'Incorrect API key provided: sk-test.', type: 'invalid_request_error', code: 'invalid_api_key' } },
      error: { message: 'Incorrect API key provided: sk-test.', kind: 'unauthorized', httpStatus: 200, retryAfterMs: null, retryable: false },
    },
    {
      name: 'rate_limit_exceeded → rateLimitExceeded, delay from the message',
      json: { error: { message: 'Rate limit reached. Please try again in 1.5s.', type: 'requests', code: 'rate_limit_exceeded' } },
      error: { message: 'Rate limit reached. Please try again in 1.5s.', kind: 'rateLimitExceeded', httpStatus: 200, retryAfterMs: 1500, retryable: true },
    },
    {
      name: 'model_not_found → modelNotFound',
      json: { error: { message: 'The model `gpt-nope` does not exist.', type: 'invalid_request_error', code: 'model_not_found' } },
      error: { message: 'The model `gpt-nope` does not exist.', kind: 'modelNotFound', httpStatus: 200, retryAfterMs: null, retryable: false },
    },
  ];

  it.each(bodies)('$name', async ({ json, error }) => {
    fake.script(ROUTE, [{ status: 200, json }]);
    const result = await drain(provider());
    expect({ events: result.events, error: { message: (result.error as Error).message, ...(errorSummary(result.error) as object) } }).toEqual({ events: [], error });
  });
});
