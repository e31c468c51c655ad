// The OpenAI Responses API (`POST /responses`, streamed, `store: false`) → ModelEvents, and the
// request body as Codex sends it.
import type {
  CustomTool,
  FunctionTool,
  Response as ResponseObject,
  ResponseCreateParamsStreaming,
  ResponseInputContent,
  ResponseInputItem,
  ResponseOutputItem,
  ResponseReasoningItem,
  ResponseStreamEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses.js';
import type { Reasoning, ReasoningEffort } from 'openai/resources/shared.js';
import { reasoningModel } from './model-catalog.js';
import { reportedError, streamDisconnected, type StreamMapper } from './errors.js';
import { openAIWireProvider, type OpenAIProviderOptions } from './openai-client.js';
import type { ConversationItem, ModelEvent, ModelProvider, ModelRequest, TokenUsage, ToolDefinition, UserContent } from './types.js';

/** The models that take freeform (`custom`) tools, as Codex offers them apply_patch: the GPT-5 family. */
const FREEFORM_MODELS = /^gpt-5/;

export function createResponsesProvider(options: OpenAIProviderOptions): ModelProvider {
  const provider = openAIWireProvider(
    options,
    'openai',
    (client, request, signal) => client.responses.create(responsesBody(request, reasoningModel(options.id, request.model)), { signal }),
    () => new ResponsesMapper(),
  );
  return { ...provider, freeformTools: (model) => FREEFORM_MODELS.test(model) };
}

/**
 * The request as Codex 0.169.0 sends it for the same model and settings (app-server.md, "What Keel
 * sends to models"). `reasons`: the model reasons (the catalog says so). A reasoning model always
 * gets a `reasoning` object — its summary `auto` unless the request names one (`none`: no summary),
 * as Codex defaults `model_reasoning_summary` — and whenever reasoning is asked for, its encrypted
 * content is too: with `store: false` that is the only way the model's chain of thought survives
 * to the next call of a tool loop.
 */
export function responsesBody(request: ModelRequest, reasons = false): ResponseCreateParamsStreaming {
  const summary = request.reasoningSummary === 'none' ? null : (request.reasoningSummary ?? (reasons ? 'auto' : null));
  const reasoning: Reasoning | undefined =
    !reasons && request.reasoningEffort === null && summary === null
      ? undefined
      : {
          ...(request.reasoningEffort === null ? {} : { effort: request.reasoningEffort as ReasoningEffort }),
          ...(summary === null ? {} : { summary: summary as Reasoning['summary'] }),
        };
  const tools = request.tools.length > 0;
  return {
    model: request.model,
    instructions: request.instructions ?? undefined,
    input: responsesInput(request.conversation, request.tools),
    tools: tools ? request.tools.map(toolOf) : undefined,
    // Sent whenever tools are: the API's default for parallel calls is yes, the catalog's may be no.
    tool_choice: tools ? 'auto' : undefined,
    parallel_tool_calls: tools ? request.parallelToolCalls : undefined,
    reasoning,
    include: reasoning ? ['reasoning.encrypted_content'] : undefined,
    text: request.outputSchema
      ? { format: { type: 'json_schema', name: 'output', schema: request.outputSchema, strict: false } }
      : undefined,
    // One thread's calls go to the same prompt cache (OpenAI routes on it).
    prompt_cache_key: request.cacheKey ?? undefined,
    // The thread's service tier, as the client named it (the API refuses one it does not know).
    service_tier: (request.serviceTier ?? undefined) as ResponseCreateParamsStreaming['service_tier'],
    stream: true,
    store: false,
  };
}

/**
 * Reasoning goes back only as its own provider's record (a `responses` carry with encrypted
 * content: with `store: false` the API cannot look a reasoning item up by its id), in its place —
 * before the call it led to; reasoning without one (another model's, an old thread's) is dropped.
 * A call to a tool with a freeform form goes back in the form this request offers it (a thread may
 * move between a model that takes freeform tools and one that does not).
 */
export function responsesInput(conversation: ConversationItem[], tools: readonly ToolDefinition[] = []): ResponseInputItem[] {
  const freeformFields = new Map(tools.flatMap((tool) => (tool.freeform ? [[tool.name, tool.freeform] as const] : [])));
  const customCalls = new Set<string>();
  return conversation.flatMap((item): ResponseInputItem[] => {
    switch (item.type) {
      case 'developer':
        return [{ type: 'message', role: 'developer', content: [{ type: 'input_text', text: item.text }] }];
      case 'user':
        return [{ type: 'message', role: 'user', content: item.content.map(inputContent) }];
      case 'assistant':
        // An input message's content list holds input parts only; a string is the typed way to
        // replay earlier model output without inventing output-item ids.
        return [{ type: 'message', role: 'assistant', content: item.text }];
      case 'toolCall': {
        const freeform = freeformFields.get(item.name);
        if (freeform?.grammar) {
          customCalls.add(item.callId);
          return [{ type: 'custom_tool_call', call_id: item.callId, name: item.name, input: item.freeform ? item.arguments : fieldOf(item.arguments, freeform.field) }];
        }
        const args = item.freeform ? JSON.stringify({ [freeform?.field ?? 'input']: item.arguments }) : item.arguments;
        return [{ type: 'function_call', call_id: item.callId, name: item.name, arguments: args }];
      }
      case 'toolResult':
        if (customCalls.has(item.callId)) return [{ type: 'custom_tool_call_output', call_id: item.callId, output: item.output }];
        return [{ type: 'function_call_output', call_id: item.callId, output: item.output }];
      case 'reasoning': {
        const carry = item.carry;
        if (carry?.wire !== 'responses' || !carry.encryptedContent) return [];
        const summary = carry.summary.map((text) => ({ type: 'summary_text' as const, text }));
        return [{ type: 'reasoning', id: carry.id, summary, encrypted_content: carry.encryptedContent }];
      }
    }
  });
}

function inputContent(part: UserContent): ResponseInputContent {
  return part.type === 'text'
    ? { type: 'input_text', text: part.text }
    : { type: 'input_image', image_url: part.url, detail: 'auto' };
}

/** A JSON call's `field`, as the raw text a freeform call would have sent (the JSON itself when it has none). */
function fieldOf(args: string, field: string): string {
  try {
    const value = (JSON.parse(args) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : args;
  } catch {
    return args;
  }
}

function toolOf(tool: ToolDefinition): FunctionTool | CustomTool {
  const grammar = tool.freeform?.grammar;
  if (grammar) return { type: 'custom', name: tool.name, description: tool.description, format: { type: 'grammar', syntax: grammar.syntax, definition: grammar.definition } };
  return { type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false };
}

class ResponsesMapper implements StreamMapper<ResponseStreamEvent> {
  done = false;
  /** A message or reasoning item has streamed something and is not closed yet. */
  private open = false;
  private toolCalls = 0;

  push(event: ResponseStreamEvent): ModelEvent[] {
    switch (event.type) {
      case 'response.output_text.delta':
        return this.opened({ type: 'text', delta: event.delta });
      case 'response.reasoning_summary_part.added':
        return this.opened({ type: 'reasoningSummaryPart', index: event.summary_index });
      case 'response.reasoning_summary_text.delta':
        return this.opened({ type: 'reasoningSummary', index: event.summary_index, delta: event.delta });
      case 'response.reasoning_text.delta':
        return this.opened({ type: 'reasoningText', index: event.content_index, delta: event.delta });
      case 'response.output_item.done':
        return this.itemDone(event.item);
      case 'response.completed':
      case 'response.incomplete':
        this.done = true;
        return [...this.close(), ...this.completion(event.response)];
      case 'response.failed':
        throw reportedError(event.response.error?.code ?? null, event.response.error?.message ?? 'response failed');
      case 'error':
        throw reportedError(event.code, event.message);
      default:
        return [];
    }
  }

  finish(): ModelEvent[] {
    if (!this.done) throw streamDisconnected('the stream closed before response.completed');
    return [];
  }

  private opened(event: ModelEvent): ModelEvent[] {
    this.open = true;
    return [event];
  }

  private close(): ModelEvent[] {
    if (!this.open) return [];
    this.open = false;
    return [{ type: 'blockEnd' }];
  }

  private itemDone(item: ResponseOutputItem): ModelEvent[] {
    if (item.type === 'reasoning') return [...this.carry(item), ...this.close()];
    if (item.type === 'message') return this.close();
    if (item.type === 'custom_tool_call') {
      this.toolCalls += 1;
      return [...this.close(), { type: 'toolCall', callId: item.call_id, name: item.name, arguments: item.input, freeform: true }];
    }
    if (item.type !== 'function_call') return [];
    this.toolCalls += 1;
    return [...this.close(), { type: 'toolCall', callId: item.call_id, name: item.name, arguments: item.arguments }];
  }

  /**
   * The reasoning item as the API needs it back (asked for with `include`); one that streamed
   * nothing is a block of its own, closed here. Without encrypted content there is nothing the
   * API takes back under `store: false`, and the item stays as it streamed.
   */
  private carry(item: ResponseReasoningItem): ModelEvent[] {
    if (!item.encrypted_content) return [];
    this.open = true;
    return [{ type: 'reasoningCarry', carry: { wire: 'responses', id: item.id, encryptedContent: item.encrypted_content, summary: item.summary.map((part) => part.text) } }];
  }

  private completion(response: ResponseObject): ModelEvent[] {
    const usage: ModelEvent[] = response.usage ? [{ type: 'usage', usage: usageOf(response.usage) }] : [];
    return [...usage, { type: 'completed', stopReason: this.stopReason(response) }];
  }

  private stopReason(response: ResponseObject): Extract<ModelEvent, { type: 'completed' }>['stopReason'] {
    if (response.status === 'incomplete') {
      const reason = response.incomplete_details?.reason;
      return reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'contentFilter' : 'other';
    }
    if (response.status !== undefined && response.status !== 'completed') return 'other';
    return this.toolCalls > 0 ? 'toolCalls' : 'stop';
  }
}

function usageOf(usage: ResponseUsage): TokenUsage {
  return {
    inputTokens: usage.input_tokens,
    cachedInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    cacheWriteInputTokens: usage.input_tokens_details?.cache_write_tokens ?? 0,
    outputTokens: usage.output_tokens,
    reasoningOutputTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
    totalTokens: usage.total_tokens,
  };
}
