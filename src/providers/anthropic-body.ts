// A ModelRequest → the Messages API request body (and the beta features it needs).
//
// Thinking across a tool loop: a reasoning item that carries Anthropic's own record of a thinking
// block (ReasoningCarry, kept in the thread's log) goes back as that `thinking` block with its
// signature, or as the `redacted_thinking` block, in its place in the assistant message — before
// the text and tool_use it preceded — byte for byte: the API checks the signature and refuses a
// changed or reordered block. Reasoning from another provider or model has no carry (the engine
// drops it) and is not sent. Thinking then stays on for every call of a turn, as the guide asks
// ("keep one thinking configuration per assistant turn"); the one exception is a tool loop whose
// turn did not open with a thinking block (the model that made it was another, or thinking was
// off): with thinking on the API refuses that ("a final assistant message must start with a
// thinking block"), so that call asks for none.
// Sources: https://platform.claude.com/docs/en/build-with-claude/extended-thinking ("Preserving
// thinking blocks", "Interleaved thinking") and /docs/build-with-claude/thinking-tool-workflows.
//
// Interleaved thinking (thinking between tool calls, after reading their results) is a beta on
// the Claude 4 models that take manual extended thinking — Opus 4 / 4.1 / 4.5, Sonnet 4 / 4.5,
// Haiku 4.5 — asked for with `anthropic-beta: interleaved-thinking-2025-05-14` (the SDK lists the
// name in `AnthropicBeta`). Later models interleave on their own and refuse the header (Opus 4.7+
// answer 400), so it goes only to the models named here.
import type { ContentBlockParam, MessageCreateParamsStreaming, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages/messages.js';
import { EXTENDED_CACHE_TTL_BETA, withBreakpoints } from './anthropic-cache.js';
import type { ConversationItem, ModelRequest, PromptCache, UserContent } from './types.js';

export const DEFAULT_MAX_TOKENS = 8192;
export const INTERLEAVED_THINKING_BETA = 'interleaved-thinking-2025-05-14';

/** Reasoning effort → extended-thinking budget. */
const thinkingBudgets: Record<string, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16_384,
  xhigh: 24_576,
  max: 32_768,
};

/** Claude Opus 4, 4.1, 4.5; Sonnet 4, 4.5; Haiku 4.5 — and their dated snapshots. */
const INTERLEAVED_BETA_MODELS = /^claude-(?:opus-4(?:-[15])?|sonnet-4(?:-5)?|haiku-4-5)(?:-\d{8})?$/;

export interface AnthropicRequest {
  body: MessageCreateParamsStreaming;
  /** `anthropic-beta` features the body needs. */
  betas: string[];
}

export function anthropicRequest(request: ModelRequest, options: { maxTokens?: number; promptCache?: PromptCache } = {}): AnthropicRequest {
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const promptCache = options.promptCache ?? '5m';
  const messages = anthropicMessages(request.conversation);
  const requested = thinkingBudgets[request.reasoningEffort ?? ''];
  const budget = requested !== undefined && !toolLoopWithoutThinking(messages) ? requested : undefined;
  const body: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: budget === undefined ? maxTokens : budget + maxTokens,
    system: anthropicSystem(request) || undefined,
    messages,
    tools: request.tools.length > 0 ? request.tools.map(toolOf) : undefined,
    thinking: budget === undefined ? undefined : { type: 'enabled', budget_tokens: budget },
    output_config: request.outputSchema ? { format: { type: 'json_schema', schema: request.outputSchema } } : undefined,
    stream: true,
  };
  const betas = [
    ...(budget !== undefined && INTERLEAVED_BETA_MODELS.test(request.model) ? [INTERLEAVED_THINKING_BETA] : []),
    ...(promptCache === '1h' ? [EXTENDED_CACHE_TTL_BETA] : []),
  ];
  return { body: withBreakpoints(body, promptCache), betas };
}

/**
 * Messages has no developer role: the application's instructions, and the developer messages that
 * open the conversation (Keel's prompt, the client's instructions), make the system prompt.
 */
export function anthropicSystem(request: ModelRequest): string {
  const leading = request.conversation.slice(0, firstNonDeveloper(request.conversation));
  return [request.instructions ?? '', ...leading.map((item) => (item.type === 'developer' ? item.text : ''))].filter((text) => text !== '').join('\n\n');
}

function firstNonDeveloper(conversation: ConversationItem[]): number {
  const at = conversation.findIndex((item) => item.type !== 'developer');
  return at === -1 ? conversation.length : at;
}

/**
 * Alternating user/assistant messages; tool results travel as user `tool_result` blocks. A
 * developer message that comes after the history began goes in its place as user text: moved
 * into the system prompt it would change the cached prefix of every later call.
 */
export function anthropicMessages(conversation: ConversationItem[]): MessageParam[] {
  const messages: Array<{ role: 'user' | 'assistant'; content: ContentBlockParam[] }> = [];
  const add = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const item of conversation.slice(firstNonDeveloper(conversation))) {
    if (item.type === 'developer' && item.text !== '') add('user', [{ type: 'text', text: item.text }]);
    if (item.type === 'user') add('user', item.content.flatMap(userBlock));
    if (item.type === 'reasoning' && item.carry?.wire === 'anthropic') {
      const { carry } = item;
      add('assistant', [carry.type === 'thinking' ? { type: 'thinking', thinking: carry.thinking, signature: carry.signature } : { type: 'redacted_thinking', data: carry.data }]);
    }
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

/**
 * Mid tool loop (tool results last) in an assistant turn that did not open with thinking. The turn
 * began after the last user message holding no tool result; its first assistant message is the
 * one that must start with a thinking block (later calls of the loop may think or not).
 */
function toolLoopWithoutThinking(messages: MessageParam[]): boolean {
  const hasToolResult = (message: MessageParam | undefined) =>
    message?.role === 'user' && typeof message.content !== 'string' && (message.content as ContentBlockParam[]).some((block) => block.type === 'tool_result');
  if (!hasToolResult(messages.at(-1))) return false;
  const start = messages.findLastIndex((message) => message.role === 'user' && !hasToolResult(message));
  const opening = messages.slice(start + 1).find((message) => message.role === 'assistant');
  const first = opening && typeof opening.content !== 'string' ? (opening.content as ContentBlockParam[])[0] : undefined;
  return first?.type !== 'thinking' && first?.type !== 'redacted_thinking';
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
