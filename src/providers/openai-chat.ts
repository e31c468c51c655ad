// OpenAI-compatible Chat Completions (`POST /chat/completions`, streamed) → ModelEvents: the wire
// of ollama, lmstudio, vLLM, OpenRouter, Groq, DeepSeek, Mistral, Together, xAI, Fireworks…
import type {
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions/completions.js';
import type { CompletionUsage } from 'openai/resources/completions.js';
import type { ReasoningEffort } from 'openai/resources/shared.js';
import { streamDisconnected, type StreamMapper } from './errors.js';
import { openAIWireProvider, type OpenAIProviderOptions } from './openai-client.js';
import type { ConversationItem, ModelEvent, ModelProvider, ModelRequest, TokenUsage, UserContent } from './types.js';

/** `promptCacheKey`: the endpoint takes `prompt_cache_key` (manifest.ts `promptCacheKeyTaken`). */
export function createChatProvider(options: OpenAIProviderOptions & { promptCacheKey?: boolean }): ModelProvider {
  const endpoint = { promptCacheKey: options.promptCacheKey ?? false };
  // Chat Completions endpoints serve every kind of model: they get the plain, generic toolset.
  return openAIWireProvider(options, 'generic', (client, request, signal) => client.chat.completions.create(chatBody(request, endpoint), { signal }), () => new ChatMapper());
}

/**
 * Fields beyond the common core go only where they are taken: an OpenAI-compatible server may
 * refuse one it does not know. `parallel_tool_calls` only as `true`, with tools, for a model the
 * catalog knows to call in parallel (otherwise the endpoint's default stands).
 */
export function chatBody(request: ModelRequest, endpoint: { promptCacheKey: boolean } = { promptCacheKey: false }): ChatCompletionCreateParamsStreaming {
  const tools = request.tools.length > 0;
  return {
    model: request.model,
    messages: chatMessages(request.instructions, request.conversation),
    tools: tools ? request.tools.map(toolOf) : undefined,
    parallel_tool_calls: tools && request.parallelToolCalls ? true : undefined,
    prompt_cache_key: endpoint.promptCacheKey && request.cacheKey !== null ? request.cacheKey : undefined,
    reasoning_effort: (request.reasoningEffort as ReasoningEffort) ?? undefined,
    response_format: request.outputSchema
      ? { type: 'json_schema', json_schema: { name: 'output', schema: request.outputSchema, strict: false } }
      : undefined,
    stream: true,
    stream_options: { include_usage: true },
  };
}

/**
 * Instructions become the system message. Tool calls join the assistant message before them (the
 * model sent them as one), results go back as `tool` messages; reasoning is not replayed.
 */
export function chatMessages(instructions: string | null, conversation: ConversationItem[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = instructions === null ? [] : [{ role: 'system', content: instructions }];
  for (const item of conversation) {
    // `system`, not `developer`: every OpenAI-compatible endpoint knows the older role.
    if (item.type === 'developer') messages.push({ role: 'system', content: item.text });
    if (item.type === 'user') messages.push({ role: 'user', content: userContent(item.content) });
    if (item.type === 'assistant') messages.push({ role: 'assistant', content: item.text });
    if (item.type === 'toolResult') messages.push({ role: 'tool', tool_call_id: item.callId, content: item.output });
    if (item.type === 'toolCall') {
      const call: ChatCompletionMessageFunctionToolCall = {
        id: item.callId,
        type: 'function',
        function: { name: item.name, arguments: item.arguments },
      };
      const last = messages.at(-1);
      if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    }
  }
  return messages;
}

/** A lone text part goes as a plain string, which every compatible server accepts. */
function userContent(content: UserContent[]): string | ChatCompletionContentPart[] {
  if (content.length === 1 && content[0]!.type === 'text') return content[0]!.text;
  return content.map((part) =>
    part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { url: part.url } },
  );
}

function toolOf(tool: ModelRequest['tools'][number]): ChatCompletionFunctionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}

