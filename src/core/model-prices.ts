// List prices per model, and what a call's usage costs at them. Pure data and arithmetic with no
// Node imports, so the server (engine/usage-cost.ts) and the Inspector page price usage alike.
// Unknown is null, never 0: a model not priced here has no known cost.

/**
 * List prices in USD per million tokens (standard tier, no batch), and the date they were read.
 * `cachedInput`: a cache read. `cacheWrite`: a 5-minute cache write (Anthropic); OpenAI bills no
 * cache writes (its caching is automatic), so there it is the input price.
 */
export interface Prices {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
  /** When the source page was read (YYYY-MM-DD). */
  asOf: string;
}

// Sources, read on 2026-12-06: OpenAI — https://developers.openai.com/api/docs/pricing ("Text
// tokens", standard tier) and each model's page (e.g. .../api/docs/models/gpt-5-codex: $1.25
// input, $0.125 cached input, $10 output); Anthropic — https://platform.claude.com/docs/en/about-claude/pricing
// ("Model pricing": base input, 5m cache writes, cache hits and refreshes, output; e.g. Sonnet 4.5
// $3 / $3.75 / $0.30 / $15, Haiku 3.5 $0.80 / $1 / $0.08 / $4). Models not priced here (the other
// providers') have no price: their cost is unknown, never 0.
const openai = (input: number, cachedInput: number, output: number): Prices => ({ input, cachedInput, cacheWrite: input, output, asOf: '2026-12-06' });
const claude = (input: number, cacheWrite: number, cachedInput: number, output: number): Prices => ({ input, cachedInput, cacheWrite, output, asOf: '2026-12-06' });

/** Prices by provider, then model id (the catalog's ids: providers/model-catalog.ts). */
const PRICES: Record<string, Record<string, Prices>> = {
  openai: {
    'gpt-5.1': openai(1.25, 0.125, 10),
    'gpt-5.1-codex': openai(1.25, 0.125, 10),
    'gpt-5.1-codex-mini': openai(0.25, 0.025, 2),
    'gpt-5': openai(1.25, 0.125, 10),
    'gpt-5-codex': openai(1.25, 0.125, 10),
    'gpt-5-mini': openai(0.25, 0.025, 2),
    'gpt-5-nano': openai(0.05, 0.005, 0.4),
    'gpt-4.1': openai(2, 0.5, 8),
    'gpt-4.1-mini': openai(0.4, 0.1, 1.6),
    'gpt-4o': openai(2.5, 1.25, 10),
    'gpt-4o-mini': openai(0.15, 0.075, 0.6),
    o3: openai(2, 0.5, 8),
    'o4-mini': openai(1.1, 0.275, 4.4),
  },
  anthropic: {
    'claude-opus-4-1': claude(15, 18.75, 1.5, 75),
    'claude-opus-4-5': claude(5, 6.25, 0.5, 25),
    'claude-sonnet-4-5': claude(3, 3.75, 0.3, 15),
    'claude-haiku-4-5': claude(1, 1.25, 0.1, 5),
    'claude-3-5-haiku-latest': claude(0.8, 1, 0.08, 4),
  },
};

/** The model id without a dated snapshot suffix (`gpt-4o-2024-08-06` → `gpt-4o`, `…-20250929`). */
export function baseModelId(modelId: string): string {
  return modelId.replace(/-(\d{4}-\d{2}-\d{2}|\d{8})$/, '');
}

/**
 * The model's list prices wherever it is served (gpt-5 behind a router, or as `openai/gpt-5`, is
 * priced as gpt-5; a dated snapshot as its model); null when not known.
 */
export function modelPrices(providerId: string, modelId: string): Prices | null {
  const own = priceIn(PRICES[providerId], modelId);
  if (own) return own;
  const bare = modelId.slice(modelId.lastIndexOf('/') + 1);
  for (const table of Object.values(PRICES)) {
    const found = priceIn(table, bare);
    if (found) return found;
  }
  return null;
}

function priceIn(table: Record<string, Prices> | undefined, modelId: string): Prices | null {
  if (table === undefined) return null;
  return (Object.hasOwn(table, modelId) ? table[modelId] : Object.hasOwn(table, baseModelId(modelId)) ? table[baseModelId(modelId)] : undefined) ?? null;
}

/**
 * What one call's usage cost at `prices`, in USD. `inputTokens` counts the whole prompt, cache
 * reads and writes included (providers/types.ts TokenUsage); reasoning tokens are part of the output.
 */
export function costUsd(usage: { inputTokens: number; cachedInputTokens: number; cacheWriteInputTokens?: number; outputTokens: number }, prices: Prices): number {
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens - cacheWrite);
  return (uncached * prices.input + usage.cachedInputTokens * prices.cachedInput + cacheWrite * prices.cacheWrite + usage.outputTokens * prices.output) / 1_000_000;
}
