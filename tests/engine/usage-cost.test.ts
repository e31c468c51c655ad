// Cost at list prices from the usage the reducer summed per provider and model: each route at its
// own model's prices; unknown (no route, or a model without prices) is null, never 0.
import { describe, expect, it } from 'vitest';
import { usageCostUsd } from '../../src/engine/usage-cost.js';

const tokens = (input: number, cached: number, cacheWrite: number, output: number) => ({
  inputTokens: input,
  cachedInputTokens: cached,
  cacheWriteInputTokens: cacheWrite,
  outputTokens: output,
  reasoningOutputTokens: 0,
  totalTokens: input + output,
});

describe('usageCostUsd', () => {
  const cases = [
    { name: 'no calls cost nothing', entries: [], usd: 0 },
    { name: 'gpt-5: uncached input, cached input and output at their prices', entries: [{ route: { provider: 'openai', model: 'gpt-5' }, usage: tokens(1_000_000, 400_000, 0, 100_000) }], usd: 0.75 + 0.05 + 1 },
    { name: 'gpt-5 behind a custom endpoint or a router is priced as gpt-5', entries: [{ route: { provider: 'router', model: 'openai/gpt-5' }, usage: tokens(1_000_000, 0, 0, 0) }], usd: 1.25 },
    { name: 'claude-sonnet-4-5: cache reads and 5-minute writes at their prices', entries: [{ route: { provider: 'anthropic', model: 'claude-sonnet-4-5-20250929' }, usage: tokens(1_000_000, 500_000, 400_000, 0) }], usd: 0.3 + 0.15 + 1.5 },
    {
      name: 'a fallback mid-way: each model at its own prices',
      entries: [
        { route: { provider: 'openai', model: 'gpt-5' }, usage: tokens(1_000_000, 0, 0, 0) },
        { route: { provider: 'anthropic', model: 'claude-haiku-4-5' }, usage: tokens(0, 0, 0, 1_000_000) },
      ],
      usd: 1.25 + 5,
    },
    { name: 'a model without prices makes the sum unknown', entries: [{ route: { provider: 'openai', model: 'gpt-5' }, usage: tokens(10, 0, 0, 1) }, { route: { provider: 'local', model: 'my-model' }, usage: tokens(10, 0, 0, 1) }], usd: null },
    { name: 'usage without a route (an old log) is unknown', entries: [{ route: null, usage: tokens(10, 0, 0, 1) }], usd: null },
  ];
  for (const { name, entries, usd } of cases) it(name, () => expect(usageCostUsd(entries)).toBe(usd));
});
