// `account/usage/read` from what the store recorded: each turn's model-call usage (the reducer sums
// it per provider and model from the `turn/tokenUsage` events) put on the UTC day the turn started.
// A fork copies its source's turns with their ids and usage, so turns are counted once by id across
// threads. Keel bills nothing: credits are 0, and dollars are the model catalog's list prices
// (usage-cost.ts), null when any part has no known price.
import type { RouteUsage, ThreadState, TurnState } from '../core/state.js';
import { toArray } from '../core/plist.js';
import { usageCostUsd } from './usage-cost.js';

const DAY_MS = 86_400_000;

export interface UsageSummary {
  lifetimeTokens: number;
  peakDailyTokens: number | null;
  currentStreakDays: number;
  longestStreakDays: number;
  longestRunningTurnSec: number | null;
}

export interface DailyTokens {
  /** `YYYY-MM-DD`, UTC. */
  startDate: string;
  tokens: number;
}

export interface UsageGroup {
  model: string | null;
  inputTokens: number;
  cachedInputTokens: number;
  netNewInputTokens: number;
  outputTokens: number;
  totalTokens: number;
  reasoningEffort: null;
  speed: null;
  estimatedUsageCreditsMicros: 0;
}

export interface ThreadUsage {
  threadId: string;
  estimatedUsageCreditsMicros: 0;
  estimatedUsageUsdMicros: number | null;
  nativeUsageUsdMicros: null;
  groups: UsageGroup[];
}

const tokensOf = (usage: readonly RouteUsage[] | undefined) => (usage ?? []).reduce((sum, entry) => sum + entry.usage.totalTokens, 0);
const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The summary and the days with usage (oldest first) of the turns of `threads`, each turn once. */
export function accountUsage(threads: readonly ThreadState[], nowMs: number): { summary: UsageSummary; daily: DailyTokens[] } {
  const seen = new Set<string>();
  const perDay = new Map<number, number>();
  let longestTurnMs: number | null = null;
  for (const thread of threads) {
    for (const turn of toArray(thread.turns)) {
      if (seen.has(turn.id)) continue;
      seen.add(turn.id);
      longestTurnMs = longer(longestTurnMs, turn);
      const tokens = tokensOf(turn.usage);
      if (tokens === 0) continue;
      const day = dayOf(turn.startedAtMs ?? thread.createdAtMs);
      perDay.set(day, (perDay.get(day) ?? 0) + tokens);
    }
  }
  const days = [...perDay.keys()].sort((a, b) => a - b);
  const daily = days.map((day) => ({ startDate: dateOf(day), tokens: perDay.get(day)! }));
  return {
    summary: {
      lifetimeTokens: daily.reduce((sum, entry) => sum + entry.tokens, 0),
      peakDailyTokens: daily.length === 0 ? null : Math.max(...daily.map((entry) => entry.tokens)),
      ...streaks(days, dayOf(nowMs)),
      longestRunningTurnSec: longestTurnMs === null ? null : Math.floor(longestTurnMs / 1000),
    },
    daily,
  };
}

function longer(longest: number | null, turn: TurnState): number | null {
  if (turn.startedAtMs === null || turn.completedAtMs === null) return longest;
  const ran = turn.completedAtMs - turn.startedAtMs;
  return longest === null || ran > longest ? ran : longest;
}

/** Runs of consecutive days with usage: the longest, and the one ending today (or yesterday, if today has none yet). */
function streaks(days: readonly number[], today: number): { currentStreakDays: number; longestStreakDays: number } {
  let longest = 0;
  let run = 0;
  for (const [index, day] of days.entries()) {
    run = index > 0 && days[index - 1] === day - 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  const last = days[days.length - 1];
  const current = last !== undefined && (last === today || last === today - 1) ? run : 0;
  return { currentStreakDays: current, longestStreakDays: longest };
}

/** One thread's own model calls (a fork's copied turns stay its source's), one group per model. */
export function threadUsage(thread: ThreadState): ThreadUsage {
  const byModel = new Map<string | null, UsageGroup>();
  for (const { route, usage } of thread.usage ?? []) {
    const model = route?.model ?? null;
    const group = byModel.get(model) ?? { model, inputTokens: 0, cachedInputTokens: 0, netNewInputTokens: 0, outputTokens: 0, totalTokens: 0, reasoningEffort: null, speed: null, estimatedUsageCreditsMicros: 0 };
    group.inputTokens += usage.inputTokens;
    group.cachedInputTokens += usage.cachedInputTokens;
    group.netNewInputTokens += usage.inputTokens - usage.cachedInputTokens;
    group.outputTokens += usage.outputTokens;
    group.totalTokens += usage.totalTokens;
    byModel.set(model, group);
  }
  const usd = usageCostUsd(thread.usage);
  return {
    threadId: thread.id,
    estimatedUsageCreditsMicros: 0,
    estimatedUsageUsdMicros: usd === null ? null : Math.round(usd * 1_000_000),
    nativeUsageUsdMicros: null,
    groups: [...byModel.values()],
  };
}
