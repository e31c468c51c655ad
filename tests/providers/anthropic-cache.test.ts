// Prompt caching on the Messages wire: `cache_control` breakpoints on the last tool, the system
// prompt and the last block of the two most recent user messages (at most 4); the provider's
// `promptCache` setting asks for the 1-hour cache or for none.
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider, type AnthropicProviderOptions } from '../../src/providers/anthropic.js';
import type { ConversationItem } from '../../src/providers/types.js';
import { type SseFrame } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { drain, modelRequest } from './collect.js';

const ROUTE = '/v1/messages';
const fake = useFakeModelServer();
const frame = (data: { type: string } & Record<string, unknown>): SseFrame => ({ event: data.type, data });
const done = [frame({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }), frame({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }), frame({ type: 'message_stop' })];
const provider = (promptCache?: AnthropicProviderOptions['promptCache']) => createAnthropicProvider({ id: 'anthropic', apiKey: 'sk-ant-test', baseUrl: fake.url, ...(promptCache && { promptCache }) });

const parameters = { type: 'object', properties: {} };
const tools = [
  { name: 'list_dir', description: 'Lists', parameters },
  { name: 'bash', description: '', parameters, anthropicType: 'bash_20250124' },
];
const text = (value: string) => ({ type: 'text', text: value });
const result = (id: string, output: string) => ({ type: 'tool_result', tool_use_id: id, content: output, is_error: false });
const use = (id: string) => ({ type: 'tool_use', id, name: 'list_dir', input: {} });
// Three user messages: the first gets no breakpoint (two message breakpoints at most).
const conversation: ConversationItem[] = [
  { type: 'developer', text: 'Keel prompt.' },
  { type: 'developer', text: 'Client rules.' },
  { type: 'user', content: [{ type: 'text', text: '<environment_context/>' }] },
  { type: 'user', content: [{ type: 'text', text: 'List.' }, { type: 'image', url: 'https://example.com/a.png' }] },
  { type: 'toolCall', callId: 'toolu_1', name: 'list_dir', arguments: '{}' },
  { type: 'toolResult', callId: 'toolu_1', output: 'a b', isError: false },
  { type: 'assistant', text: 'Two files.' },
  { type: 'user', content: [{ type: 'text', text: 'Again.' }] },
  { type: 'toolCall', callId: 'toolu_2', name: 'list_dir', arguments: '{}' },
  { type: 'toolCall', callId: 'toolu_3', name: 'list_dir', arguments: '{}' },
  { type: 'toolResult', callId: 'toolu_2', output: 'a b', isError: false },
  { type: 'toolResult', callId: 'toolu_3', output: 'c', isError: false },
];
const image = { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } };

function bodyWith(control: Record<string, unknown> | null) {
  const mark = <T extends object>(block: T) => (control ? { ...block, cache_control: control } : block);
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 8192,
    system: control ? [mark(text('Keel prompt.\n\nClient rules.'))] : 'Keel prompt.\n\nClient rules.',
    messages: [
      { role: 'user', content: [text('<environment_context/>'), text('List.'), image] },
      { role: 'assistant', content: [use('toolu_1')] },
      { role: 'user', content: [result('toolu_1', 'a b')] },
      { role: 'assistant', content: [text('Two files.')] },
      // The second most recent user message (the last call's breakpoint: read back from the cache).
      { role: 'user', content: [mark(text('Again.'))] },
      { role: 'assistant', content: [use('toolu_2'), use('toolu_3')] },
      // The most recent one: its last block (written to the cache).
      { role: 'user', content: [result('toolu_2', 'a b'), mark(result('toolu_3', 'c'))] },
    ],
    tools: [
      { name: 'list_dir', description: 'Lists', input_schema: parameters },
      mark({ type: 'bash_20250124', name: 'bash' }),
    ],
    stream: true,
  };
}

describe('Anthropic prompt caching', () => {
  it('default (5m): four breakpoints — last tool, system, the last block of the two most recent user messages', async () => {
    fake.script(ROUTE, [{ sse: done }]);
    await drain(provider(), modelRequest({ model: 'claude-sonnet-4-5', conversation, tools }));
    expect(fake.calls[0]!.body).toEqual(bodyWith({ type: 'ephemeral' }));
    expect(fake.calls[0]!.headers['anthropic-beta']).toBeUndefined();
  });

  it('promptCache "1h": every breakpoint has ttl 1h, with the extended-cache-ttl beta', async () => {
    fake.script(ROUTE, [{ sse: done }]);
    await drain(provider('1h'), modelRequest({ model: 'claude-sonnet-4-5', conversation, tools }));
    expect(fake.calls[0]!.body).toEqual(bodyWith({ type: 'ephemeral', ttl: '1h' }));
    expect(fake.calls[0]!.headers['anthropic-beta']).toBe('extended-cache-ttl-2025-04-11');
  });

  it('promptCache "off": no cache_control anywhere, the system prompt a plain string', async () => {
    fake.script(ROUTE, [{ sse: done }]);
    await drain(provider('off'), modelRequest({ model: 'claude-sonnet-4-5', conversation, tools }));
    expect(fake.calls[0]!.body).toEqual(bodyWith(null));
    expect(JSON.stringify(fake.calls[0]!.body)).not.toContain('cache_control');
  });

  it('a first request with no system and no tools: one breakpoint, on the only user message', async () => {
    fake.script(ROUTE, [{ sse: done }]);
    await drain(provider(), modelRequest({ model: 'claude-sonnet-4-5' }));
    expect(fake.calls[0]!.body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 8192, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }], stream: true });
  });

  it('a developer message after the history began goes in its place as user text, the system prompt (a cached prefix) unchanged', async () => {
    fake.script(ROUTE, [{ sse: done }]);
    const later: ConversationItem[] = [
      { type: 'developer', text: 'Keel prompt.' },
      { type: 'user', content: [{ type: 'text', text: 'one' }] },
      { type: 'assistant', text: 'ok' },
      { type: 'developer', text: '<settings_changed/>' },
      { type: 'user', content: [{ type: 'text', text: 'two' }] },
    ];
    await drain(provider('off'), modelRequest({ model: 'claude-sonnet-4-5', conversation: later }));
    expect(fake.calls[0]!.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 8192,
      system: 'Keel prompt.',
      messages: [
        { role: 'user', content: [text('one')] },
        { role: 'assistant', content: [text('ok')] },
        { role: 'user', content: [text('<settings_changed/>'), text('two')] },
      ],
      stream: true,
    });
  });
});
