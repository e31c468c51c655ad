// The Anthropic Messages API (`POST /v1/messages`, streamed) → ModelEvents. The SDK is imported
// on first use only.
//
// Usage: Anthropic counts cache reads and writes apart from `input_tokens`; `inputTokens` here is
// the whole prompt (input + cache read + cache write, as OpenAI counts it), `cachedInputTokens`
// the cache reads, `cacheWriteInputTokens` the cache writes, `totalTokens` input + output.
import type { Anthropic } from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageDeltaUsage,
  MessageParam,
  RawMessageStreamEvent,
  StopReason,
  Tool,
  Usage,
} from '@anthropic-ai/sdk/resources/messages/messages.js';
import { requestFailure, streamDisconnected, type SdkErrorClasses, type StreamMapper } from './errors.js';
import { catalogModel } from './model-catalog.js';
import { anthropicRateLimits } from './rate-limits.js';
import { sdkExports } from './sdk-module.js';
import { sseModelStream, type SseMessage } from './sse.js';
import type { ConversationItem, ModelEvent, ModelInfo, ModelProvider, ModelRequest, TokenUsage, UserContent } from './types.js';

export interface AnthropicProviderOptions {
  id: string;
  /** Empty for a keyless compatible endpoint: no Authorization header is sent. */
  apiKey: string;
  baseUrl: string;
  headers?: Record<string, string>;
  /** Time allowed until the response headers arrive (the SDK's `timeout`). */
  timeoutMs?: number;
  /** `max_tokens` for the answer; a thinking budget comes on top. Default 8192. */
  maxTokens?: number;
}

export const DEFAULT_MAX_TOKENS = 8192;

/** Reasoning effort → extended-thinking budget. */
const thinkingBudgets: Record<string, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16_384,
  xhigh: 24_576,
  max: 32_768,
};

export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  let loaded: Promise<{ client: Anthropic; errors: SdkErrorClasses }> | undefined;
  const load = () =>
    (loaded ??= import('@anthropic-ai/sdk').then((loaded) => sdkExports<typeof import('@anthropic-ai/sdk')>(loaded, 'Anthropic')).then((sdk) => ({
      client: new sdk.Anthropic({
        // A key passed in code keeps the SDK from looking for credentials elsewhere; with no key
        // we send none (the null header removes it).
        apiKey: options.apiKey || 'none',
        baseURL: options.baseUrl,
        maxRetries: 0,
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
        defaultHeaders: { ...options.headers, ...(options.apiKey ? {} : { Authorization: null }) },
      }),
      errors: sdk,
    })));
  return {
    id: options.id,
    toolFamily: 'anthropic',
    async *stream(request, signal) {
      const { client, errors } = await load();
      yield* sseModelStream({
        signal,
        errors,
        send: () => client.messages.create(anthropicBody(request, options.maxTokens), { signal }),
        streamError: anthropicStreamError,
        rateLimits: anthropicRateLimits,
        mapper: new AnthropicMapper(),
      });
    },
    async listModels(signal) {
      const { client, errors } = await load();
      const models: ModelInfo[] = [];
      try {
        for await (const model of client.models.list({}, { signal })) {
          if (model.lifecycle === 'retired') continue;
          const known = catalogModel(options.id, model.id);
          models.push({
            id: model.id,
            displayName: model.display_name,
            contextWindow: model.max_input_tokens ?? known?.contextWindow ?? null,
            supportsReasoning: model.capabilities?.thinking.supported ?? known?.supportsReasoning ?? false,
            supportsImages: model.capabilities?.image_input.supported ?? known?.supportsImages ?? true,
            supportsTools: true,
          });
        }
      } catch (error) {
        throw requestFailure(error, errors, signal);
      }
      return models;
    },
  };
}

export function anthropicBody(request: ModelRequest, maxTokens = DEFAULT_MAX_TOKENS): MessageCreateParamsStreaming {
  // Mid tool loop the API wants the turn's signed thinking blocks back, which the conversation
  // does not keep; so thinking is asked for only when a turn starts from the user.
  const inToolLoop = request.conversation.at(-1)?.type === 'toolResult';
  const budget = inToolLoop ? undefined : thinkingBudgets[request.reasoningEffort ?? ''];
  return {
    model: request.model,
    max_tokens: budget === undefined ? maxTokens : budget + maxTokens,
    system: anthropicSystem(request) || undefined,
    messages: anthropicMessages(request.conversation),
    tools: request.tools.length > 0 ? request.tools.map(toolOf) : undefined,
    thinking: budget === undefined ? undefined : { type: 'enabled', budget_tokens: budget },
    output_config: request.outputSchema ? { format: { type: 'json_schema', schema: request.outputSchema } } : undefined,
    stream: true,
  };
}

