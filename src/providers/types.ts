// The contract between the turn engine and model providers. Every provider normalises its wire
// stream to `ModelEvent`s; providers know nothing of the protocol, the store or threads.

/** One entry of the conversation sent to a model, rebuilt from a thread's items. */
export type ConversationItem =
  /** Instructions from the application (Keel's prompt, the client's developer instructions). */
  | { type: 'developer'; text: string }
  | { type: 'user'; content: UserContent[] }
  | { type: 'assistant'; text: string }
  /**
   * Reasoning from an earlier response. `carry`: what its provider needs back to continue that
   * reasoning (kept in the log); present only when the model being called is of the same family
   * as the one that reasoned (conversation.ts drops it otherwise).
   */
  | { type: 'reasoning'; summary: string[]; text: string[]; carry?: ReasoningCarry }
  /** `freeform`: `arguments` is the raw text of a freeform call, not JSON. */
  | { type: 'toolCall'; callId: string; name: string; arguments: string; freeform?: boolean }
  | { type: 'toolResult'; callId: string; output: string; isError: boolean };

export type UserContent =
  | { type: 'text'; text: string }
  /** An image by URL (`https:` or `data:` URL; local images are read and sent as data URLs). */
  | { type: 'image'; url: string };

/**
 * A provider's own record of one reasoning block, opaque to the engine: sent back to the same
 * provider and model family on later calls so the model keeps its chain of thought across a tool
 * loop and across turns. Responses: the reasoning output item (its id, the encrypted content asked
 * for with `include: ["reasoning.encrypted_content"]`, its summary). Anthropic: a `thinking` block
 * with its signature, or a `redacted_thinking` block.
 */
export type ReasoningCarry =
  | { wire: 'responses'; id: string; encryptedContent: string | null; summary: string[] }
  | { wire: 'anthropic'; type: 'thinking'; thinking: string; signature: string }
  | { wire: 'anthropic'; type: 'redacted_thinking'; data: string };

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  /** An Anthropic-defined tool (e.g. `bash_20250124`): sent by type and name, its schema is Anthropic's. */
  anthropicType?: string;
  /**
   * A tool that also has a freeform form (the Responses API's `custom` tool): its raw text stands
   * for the argument `field`. `grammar` is set when this request offers it freeform (the model
   * takes freeform tools); null when it is offered as a function.
   */
  freeform?: { field: string; grammar: { syntax: 'lark'; definition: string } | null };
}

export interface ModelRequest {
  model: string;
  /** System / developer instructions. */
  instructions: string | null;
  conversation: ConversationItem[];
  tools: ToolDefinition[];
  /** Reasoning effort name (`low`, `medium`, `high`…) when the model reasons; null leaves the provider default. */
  reasoningEffort: string | null;
  /** Ask for reasoning summaries (`auto`, `concise`, `detailed`) where supported; `none` for none; null: the provider's default (Responses: `auto` for a reasoning model, as Codex). */
  reasoningSummary: string | null;
  /** JSON Schema the final answer must follow, where supported. */
  outputSchema: Record<string, unknown> | null;
  /**
   * Routes requests of one thread to the same prompt cache (Responses `prompt_cache_key`): the
   * thread id; null when there is no thread to key on.
   */
  cacheKey: string | null;
  /** The model may call several tools in one response (the catalog says it can); providers that take the flag send it. */
  parallelToolCalls: boolean;
  /** The service tier the thread asked for (`flex`, `priority`…); sent only by providers that take one (Responses `service_tier`); absent or null: none. */
  serviceTier?: string | null;
}

export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
  totalTokens: number;
}

export interface RateLimitWindow {
  usedPercent: number;
  windowDurationMins: number | null;
  resetsAt: number | null;
}

/**
 * A provider's stream, normalised. Text and reasoning arrive as deltas; `blockEnd` closes the
 * message or reasoning block in progress (the engine makes one item per block); tool calls arrive
 * whole, once their arguments are complete; `usage` and `completed` come last.
 */
