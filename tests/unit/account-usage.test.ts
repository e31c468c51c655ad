// account/usage/read's arithmetic: turns on their UTC start day, each turn once across threads (a
// fork's copied turns keep their ids), streaks of consecutive days, the longest turn, and one
// thread's own calls per model with their list-price cost.
import { describe, expect, it } from 'vitest';
import { listFrom } from '../../src/core/plist.js';
import type { ThreadState } from '../../src/core/state.js';
import { accountUsage, threadUsage } from '../../src/engine/account-usage.js';

const DAY = 86_400_000;
const day = (n: number, hour = 12) => Date.UTC(2026, 11, 1) + n * DAY + hour * 3_600_000;
const usage = (input: number, cached: number, output: number) => ({ inputTokens: input, cachedInputTokens: cached, cacheWriteInputTokens: 0, outputTokens: output, reasoningOutputTokens: 0, totalTokens: input + output });
const route = (model: string) => ({ provider: 'openai', model });

function turn(id: string, startedAtMs: number, tokens: number, ranMs = 1000) {
  return { id, status: 'completed', error: null, startedAtMs, completedAtMs: startedAtMs + ranMs, model: null, items: listFrom([]), usage: tokens === 0 ? undefined : [{ route: route('gpt-5'), usage: usage(tokens, 0, 0) }] };
}

function thread(id: string, turns: ReturnType<typeof turn>[], own: ThreadState['usage'] = []): ThreadState {
  return { id, createdAtMs: day(0), turns: listFrom(turns), usage: own } as unknown as ThreadState;
}

describe('accountUsage', () => {
  it('puts each turn on its UTC day once, and measures streaks and the longest turn', () => {
    const source = thread('a', [turn('t1', day(0, 1), 100), turn('t2', day(0, 23), 50, 90_500), turn('t3', day(1), 10)]);
    // A fork of `a` copies t1 and t2 (same ids): they count once.
    const fork = thread('b', [turn('t1', day(0, 1), 100), turn('t2', day(0, 23), 50), turn('t4', day(3), 7), turn('t5', day(4), 0, 5000)]);
    expect(accountUsage([source, fork], day(4))).toEqual({
      summary: { lifetimeTokens: 167, peakDailyTokens: 150, currentStreakDays: 1, longestStreakDays: 2, longestRunningTurnSec: 90 },
      daily: [
        { startDate: '2026-12-01', tokens: 150 },
        { startDate: '2026-12-02', tokens: 10 },
        { startDate: '2026-12-04', tokens: 7 },
      ],
    });
  });

  it('a streak that ended before yesterday is not current; no usage at all is all zeros', () => {
    expect(accountUsage([thread('a', [turn('t1', day(0), 5), turn('t2', day(1), 5)])], day(3)).summary).toMatchObject({ currentStreakDays: 0, longestStreakDays: 2 });
    expect(accountUsage([thread('a', [turn('t1', day(0), 5), turn('t2', day(1), 5)])], day(2)).summary).toMatchObject({ currentStreakDays: 2 });
    expect(accountUsage([], day(0))).toEqual({
      summary: { lifetimeTokens: 0, peakDailyTokens: null, currentStreakDays: 0, longestStreakDays: 0, longestRunningTurnSec: null },
      daily: [],
    });
  });
});

describe('threadUsage', () => {
  it("groups the thread's own calls per model, priced at list prices (null when a model has none)", () => {
    const priced = thread('a', [], [
      { route: route('gpt-5'), usage: usage(1200, 1000, 300) },
      { route: route('gpt-5'), usage: usage(300, 0, 100) },
    ]);
    expect(threadUsage(priced)).toEqual({
      threadId: 'a',
      estimatedUsageCreditsMicros: 0,
      // gpt-5: $1.25 input, $0.125 cached, $10 output per million: 500 × 1.25 + 1000 × 0.125 + 400 × 10.
      estimatedUsageUsdMicros: 4750,
      nativeUsageUsdMicros: null,
      groups: [{ model: 'gpt-5', inputTokens: 1500, cachedInputTokens: 1000, netNewInputTokens: 500, outputTokens: 400, totalTokens: 1900, reasoningEffort: null, speed: null, estimatedUsageCreditsMicros: 0 }],
    });
    expect(threadUsage(thread('b', [], [{ route: route('unpriced-model'), usage: usage(10, 0, 1) }])).estimatedUsageUsdMicros).toBeNull();
  });
});
