// Usage and cost: thread/tokenUsage/updated as Codex sends it (the reducer's totals, the window
// from the catalog even for a catalogued model behind a custom endpoint), and thread/read's
// `cost` (Keel extension): each call priced at its own model's list prices, so a turn that fell
// back to another provider mid-way is priced right.
import { describe, expect, it } from 'vitest';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { keelWithThread, params, runTurn, turnOf } from '../helpers/turns.js';
import { anthropic, responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

const tokens = (input: number, cached: number, cacheWrite: number, output: number, reasoning = 0) => ({
  inputTokens: input,
  cachedInputTokens: cached,
  cacheWriteInputTokens: cacheWrite,
  outputTokens: output,
  reasoningOutputTokens: reasoning,
  totalTokens: input + output,
});
const usageOf = (seq: Awaited<ReturnType<typeof runTurn>>) => seq.filter((m) => m.method === 'thread/tokenUsage/updated').map(params);

describe('usage and cost', () => {
  it('gpt-5 on a custom Responses endpoint: the catalog\'s context window in thread/tokenUsage/updated, the totals summed over turns, the cost in thread/read', async () => {
    fake.script(wire.route, [{ sse: wire.stream([wire.message('one')], wire.usage(1200, 1000, 300, 250)) }, { sse: wire.stream([wire.message('two')], wire.usage(1500, 1200, 100)) }]);
    const { keel, threadId } = await keelWithThread({
      config: ['model_provider = "custom"', 'model = "gpt-5"', '[model_providers.custom]', 'name = "Custom"', `base_url = "${fake.url}/v1"`, 'env_key = "CUSTOM_KEY"', 'wire_api = "responses"'],
      spawn: { env: { CUSTOM_KEY: 'k' } },
    });
    const first = await runTurn(keel, threadId, 'one');
    const second = await runTurn(keel, threadId, 'two');
    const one = tokens(1200, 1000, 0, 300, 250);
    const two = tokens(1500, 1200, 0, 100);
    expect(usageOf(first)).toEqual([{ threadId, turnId: turnOf(first).id, tokenUsage: { total: one, last: one, modelContextWindow: 400_000 } }]);
    expect(usageOf(second)).toEqual([{ threadId, turnId: turnOf(second).id, tokenUsage: { total: tokens(2700, 2200, 0, 400, 250), last: two, modelContextWindow: 400_000 } }]);
    // gpt-5: $1.25 input, $0.125 cached input, $10 output per million tokens.
    const read = await keel.request('thread/read', { threadId });
    expect(read.cost).toEqual({
      usd: 0.0049,
      turns: [
        { turnId: turnOf(first).id, usd: 0.003375 }, // 200 × 1.25 + 1000 × 0.125 + 300 × 10
        { turnId: turnOf(second).id, usd: 0.001525 }, // 300 × 1.25 + 1200 × 0.125 + 100 × 10
      ],
    });
    expect((await keel.request('thread/resume', { threadId })).cost).toEqual(read.cost);
  });

  it('a turn that falls back to Anthropic mid-way: each call priced at its own model, each usage with its own window', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_1', 'no_such_tool', '{}')], wire.usage(1000, 0, 50)) },
      { ...wire.error(503, 'server_is_overloaded', 'down'), headers: { 'retry-after': '0' } },
    ]);
    fake.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('Done.')], { usage: anthropic.usage(100, 2000, 0), outputTokens: 20 }) }]);
    const { keel, threadId } = await keelWithThread({
      keel: ['max_retries = 0', 'fallback = [{ model_provider = "anthropic", model = "claude-sonnet-4-5" }]'],
      spawn: { env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `${fake.url}/v1`, ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url } },
    });
    const seq = await runTurn(keel, threadId, 'go');
    const turnId = turnOf(seq).id;
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
    const openai = tokens(1000, 0, 0, 50);
    const claude = tokens(2100, 0, 2000, 20);
    expect(usageOf(seq)).toEqual([
      { threadId, turnId, tokenUsage: { total: openai, last: openai, modelContextWindow: 400_000 } },
      { threadId, turnId, tokenUsage: { total: tokens(3100, 0, 2000, 70), last: claude, modelContextWindow: 200_000 } },
    ]);
    // gpt-5: 1000 × $1.25 + 50 × $10; claude-sonnet-4-5: 100 × $3 + 2000 × $3.75 (5-minute write) + 20 × $15.
    expect((await keel.request('thread/read', { threadId })).cost).toEqual({ usd: 0.00985, turns: [{ turnId, usd: 0.00985 }] });
  });
});