export type ModelEvent =
  | { type: 'text'; delta: string }
  | { type: 'reasoningSummaryPart'; index: number }
  | { type: 'reasoningSummary'; index: number; delta: string }
  | { type: 'reasoningText'; index: number; delta: string }
  | { type: 'blockEnd' }
  /**
   * The provider's record of the reasoning block in progress (or just closed); with no block open
   * it stands for a block of its own (a redacted or summary-less reasoning item). Comes before
   * that block's `blockEnd` when the block streamed anything.
   */
  | { type: 'reasoningCarry'; carry: ReasoningCarry }
  | { type: 'toolCall'; callId: string; name: string; arguments: string; freeform?: boolean }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'rateLimits'; primary: RateLimitWindow | null; secondary: RateLimitWindow | null }
  | { type: 'completed'; stopReason: 'stop' | 'toolCalls' | 'length' | 'contentFilter' | 'other' };

/** How a provider failure maps onto Codex's `codexErrorInfo`, and whether to retry it. */
export type ProviderErrorKind =
  | 'unauthorized'
  | 'badRequest'
  | 'rateLimitExceeded'
  /** Out of quota or credit: not retried. */
  | 'usageLimitExceeded'
  | 'serverOverloaded'
  | 'internalServerError'
  | 'contextWindowExceeded'
  | 'httpConnectionFailed'
  | 'responseStreamDisconnected'
  | 'modelNotFound'
  | 'other';

export class ProviderError extends Error {
  /** The provider's id for the request that failed (`x-request-id`, `request-id`), for the log; null when it sent none. */
  requestId: string | null;

  constructor(
    message: string,
    readonly kind: ProviderErrorKind,
    readonly options: { httpStatus?: number | null; retryAfterMs?: number | null; retryable?: boolean; requestId?: string | null } = {},
  ) {
    super(message);
    this.requestId = options.requestId ?? null;
  }

  get retryable(): boolean {
    if (this.options.retryable !== undefined) return this.options.retryable;
    return ['rateLimitExceeded', 'serverOverloaded', 'internalServerError', 'httpConnectionFailed', 'responseStreamDisconnected'].includes(this.kind);
  }
}

export interface ModelInfo {
  id: string;
  displayName: string;
  contextWindow: number | null;
  supportsReasoning: boolean;
  supportsImages: boolean;
  supportsTools: boolean;
}

export interface ModelProvider {
  readonly id: string;
  /** The tool vocabulary its models were trained on (tools/toolsets). */
  readonly toolFamily: 'openai' | 'anthropic' | 'generic';
  /**
   * Streams one model response, in batches of events (one batch per network read): an await per
   * event would cost more than handling it. Aborting `signal` ends the stream promptly (the
   * iterator throws an AbortError). Failures throw `ProviderError`. Must not retry: the engine
   * owns retries.
   */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent[]>;
  /** The provider's own model listing, when it has one. */
  listModels?(signal: AbortSignal): Promise<ModelInfo[]>;
  /** Whether `model` takes freeform tools (ToolDefinition.freeform); absent: none does. */
  freeformTools?(model: string): boolean;
}

/** A provider as configured: one entry of the manifest, or a custom OpenAI-compatible endpoint. */
export interface ProviderConfig {
  id: string;
  name: string;
  wire: 'responses' | 'chat' | 'anthropic' | 'scripted';
  baseUrl: string | null;
  /** Environment variable holding the API key (null when none is needed, e.g. local servers). */
  apiKeyEnv: string | null;
  /** The key in `apiKeyEnv` may be absent (e.g. a local vLLM started without `--api-key`). */
  apiKeyOptional?: boolean;
  /** Extra HTTP headers. */
  headers?: Record<string, string>;
  /**
   * A Chat Completions endpoint that takes `prompt_cache_key` (manifest.ts `promptCacheKeyTaken`):
   * OpenAI-compatible servers may refuse a field they do not know, so it is sent only where
   * documented. The Responses wire always sends it.
   */
  promptCacheKey?: boolean;
  /** Anthropic wire: the prompt cache asked for (absent: `5m`). */
  promptCache?: PromptCache;
}

/** Prompt-cache breakpoints for the 5-minute cache, the 1-hour cache, or none (`prompt_cache` in config.toml). */
export type PromptCache = '5m' | '1h' | 'off';