/**
 * Messages has no developer role: the application's instructions that open the conversation join
 * the system prompt, in order. Later ones (a turn's mode, instructions changed mid-thread) travel
 * where they are, as user text (anthropicMessages): the system prompt heads every request, and
 * changing it would make nothing of the thread's cached prefix usable.
 */
export function anthropicSystem(request: ModelRequest): string {
  const developer = request.conversation.slice(0, leadingDeveloper(request.conversation)).flatMap((item) => (item.type === 'developer' ? [item.text] : []));
  return [request.instructions ?? '', ...developer].filter((text) => text !== '').join('\n\n');
}

/** How many developer messages open the conversation. */
function leadingDeveloper(conversation: readonly ConversationItem[]): number {
  const first = conversation.findIndex((item) => item.type !== 'developer');
  return first === -1 ? conversation.length : first;
}

/** Alternating user/assistant messages; tool results travel as user `tool_result` blocks. */
export function anthropicMessages(conversation: ConversationItem[]): MessageParam[] {
  const messages: Array<{ role: 'user' | 'assistant'; content: ContentBlockParam[] }> = [];
  const add = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  const lead = leadingDeveloper(conversation);
  for (const [index, item] of conversation.entries()) {
    if (item.type === 'developer' && index >= lead) add('user', [{ type: 'text', text: item.text }]);
    if (item.type === 'user') add('user', item.content.flatMap(userBlock));
    if (item.type === 'assistant' && item.text !== '') add('assistant', [{ type: 'text', text: item.text }]);
    if (item.type === 'toolCall') {
      add('assistant', [{ type: 'tool_use', id: item.callId, name: item.name, input: argumentsObject(item.arguments) }]);
    }
    if (item.type === 'toolResult') {
      add('user', [{ type: 'tool_result', tool_use_id: item.callId, content: item.output, is_error: item.isError }]);
    }
  }
  return messages;
}

function userBlock(part: UserContent): ContentBlockParam[] {
  if (part.type === 'text') return part.text === '' ? [] : [{ type: 'text', text: part.text }];
  const data = /^data:(image\/(?:jpeg|png|gif|webp));base64,(.*)$/s.exec(part.url);
  if (!data) return [{ type: 'image', source: { type: 'url', url: part.url } }];
  const mediaType = data[1] as 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
  return [{ type: 'image', source: { type: 'base64', media_type: mediaType, data: data[2]! } }];
}

/** `tool_use.input` must be an object; arguments that do not parse to one become `{}`. */
function argumentsObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function toolOf(tool: ModelRequest['tools'][number]): Tool {
  // Claude's own tools go by type and name; Anthropic holds their schemas.
  if (tool.anthropicType) return { type: tool.anthropicType, name: tool.name } as unknown as Tool;
  return { name: tool.name, description: tool.description, input_schema: tool.parameters as Tool.InputSchema };
}

type Block = { kind: 'text' | 'thinking'; streamed: boolean } | { kind: 'tool'; id: string; name: string; json: string; input: unknown } | { kind: 'other' };

/** How the Anthropic SDK's stream reports an `event: error` (e.g. overloaded_error mid-stream). */
function anthropicStreamError(errors: SdkErrorClasses, response: Response) {
  return (message: SseMessage, data: unknown): Error | null => {
    if (message.event !== 'error') return null;
    const type = (data as { error?: { type?: string } } | null)?.error?.type;
    const APIError = errors.APIError as unknown as new (status: undefined, error: unknown, message: undefined, headers: Headers, type?: string) => Error;
    return new APIError(undefined, data, undefined, response.headers, type);
  };
}

class AnthropicMapper implements StreamMapper<RawMessageStreamEvent> {
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
        if (block.type === 'text' || block.type === 'thinking') {
          this.blocks.set(event.index, { kind: block.type, streamed: false });
          const initial = block.type === 'text' ? block.text : block.thinking;
          return initial ? this.streamed(event.index, initial) : [];
        }
        if (block.type === 'tool_use') {
          this.blocks.set(event.index, { kind: 'tool', id: block.id, name: block.name, json: '', input: block.input });
        } else {
          this.blocks.set(event.index, { kind: 'other' });
        }
        return [];
      }
      case 'content_block_delta': {
        const { delta } = event;
        if (delta.type === 'text_delta') return this.streamed(event.index, delta.text);
        if (delta.type === 'thinking_delta') return this.streamed(event.index, delta.thinking);
        const block = this.blocks.get(event.index);
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
    if (block?.kind !== 'text' && block?.kind !== 'thinking') return [];
    block.streamed = true;
    // Thinking is the model's raw reasoning, one block per thinking block.
    return [block.kind === 'text' ? { type: 'text', delta } : { type: 'reasoningText', index: 0, delta }];
  }

  private blockStop(index: number): ModelEvent[] {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    if (block?.kind === 'text' || block?.kind === 'thinking') return block.streamed ? [{ type: 'blockEnd' }] : [];
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
