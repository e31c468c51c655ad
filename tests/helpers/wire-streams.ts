// SSE bodies as each real wire sends them, for the e2e turn tests against the fake model server:
// OpenAI Responses, Anthropic Messages, Chat Completions. The shapes follow the provider table
// tests (tests/providers/*.test.ts); each builder returns whole frames, in wire order.
import type { SseFrame } from './fake-model-server.js';

/** Responses and Anthropic frames: the event name is the payload's `type`, as the APIs send it. */
const typed = (data: { type: string } & Record<string, unknown>): SseFrame => ({ event: data.type, data });

const responsesUsage = (input: number, cached: number, output: number, reasoning = 0) => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: cached },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: reasoning },
  total_tokens: input + output,
});

export const responses = {
  route: '/v1/responses',
  usage: responsesUsage,
  /** A whole response: created, the output items (numbered in order), completed with `usage`. */
  stream(items: Array<(outputIndex: number) => SseFrame[]>, usage: Record<string, unknown> = responsesUsage(10, 0, 5)): SseFrame[] {
    return [
      typed({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [] } }),
      ...items.flatMap((item, index) => item(index)),
      typed({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', output: [], usage } }),
    ];
  },
  message: (...deltas: string[]) => (outputIndex: number): SseFrame[] => {
    const id = `msg_${outputIndex}`;
    const text = deltas.join('');
    const done = { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
    return [
      typed({ type: 'response.output_item.added', output_index: outputIndex, item: { ...done, status: 'in_progress', content: [] } }),
      ...deltas.map((delta) => typed({ type: 'response.output_text.delta', item_id: id, output_index: outputIndex, content_index: 0, delta })),
      typed({ type: 'response.output_text.done', item_id: id, output_index: outputIndex, content_index: 0, text }),
      typed({ type: 'response.output_item.done', output_index: outputIndex, item: done }),
    ];
  },
  functionCall: (callId: string, name: string, ...pieces: string[]) => (outputIndex: number): SseFrame[] => {
    const id = `fc_${outputIndex}`;
    const args = pieces.join('');
    const item = { type: 'function_call', id, call_id: callId, name, arguments: '' };
    return [
      typed({ type: 'response.output_item.added', output_index: outputIndex, item }),
      ...pieces.map((delta) => typed({ type: 'response.function_call_arguments.delta', item_id: id, output_index: outputIndex, delta })),
      typed({ type: 'response.function_call_arguments.done', item_id: id, output_index: outputIndex, arguments: args }),
      typed({ type: 'response.output_item.done', output_index: outputIndex, item: { ...item, arguments: args, status: 'completed' } }),
    ];
  },
  /** A freeform (custom) tool call: its raw input streamed in pieces. */
  customToolCall: (callId: string, name: string, ...pieces: string[]) => (outputIndex: number): SseFrame[] => {
    const id = `ctc_${outputIndex}`;
    const input = pieces.join('');
    const item = { type: 'custom_tool_call', id, call_id: callId, name, input: '' };
    return [
      typed({ type: 'response.output_item.added', output_index: outputIndex, item }),
      ...pieces.map((delta) => typed({ type: 'response.custom_tool_call_input.delta', item_id: id, output_index: outputIndex, delta })),
      typed({ type: 'response.custom_tool_call_input.done', item_id: id, output_index: outputIndex, input }),
      typed({ type: 'response.output_item.done', output_index: outputIndex, item: { ...item, input, status: 'completed' } }),
    ];
  },
  /**
   * A reasoning item: summary parts (each streamed in pieces), then raw reasoning text; with
   * `encrypted`, its encrypted content on the done item (as `include: ["reasoning.encrypted_content"]` asks).
   */
  reasoning: (summaries: string[][], raw: string[], encrypted?: string) => (outputIndex: number): SseFrame[] => {
    const id = `rs_${outputIndex}`;
    const at = { item_id: id, output_index: outputIndex };
    return [
      typed({ type: 'response.output_item.added', output_index: outputIndex, item: { type: 'reasoning', id, summary: [] } }),
      ...summaries.flatMap((pieces, summary_index) => [
        typed({ type: 'response.reasoning_summary_part.added', ...at, summary_index, part: { type: 'summary_text', text: '' } }),
        ...pieces.map((delta) => typed({ type: 'response.reasoning_summary_text.delta', ...at, summary_index, delta })),
      ]),
      ...raw.map((delta) => typed({ type: 'response.reasoning_text.delta', ...at, content_index: 0, delta })),
      typed({
        type: 'response.output_item.done',
        output_index: outputIndex,
        item: {
          type: 'reasoning',
          id,
          summary: encrypted === undefined ? [] : summaries.map((pieces) => ({ type: 'summary_text', text: pieces.join('') })),
          ...(encrypted === undefined ? {} : { encrypted_content: encrypted }),
        },
      }),
    ];
  },
  error: (status: number, code: string, message: string) => ({ status, json: { error: { message, type: code, code } } }),
};

const anthropicUsage = (input: number, cacheWrite: number, cacheRead: number) => ({
  input_tokens: input,
  cache_creation_input_tokens: cacheWrite,
  cache_read_input_tokens: cacheRead,
  output_tokens: 1,
});

export const anthropic = {
  route: '/v1/messages',
  usage: anthropicUsage,
  /** A whole message: message_start with `usage`, the content blocks (numbered), stop with `outputTokens`. */
  stream(
    blocks: Array<(index: number) => SseFrame[]>,
    { stop = 'end_turn', usage = anthropicUsage(10, 0, 0), outputTokens = 5 }: { stop?: string; usage?: Record<string, unknown>; outputTokens?: number } = {},
  ): SseFrame[] {
    const message = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage };
    return [
      typed({ type: 'message_start', message }),
      ...blocks.flatMap((block, index) => block(index)),
      typed({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: outputTokens } }),
      typed({ type: 'message_stop' }),
    ];
  },
  text: (...deltas: string[]) => (index: number): SseFrame[] => [
    typed({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }),
    typed({ type: 'ping' }),
    ...deltas.map((text) => typed({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } })),
    typed({ type: 'content_block_stop', index }),
  ],
  thinking: (...deltas: string[]) => (index: number): SseFrame[] => [
    typed({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    ...deltas.map((thinking) => typed({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } })),
    typed({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: 'c2ln' } }),
    typed({ type: 'content_block_stop', index }),
  ],
  toolUse: (id: string, name: string, ...pieces: string[]) => (index: number): SseFrame[] => [
    typed({ type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } }),
    ...pieces.map((partial_json) => typed({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } })),
    typed({ type: 'content_block_stop', index }),
  ],
  error: (status: number, type: string, message: string) => ({ status, json: { type: 'error', error: { type, message } } }),
};

const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null): SseFrame => ({
  data: { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'fake-model', choices: [{ index: 0, delta, finish_reason }] },
});

const chatUsage = (prompt: number, cached: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: cached },
});

export const chat = {
  route: '/v1/chat/completions',
  usage: chatUsage,
  /** A whole completion: the role chunk, the content chunks, the finish reason, usage, [DONE]. */
  stream(parts: SseFrame[][], { finish = 'stop', usage = chatUsage(10, 0, 5) }: { finish?: string; usage?: Record<string, unknown> } = {}): SseFrame[] {
    return [
      chunk({ role: 'assistant', content: '' }),
      ...parts.flat(),
      chunk({}, finish),
      { data: { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'fake-model', choices: [], usage } },
      { data: '[DONE]' },
    ];
  },
  text: (...deltas: string[]): SseFrame[] => deltas.map((content) => chunk({ content })),
  toolCall: (id: string, name: string, ...pieces: string[]): SseFrame[] => [
    chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] }),
    ...pieces.map((args) => chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] })),
  ],
  error: (status: number, code: string, message: string) => ({ status, json: { error: { message, type: code, code } } }),
};
