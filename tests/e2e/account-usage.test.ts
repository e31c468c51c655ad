// account/rateLimits/read and account/usage/read against the real server and an Anthropic fake:
// the rate-limit headers of a response become `account/rateLimits/updated` and the read answers the
// same snapshot (by provider id too); the usage the turns recorded is summed per UTC day, and per
// model with its list-price cost for one thread.
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/keel-process.js';
import { keelWithThread, params, runTurn, turnOf } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { anthropic } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

const RESET = '2030-01-01T00:00:00Z';
const limitHeaders = {
  'anthropic-ratelimit-requests-limit': '50',
  'anthropic-ratelimit-requests-remaining': '40',
  'anthropic-ratelimit-requests-reset': RESET,
  'anthropic-ratelimit-tokens-limit': '1000',
  'anthropic-ratelimit-tokens-remaining': '250',
  'anthropic-ratelimit-tokens-reset': RESET,
};

const onAnthropic = () =>
  keelWithThread({
    config: ['model_provider = "anthropic"', 'model = "claude-sonnet-4-5"'],
    spawn: { env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url, OPENAI_API_KEY: undefined } },
  });

const today = () => new Date().toISOString().slice(0, 10);

describe('account/rateLimits/read', () => {
  it('answers nothing before a provider reported limits, then what the last account/rateLimits/updated said', async () => {
    fake.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('ok')]), headers: limitHeaders }]);
    const { keel, threadId } = await onAnthropic();
    const none = { limitId: null, limitName: null, primary: null, secondary: null };
    expect(await keel.request('account/rateLimits/read', undefined as never)).toEqual({
      rateLimits: none,
      rateLimitsByLimitId: null,
      accountId: null,
      ordinaryUsageAllowed: null,
      rateLimitResetCredits: null,
    });

    const seq = await runTurn(keel, threadId, 'hi');
    const resetsAt = Date.parse(RESET) / 1000;
    const snapshot = {
      limitId: 'anthropic',
      limitName: null,
      primary: { usedPercent: 20, windowDurationMins: null, resetsAt },
      secondary: { usedPercent: 75, windowDurationMins: null, resetsAt },
    };
    expect(seq.filter((m) => m.method === 'account/rateLimits/updated').map(params)).toEqual([{ rateLimits: snapshot }]);
    expect(await keel.request('account/rateLimits/read', {})).toEqual({
      rateLimits: snapshot,
      rateLimitsByLimitId: { anthropic: snapshot },
      accountId: null,
      ordinaryUsageAllowed: null,
      rateLimitResetCredits: null,
    });
    expect(fake.calls).toHaveLength(1);
  });
});

describe('account/usage/read', () => {
  it('sums the recorded usage per day, and one thread per model with its cost', async () => {
    fake.script(anthropic.route, [
      { sse: anthropic.stream([anthropic.text('one')], { usage: anthropic.usage(100, 0, 0), outputTokens: 20 }) },
      { sse: anthropic.stream([anthropic.text('two')], { usage: anthropic.usage(200, 0, 1000), outputTokens: 30 }) },
    ]);
    const { keel, threadId } = await onAnthropic();
    const empty = await keel.request('account/usage/read', {});
    expect(empty).toEqual({
      summary: { lifetimeTokens: 0, peakDailyTokens: null, currentStreakDays: 0, longestStreakDays: 0, longestRunningTurnSec: null },
      dailyUsageBuckets: [],
      threadUsage: null,
    });

    expect(turnOf(await runTurn(keel, threadId, 'one'))).toMatchObject({ status: 'completed' });
    expect(turnOf(await runTurn(keel, threadId, 'two'))).toMatchObject({ status: 'completed' });
    // A second thread with no turn adds nothing.
    await keel.request('thread/start', {});
    // inputTokens counts cache reads: 100 + 20 and 1200 + 30.
    const lifetime = 120 + 1230;
    const summary = { lifetimeTokens: lifetime, peakDailyTokens: lifetime, currentStreakDays: 1, longestStreakDays: 1, longestRunningTurnSec: expect.any(Number) };
    expect(await keel.request('account/usage/read', undefined as never)).toEqual({ summary, dailyUsageBuckets: [{ startDate: today(), tokens: lifetime }], threadUsage: null });

    // claude-sonnet-4-5: $3 input, $0.30 cache read, $15 output per million tokens.
    expect(await keel.request('account/usage/read', { threadId })).toEqual({
      summary,
      dailyUsageBuckets: [{ startDate: today(), tokens: lifetime }],
      threadUsage: {
        threadId,
        estimatedUsageCreditsMicros: 0,
        estimatedUsageUsdMicros: 300 * 3 + 1000 * 0.3 + 50 * 15,
        nativeUsageUsdMicros: null,
        groups: [
          {
            model: 'claude-sonnet-4-5',
            inputTokens: 1300,
            cachedInputTokens: 1000,
            netNewInputTokens: 300,
            outputTokens: 50,
            totalTokens: lifetime,
            reasoningEffort: null,
            speed: null,
            estimatedUsageCreditsMicros: 0,
          },
        ],
      },
    });
    expect(await errorOf(keel.request('account/usage/read', { threadId: 'no-such-thread' }))).toEqual({ code: -32600, message: 'thread not found: no-such-thread' });
    expect(fake.calls).toHaveLength(2);
  });
});
