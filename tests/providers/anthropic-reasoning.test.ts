// Claude's thinking across the calls of a tool loop: the stream hands each signed `thinking` and
// each `redacted_thinking` block on as a carry, and the next request sends it back in its place in
// the assistant message, byte for byte, with thinking still on (and interleaved thinking asked for
// on the Claude 4 models that take the beta header).
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic.js';
import type { ConversationItem, ModelEvent, ReasoningCarry } from '../../src/providers/types.js';
import { type SseFrame } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { drain, modelRequest } from './collect.js';

const ROUTE = '/v1/messages';
const fake = useFakeModelServer();
const frame = (data: { type: string } & Record<string, unknown>): SseFrame => ({ event: data.type, data });
const provider = (headers?: Record<string, string>) => createAnthropicProvider({ id: 'anthropic', apiKey: 'sk-ant-test', baseUrl: fake.url, ...(headers && { headers }) });
const done = [frame({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }), frame({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }), frame({ type: 'message_stop' })];

// A signature and redacted data as the API sends them: opaque base64 that must come back unchanged.
const SIGNATURE = 'EqQBCkYIBxgCKkBvX3Rlc3Rfc2lnbmF0dXJlX2J5dGVzLzEyMys9PQ==';
const REDACTED = 'EmwKAhgBEgy3va3pzGnh+/xn2a4aDDPx6oLj8Ks3dQ==';
const thinking: ReasoningCarry = { wire: 'anthropic', type: 'thinking', thinking: 'The file is small.\nRead it first.', signature: SIGNATURE };
const redacted: ReasoningCarry = { wire: 'anthropic', type: 'redacted_thinking', data: REDACTED };
const parameters = { type: 'object', properties: { path: { type: 'string' } } };
const readFile = { name: 'read_file', description: 'Reads a file', parameters };
const ephemeral = { type: 'ephemeral' };

describe('Anthropic thinking blocks → carries', () => {
  it('a signed thinking block and a redacted one each end with their carry; the tool call follows', async () => {
    fake.script(ROUTE, [
      {
        sse: [
          done[0]!,
          frame({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
          frame({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'The file is small.\n' } }),
          frame({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Read it first.' } }),
          frame({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: SIGNATURE } }),
          frame({ type: 'content_block_stop', index: 0 }),
          frame({ type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: REDACTED } }),
          frame({ type: 'content_block_stop', index: 1 }),
          frame({ type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: {} } }),
          frame({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"path":"a"}' } }),
          frame({ type: 'content_block_stop', index: 2 }),
          frame({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 2 } }),
          done[2]!,
        ],
      },
    ]);
    const { events, error } = await drain(provider());
    expect(error).toBeNull();
    expect(events.filter((e) => e.type !== 'usage')).toEqual<ModelEvent[]>([
      { type: 'reasoningText', index: 0, delta: 'The file is small.\n' },
      { type: 'reasoningText', index: 0, delta: 'Read it first.' },
      { type: 'reasoningCarry', carry: thinking },
      { type: 'blockEnd' },
      { type: 'reasoningCarry', carry: redacted },
      { type: 'blockEnd' },
      { type: 'toolCall', callId: 'toolu_1', name: 'read_file', arguments: '{"path":"a"}' },
      { type: 'completed', stopReason: 'toolCalls' },
    ]);
  });
});

