// List prices, US dollars per million tokens, and what a call costs at them. Sources (read 2026-12-06):
//   gpt-5.1-codex: $1.25 input, $0.125 cached input, $10 output — the GPT-5 / GPT-5-Codex tier, as
//     https://developers.openai.com/api/docs/models/gpt-5-codex lists it ("Input $1.25, Cached input
//     $0.125, Output $10.00"), and https://koishiai.com/en/articles/openai-gpt-5-1-api-pricing-limits
//     for GPT-5.1 (one third-party page quotes $1.50/$12 for gpt-5.1-codex: not used; the issue's
//     figures are). Cache writes cost nothing extra before the GPT-5.6 family
//     (https://developers.openai.com/api/docs/guides/prompt-caching).
//   Claude Sonnet 4.5: $3 input, $3.75 5-minute cache write, $6 1-hour cache write, $0.30 cache
//     read, $15 output — https://platform.claude.com/docs/en/build-with-claude/prompt-caching
//     (its pricing table; the same table in https://docs.claude.com/ko/docs/build-with-claude/prompt-caching).
export const PRICES = {
  'gpt-5.1-codex': { input: 1.25, cachedInput: 0.125, cacheWrite5m: 1.25, cacheWrite1h: 1.25, output: 10 },
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6, output: 15 },
};

/**
 * `calls`: the provider's own usage of each call, normalised to { prompt (every input token),
 * cached, write5m, write1h, output }. Returns the cost with caching and the cost of the same
 * calls with nothing cached.
 */
export function sessionCost(model, calls) {
  const p = PRICES[model];
  let cost = 0;
  let uncached = 0;
  for (const c of calls) {
    const plain = c.prompt - c.cached - c.write5m - c.write1h;
    cost += plain * p.input + c.cached * p.cachedInput + c.write5m * p.cacheWrite5m + c.write1h * p.cacheWrite1h + c.output * p.output;
    uncached += c.prompt * p.input + c.output * p.output;
  }
  return { cost: cost / 1e6, uncached: uncached / 1e6 };
}
