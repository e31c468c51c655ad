// Well-known models per provider: what `model/list` shows when a provider has no listing, and
// what fills in context windows and capabilities a provider's own listing leaves out.
import type { ModelInfo } from './types.js';
import { baseModelId } from '../core/model-prices.js';

/** What a model can do beyond the basics; absent: the default. */
interface Traits {
  /** Takes tools at all (default true). */
  tools?: boolean;
  /** Can call several tools in one response (Responses / Chat `parallel_tool_calls`; default false). */
  parallelToolCalls?: boolean;
}

// Prices live in core/model-prices.ts (the Inspector page prices usage too); OpenAI's models
// call tools in parallel.
const openai = (): Traits => ({ parallelToolCalls: true });

type Entry = [id: string, displayName: string, contextWindow: number, reasoning: boolean, images: boolean, traits?: Traits];

const catalog: Record<string, Entry[]> = {
  openai: [
    ['gpt-5.1', 'GPT-5.1', 400_000, true, true, openai()],
    ['gpt-5.1-codex', 'GPT-5.1 Codex', 400_000, true, true, openai()],
    ['gpt-5.1-codex-mini', 'GPT-5.1 Codex mini', 400_000, true, true, openai()],
    ['gpt-5', 'GPT-5', 400_000, true, true, openai()],
    ['gpt-5-codex', 'GPT-5 Codex', 400_000, true, true, openai()],
    ['gpt-5-mini', 'GPT-5 mini', 400_000, true, true, openai()],
    ['gpt-5-nano', 'GPT-5 nano', 400_000, true, true, openai()],
    ['gpt-4.1', 'GPT-4.1', 1_047_576, false, true, openai()],
    ['gpt-4.1-mini', 'GPT-4.1 mini', 1_047_576, false, true, openai()],
    ['gpt-4o', 'GPT-4o', 128_000, false, true, openai()],
    ['gpt-4o-mini', 'GPT-4o mini', 128_000, false, true, openai()],
    ['o3', 'o3', 200_000, true, true, openai()],
    ['o4-mini', 'o4-mini', 200_000, true, true, openai()],
  ],
  anthropic: [
    ['claude-opus-4-1', 'Claude Opus 4.1', 200_000, true, true],
    ['claude-opus-4-5', 'Claude Opus 4.5', 200_000, true, true],
    ['claude-sonnet-4-5', 'Claude Sonnet 4.5', 200_000, true, true],
    ['claude-haiku-4-5', 'Claude Haiku 4.5', 200_000, true, true],
    ['claude-3-5-haiku-latest', 'Claude Haiku 3.5', 200_000, false, true],
  ],
  deepseek: [
    ['deepseek-chat', 'DeepSeek Chat', 128_000, false, false],
    ['deepseek-reasoner', 'DeepSeek Reasoner', 128_000, true, false],
  ],
  groq: [
    ['llama-3.3-70b-versatile', 'Llama 3.3 70B Versatile', 131_072, false, false],
    ['llama-3.1-8b-instant', 'Llama 3.1 8B Instant', 131_072, false, false],
    ['openai/gpt-oss-120b', 'GPT-OSS 120B', 131_072, true, false],
    ['openai/gpt-oss-20b', 'GPT-OSS 20B', 131_072, true, false],
    ['moonshotai/kimi-k2-instruct', 'Kimi K2 Instruct', 131_072, false, false],
    ['qwen/qwen3-32b', 'Qwen3 32B', 131_072, true, false],
  ],
  mistral: [
    ['mistral-large-latest', 'Mistral Large', 131_072, false, false],
    ['mistral-medium-latest', 'Mistral Medium', 131_072, false, true],
    ['mistral-small-latest', 'Mistral Small', 131_072, false, true],
    ['codestral-latest', 'Codestral', 256_000, false, false],
    ['devstral-medium-latest', 'Devstral Medium', 131_072, false, false],
    ['magistral-medium-latest', 'Magistral Medium', 131_072, true, false],
  ],
  xai: [
    ['grok-4', 'Grok 4', 256_000, true, true],
    ['grok-code-fast-1', 'Grok Code Fast 1', 256_000, true, false],
    ['grok-3', 'Grok 3', 131_072, false, false],
    ['grok-3-mini', 'Grok 3 Mini', 131_072, true, false],
  ],
};

function infoOf([id, displayName, contextWindow, reasoning, images, traits = {}]: Entry): ModelInfo {
  return { id, displayName, contextWindow, supportsReasoning: reasoning, supportsImages: images, supportsTools: traits.tools ?? true };
}

/** The built-in models of a provider (empty when it has none). */
export function builtInModels(providerId: string): ModelInfo[] {
  return (catalog[providerId] ?? []).map(infoOf);
}

/**
 * The catalog entry for a model id, also matching dated snapshots (`gpt-4o-2024-08-06`,
 * `claude-sonnet-4-5-20250929`) of a catalogued id. The returned info carries the id asked for.
 */
export function catalogModel(providerId: string, modelId: string): ModelInfo | null {
  const entry = entryIn(catalog[providerId] ?? [], modelId);
  return entry ? { ...infoOf(entry), id: modelId } : null;
}

/** The entry of a model id among `entries`: its own, or the one of the id its dated snapshot is of. */
function entryIn(entries: readonly Entry[], modelId: string): Entry | undefined {
  const base = baseModelId(modelId);
  return entries.find(([id]) => id === modelId || id === base);
}

/**
 * The catalog entry for a model wherever it is served: the provider's own entry, else the entry of
 * the same model id under any provider (`gpt-5` on a custom Responses endpoint is still gpt-5;
 * `openai/gpt-5` on a router too).
 */
function knownEntry(providerId: string, modelId: string): Entry | null {
  const own = entryIn(catalog[providerId] ?? [], modelId);
  if (own) return own;
  const bare = modelId.slice(modelId.lastIndexOf('/') + 1);
  for (const entries of Object.values(catalog)) {
    const found = entryIn(entries, bare);
    if (found) return found;
  }
  return null;
}

/** The catalog's info for a model wherever it is served (see knownEntry), with the id asked for; null when unknown. */
export function knownModel(providerId: string, modelId: string): ModelInfo | null {
  const entry = knownEntry(providerId, modelId);
  return entry ? { ...infoOf(entry), id: modelId } : null;
}

/** Whether the model can call several tools in one response (the catalog says so; unknown models: no). */
export function parallelToolCalls(providerId: string, modelId: string): boolean {
  return knownEntry(providerId, modelId)?.[5]?.parallelToolCalls ?? false;
}

/** Whether the model reasons (the catalog says so, wherever it is served; unknown models: no). */
export function reasoningModel(providerId: string, modelId: string): boolean {
  return knownEntry(providerId, modelId)?.[3] ?? false;
}

/**
 * Whether reasoning one model produced can go back to another: the same provider and the same
 * model, dated snapshots aside (`claude-sonnet-4-5-20250929` = `claude-sonnet-4-5`). Encrypted
 * reasoning and signed thinking are only guaranteed to be accepted by the model that made them.
 */
export function sameReasoningFamily(a: { provider: string; model: string }, b: { provider: string; model: string }): boolean {
  return a.provider === b.provider && baseModelId(a.model) === baseModelId(b.model);
}

/** A listed model id → info: the catalog's when it knows the model, else unknowns. */
export function listedModel(providerId: string, modelId: string): ModelInfo {
  return (
    catalogModel(providerId, modelId) ?? {
      id: modelId,
      displayName: modelId,
      contextWindow: null,
      supportsReasoning: false,
      supportsImages: false,
      supportsTools: true,
    }
  );
}