describe('Anthropic request: thinking kept across the tool loop', () => {
  // Call 1 answered thinking (signed), redacted thinking and a tool_use; call 2 carries them back.
  const loop: ConversationItem[] = [
    { type: 'developer', text: 'Be brief.' },
    { type: 'user', content: [{ type: 'text', text: 'What is in a?' }] },
    { type: 'reasoning', summary: [], text: [thinking.thinking], carry: thinking },
    { type: 'reasoning', summary: [], text: [], carry: redacted },
    { type: 'toolCall', callId: 'toolu_1', name: 'read_file', arguments: '{"path":"a"}' },
    { type: 'toolResult', callId: 'toolu_1', output: 'A', isError: false },
  ];
  const assistant = {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: thinking.thinking, signature: SIGNATURE },
      { type: 'redacted_thinking', data: REDACTED },
      { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a' } },
    ],
  };

  it('call 2: the signed and redacted blocks before the tool_use, thinking on, interleaved asked for, breakpoints on tools, system and the two last user messages', async () => {
    fake.script(ROUTE, [{ sse: done }]);
    await drain(provider(), modelRequest({ model: 'claude-sonnet-4-5', conversation: loop, tools: [readFile], reasoningEffort: 'high' }));
    expect(fake.calls[0]!.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 16_384 + 8192,
      system: [{ type: 'text', text: 'Be brief.', cache_control: ephemeral }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in a?', cache_control: ephemeral }] },
        assistant,
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'A', is_error: false, cache_control: ephemeral }] },
      ],
      tools: [{ name: 'read_file', description: 'Reads a file', input_schema: parameters, cache_control: ephemeral }],
      thinking: { type: 'enabled', budget_tokens: 16_384 },
      stream: true,
    });
    expect(fake.calls[0]!.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
  });

  it('call 3 of a loop whose call 2 did not think (no interleaving): thinking stays on, the turn opened with thinking', async () => {
    fake.script(ROUTE, [{ sse: done }]);
    const conversation: ConversationItem[] = [
      ...loop,
      { type: 'toolCall', callId: 'toolu_2', name: 'read_file', arguments: '{"path":"b"}' },
      { type: 'toolResult', callId: 'toolu_2', output: 'B', isError: false },
    ];
    await drain(provider(), modelRequest({ model: 'claude-3-7-sonnet-20250219', conversation, reasoningEffort: 'high' }));
    expect(fake.calls[0]!.body).toEqual({
      model: 'claude-3-7-sonnet-20250219',
      max_tokens: 16_384 + 8192,
      system: [{ type: 'text', text: 'Be brief.', cache_control: ephemeral }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in a?' }] },
        assistant,
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'A', is_error: false, cache_control: ephemeral }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'read_file', input: { path: 'b' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'B', is_error: false, cache_control: ephemeral }] },
      ],
      thinking: { type: 'enabled', budget_tokens: 16_384 },
      stream: true,
    });
    // Claude 3.7 takes no interleaved-thinking beta.
    expect(fake.calls[0]!.headers['anthropic-beta']).toBeUndefined();
  });

  it('the next turn keeps the blocks; the breakpoints move to the two last user messages', async () => {
    fake.script(ROUTE, [{ sse: done }]);
    const answered = { wire: 'anthropic', type: 'thinking', thinking: 'It says A.', signature: 'c2lnMg==' } as const;
    const conversation: ConversationItem[] = [
      ...loop,
      { type: 'reasoning', summary: [], text: ['It says A.'], carry: answered },
      { type: 'assistant', text: 'It holds A.' },
      { type: 'user', content: [{ type: 'text', text: 'And b?' }] },
    ];
    await drain(provider(), modelRequest({ model: 'claude-sonnet-4-5', conversation, reasoningEffort: 'high' }));
    expect(fake.calls[0]!.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 16_384 + 8192,
      system: [{ type: 'text', text: 'Be brief.', cache_control: ephemeral }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in a?' }] },
        assistant,
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'A', is_error: false, cache_control: ephemeral }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'It says A.', signature: 'c2lnMg==' }, { type: 'text', text: 'It holds A.' }] },
        { role: 'user', content: [{ type: 'text', text: 'And b?', cache_control: ephemeral }] },
      ],
      thinking: { type: 'enabled', budget_tokens: 16_384 },
      stream: true,
    });
  });

  it('reasoning without a carry (another family made it) is not sent; a tool loop whose assistant message has no thinking asks for none', async () => {
    fake.script(ROUTE, [{ sse: done }]);
    const foreign = loop.map((item): ConversationItem => (item.type === 'reasoning' ? { type: 'reasoning', summary: ['Reading a'], text: item.text } : item));
    await drain(provider(), modelRequest({ model: 'claude-sonnet-4-5', conversation: foreign, reasoningEffort: 'high' }));
    expect(fake.calls[0]!.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 8192,
      system: [{ type: 'text', text: 'Be brief.', cache_control: ephemeral }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in a?', cache_control: ephemeral }] },
        { role: 'assistant', content: [assistant.content[2]] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'A', is_error: false, cache_control: ephemeral }] },
      ],
      stream: true,
    });
    expect(fake.calls[0]!.headers['anthropic-beta']).toBeUndefined();
  });

  it('interleaved thinking joins the anthropic-beta header a provider configures; models past Claude 4.5 are not sent it', async () => {
    fake.script(ROUTE, [{ sse: done }, { sse: done }]);
    await drain(provider({ 'anthropic-beta': 'context-1m-2025-08-07' }), modelRequest({ model: 'claude-opus-4-1-20250805', conversation: loop, reasoningEffort: 'low' }));
    await drain(provider(), modelRequest({ model: 'claude-opus-4-6', conversation: loop, reasoningEffort: 'low' }));
    expect(fake.calls.map((call) => call.headers['anthropic-beta'])).toEqual(['context-1m-2025-08-07,interleaved-thinking-2025-05-14', undefined]);
    expect(fake.calls.map((call) => (call.body as { thinking?: unknown }).thinking)).toEqual([
      { type: 'enabled', budget_tokens: 2048 },
      { type: 'enabled', budget_tokens: 2048 },
    ]);
  });
});
