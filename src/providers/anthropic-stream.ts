// The Anthropic Messages stream (`RawMessageStreamEvent`s) → ModelEvents.
//
// Thinking: each `thinking` block's text streams as raw reasoning; its text and signature (from
// `signature_delta`) are kept whole and handed on as the block's carry, before its blockEnd, so
// the engine can send the block back exactly as received. A `redacted_thinking` block streams
// nothing: its `data` becomes a carry of its own (a reasoning item with no text).
//
// Usage: Anthropic counts cache reads and writes apart from `input_tokens`; `inputTokens` here is
// the whole prompt (input + cache read + cache write, as OpenAI counts it), `cachedInputTokens`
// the cache reads, `cacheWriteInputTokens` the cache writes, `totalTokens` input + output.
import type { MessageDeltaUsage, RawMessageStreamEvent, StopReason, Usage } from '@anthropic-ai/sdk/resources/messages/messages.js';
import { streamDisconnected, type SdkErrorClasses, type StreamMapper } from './errors.js';
import type { SseMessage } from './sse.js';
import type { ModelEvent, TokenUsage } from './types.js';

type Block =
  | { kind: 'text'; streamed: boolean }
  | { kind: 'thinking'; streamed: boolean; thinking: string; signature: string }
  | { kind: 'redacted'; data: string }
  | { kind: 'tool'; id: string; name: string; json: string; input: unknown }
  | { kind: 'other' };

/** How the Anthropic SDK's stream reports an `event: error` (e.g. overloaded_error mid-stream). */
export function anthropicStreamError(errors: SdkErrorClasses, response: Response) {
  return (message: SseMessage, data: unknown): Error | null => {
    if (message.event !== 'error') return null;
    const type = (data as { error?: { type?: string } } | null)?.error?.type;
    const APIError = errors.APIError as unknown as new (status: undefined, error: unknown, message: undefined, headers: Headers, type?: string) => Error;
    return new APIError(undefined, data, undefined, response.headers, type);
  };
}

export class AnthropicMapper implements StreamMapper<RawMessageStreamEvent> {
  done = false;
  private blocks = new Map<number, Block>();
  private usage: Partial<Usage> | null = null;
  private stop: StopReason | null = null;
  private toolCalls = 0;

  push(event: RawMessageStreamEvent): ModelEvent[] {
    switch (event.type) {
      case 'message_start':
        this.usage = { ...event.message.usage };
        return [];
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') {
          this.blocks.set(event.index, { kind: 'text', streamed: false });
          return block.text ? this.streamed(event.index, block.text) : [];
        }
        if (block.type === 'thinking') {
          this.blocks.set(event.index, { kind: 'thinking', streamed: false, thinking: '', signature: block.signature ?? '' });
          return block.thinking ? this.streamed(event.index, block.thinking) : [];
        }
        if (block.type === 'redacted_thinking') this.blocks.set(event.index, { kind: 'redacted', data: block.data });
        else if (block.type === 'tool_use') this.blocks.set(event.index, { kind: 'tool', id: block.id, name: block.name, json: '', input: block.input });
        else this.blocks.set(event.index, { kind: 'other' });
        return [];
      }
      case 'content_block_delta': {
        const { delta } = event;
        if (delta.type === 'text_delta') return this.streamed(event.index, delta.text);
        if (delta.type === 'thinking_delta') return this.streamed(event.index, delta.thinking);
        const block = this.blocks.get(event.index);
        if (delta.type === 'signature_delta' && block?.kind === 'thinking') block.signature += delta.signature;
        if (delta.type === 'input_json_delta' && block?.kind === 'tool') block.json += delta.partial_json;
        return [];
      }
      case 'content_block_stop':
        return this.blockStop(event.index);
      case 'message_delta':
        this.stop = event.delta.stop_reason ?? this.stop;
        this.usage = mergeUsage(this.usage, event.usage);
        return [];
      case 'message_stop':
        this.done = true;
        return [...(this.usage ? [{ type: 'usage', usage: usageOf(this.usage) } as const] : []), this.completed()];
      default:
        return [];
    }
  }

  finish(): ModelEvent[] {
    if (!this.done) throw streamDisconnected('the stream closed before message_stop');
    return [];
  }

  private streamed(index: number, delta: string): ModelEvent[] {
    const block = this.blocks.get(index);
    if (block?.kind === 'thinking') block.thinking += delta;
    if (block?.kind !== 'text' && block?.kind !== 'thinking') return [];
    block.streamed = true;
    // Thinking is the model's raw reasoning, one block per thinking block.
    return [block.kind === 'text' ? { type: 'text', delta } : { type: 'reasoningText', index: 0, delta }];
  }

  private blockStop(index: number): ModelEvent[] {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    if (block?.kind === 'text') return block.streamed ? [{ type: 'blockEnd' }] : [];
    if (block?.kind === 'thinking') {
      // Unsigned thinking (a compatible endpoint that signs nothing) could not be sent back: no carry.
      if (block.signature === '') return block.streamed ? [{ type: 'blockEnd' }] : [];
      // The blockEnd closes the reasoning item even when it streamed no text: the carry opened it.
      return [{ type: 'reasoningCarry', carry: { wire: 'anthropic', type: 'thinking', thinking: block.thinking, signature: block.signature } }, { type: 'blockEnd' }];
    }
    if (block?.kind === 'redacted') return [{ type: 'reasoningCarry', carry: { wire: 'anthropic', type: 'redacted_thinking', data: block.data } }, { type: 'blockEnd' }];
    if (block?.kind !== 'tool') return [];
    this.toolCalls += 1;
    const startInput = block.input && typeof block.input === 'object' && Object.keys(block.input).length > 0;
    const args = block.json || (startInput ? JSON.stringify(block.input) : '{}');
    return [{ type: 'toolCall', callId: block.id, name: block.name, arguments: args }];
  }

  private completed(): ModelEvent {
    const stopReason = (): Extract<ModelEvent, { type: 'completed' }>['stopReason'] => {
      switch (this.stop) {
        case 'end_turn':
        case 'stop_sequence':
          return this.toolCalls > 0 ? 'toolCalls' : 'stop';
        case 'tool_use':
          return 'toolCalls';
        case 'max_tokens':
        case 'model_context_window_exceeded':
          return 'length';
        case 'refusal':
          return 'contentFilter';
        default:
          return 'other';
      }
    };
    return { type: 'completed', stopReason: stopReason() };
  }
}

/** `message_delta` usage is cumulative; its non-null counts replace those of `message_start`. */
function mergeUsage(start: Partial<Usage> | null, delta: MessageDeltaUsage): Partial<Usage> {
  const merged: Partial<Usage> = { ...start };
  for (const [key, value] of Object.entries(delta)) {
    if (value !== null && value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

function usageOf(usage: Partial<Usage>): TokenUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const input = (usage.input_tokens ?? 0) + cacheRead + cacheWrite;
  const output = usage.output_tokens ?? 0;
  return {
    inputTokens: input,
    cachedInputTokens: cacheRead,
    cacheWriteInputTokens: cacheWrite,
    outputTokens: output,
    reasoningOutputTokens: usage.output_tokens_details?.thinking_tokens ?? 0,
    totalTokens: input + output,
  };
}