/** Reasoning arrives as `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter, Ollama). */
type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string | null; reasoning?: string | null };
/** DeepSeek reports cache hits outside `prompt_tokens_details`. */
type Usage = CompletionUsage & { prompt_cache_hit_tokens?: number };

/**
 * The SDK swallows `[DONE]`, so the terminal signal here is the choice's `finish_reason` followed
 * by a clean end of stream; the usage chunk comes between the two.
 */
class ChatMapper implements StreamMapper<ChatCompletionChunk> {
  readonly done = false;
  private block: 'text' | 'reasoning' | null = null;
  /** The calls in the order they began; `index` is the wire's. */
  private calls: Array<{ index: number; id: string; name: string; arguments: string }> = [];
  /** The wire index → the call its fragments now go to. */
  private byIndex = new Map<number, number>();
  private finishReason: string | null = null;
  private usage: TokenUsage | null = null;

  push(chunk: ChatCompletionChunk): ModelEvent[] {
    if (chunk.usage) this.usage = usageOf(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) return [];
    const events: ModelEvent[] = [];
    const delta = (choice.delta ?? {}) as Delta;
    const reasoning = delta.reasoning_content || delta.reasoning;
    if (reasoning) events.push(...this.switchTo('reasoning'), { type: 'reasoningText', index: 0, delta: reasoning });
    if (delta.content) events.push(...this.switchTo('text'), { type: 'text', delta: delta.content });
    for (const part of delta.tool_calls ?? []) {
      const call = this.callFor(part);
      call.id ||= part.id ?? '';
      call.name += part.function?.name ?? '';
      call.arguments += part.function?.arguments ?? '';
    }
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      events.push(...this.switchTo(null), ...this.toolCalls());
    }
    return events;
  }

  finish(): ModelEvent[] {
    if (this.finishReason === null) throw streamDisconnected('the stream closed before a finish_reason');
    const usage: ModelEvent[] = this.usage ? [{ type: 'usage', usage: this.usage }] : [];
    return [...usage, { type: 'completed', stopReason: this.stopReason(this.finishReason) }];
  }

  private switchTo(block: 'text' | 'reasoning' | null): ModelEvent[] {
    const closing: ModelEvent[] = this.block !== null && this.block !== block ? [{ type: 'blockEnd' }] : [];
    this.block = block;
    return closing;
  }

  /**
   * The call a fragment belongs to. A call with no id keeps '' (the engine gives it one). Some
   * endpoints send each call whole at the same index, each with its own id: a new id there is a new call.
   */
  private callFor(part: ChatCompletionChunk.Choice.Delta.ToolCall): (typeof this.calls)[number] {
    const index = part.index ?? this.calls.length;
    const at = this.byIndex.get(index);
    const current = at === undefined ? undefined : this.calls[at];
    if (current !== undefined && !(part.id && current.id && part.id !== current.id)) return current;
    const call = { index, id: '', name: '', arguments: '' };
    this.byIndex.set(index, this.calls.push(call) - 1);
    return call;
  }

  private toolCalls(): ModelEvent[] {
    // In the wire's order (a stable sort: calls sent at one index stay in the order they came).
    return [...this.calls].sort((a, b) => a.index - b.index).map((call) => ({ type: 'toolCall', callId: call.id, name: call.name, arguments: call.arguments }));
  }

  private stopReason(reason: string): Extract<ModelEvent, { type: 'completed' }>['stopReason'] {
    if (reason === 'length') return 'length';
    if (reason === 'content_filter') return 'contentFilter';
    if (reason === 'tool_calls' || reason === 'function_call' || this.calls.length > 0) return 'toolCalls';
    return reason === 'stop' ? 'stop' : 'other';
  }
}

function usageOf(usage: Usage): TokenUsage {
  return {
    inputTokens: usage.prompt_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0,
    cacheWriteInputTokens: 0,
    outputTokens: usage.completion_tokens,
    reasoningOutputTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    totalTokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
  };
}
