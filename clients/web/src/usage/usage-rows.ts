// The usage panel's numbers, from the folded thread (the client's reducer sums each turn's
// thread/tokenUsage/updated into TurnState.usage per route and keeps the thread's last/total in
// ThreadState.tokenUsage). Cost: each route at its model's list price (core/model-prices.ts);
// usage reported without a route (as notifications carry it) is priced at the turn's model on
// the thread's provider. Unknown is null, never 0.
import type { CallUsage } from '../../../../src/core/events.js';
import { modelPrices, costUsd } from '../../../../src/core/model-prices.js';
import { toArray } from '../../../../src/core/plist.js';
import type { RouteUsage, ThreadState, TurnState } from '../../../../src/core/state.js';

export interface UsageRow {
  turnId: string;
  /** 1-based, as the thread pane numbers turns. */
  number: number;
  usage: CallUsage;
  costUsd: number | null;
}

export interface ThreadUsage {
  rows: UsageRow[];
  total: CallUsage | null;
  costUsd: number | null;
  /** The last call's share of the model's context window, 0–100; null when the window is not known. */
  contextUsedPercent: number | null;
}

const ZERO: CallUsage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0, totalTokens: 0 };

export function threadUsage(state: Pick<ThreadState<never>, 'turns' | 'tokenUsage'>, where: { provider: string; model: string | null }): ThreadUsage {
  const rows: UsageRow[] = [];
  toArray(state.turns).forEach((turn, index) => {
    if (turn.usage === undefined || turn.usage.length === 0) return;
    rows.push({ turnId: turn.id, number: index + 1, usage: sumUsage(turn.usage), costUsd: turnCost(turn, where) });
  });
  const tokenUsage = state.tokenUsage;
  const window = tokenUsage?.modelContextWindow ?? null;
  return {
    rows,
    total: tokenUsage === null ? null : { ...ZERO, ...tokenUsage.total },
    costUsd: rows.length === 0 ? null : sumCosts(rows.map((row) => row.costUsd)),
    contextUsedPercent: tokenUsage === null || window === null || window <= 0 ? null : Math.min(100, (tokenUsage.last.totalTokens / window) * 100),
  };
}

function turnCost(turn: TurnState, where: { provider: string; model: string | null }): number | null {
  return sumCosts(
    turn.usage!.map(({ route, usage }) => {
      const model = route?.model ?? turn.model ?? where.model;
      const prices = model === null ? null : modelPrices(route?.provider ?? where.provider, model);
      return prices === null ? null : costUsd(usage, prices);
    }),
  );
}

/** A sum of costs, null when any is unknown; rounded to micro-dollars so 0.1 + 0.2 prints as 0.3. */
export function sumCosts(costs: readonly (number | null)[]): number | null {
  let total = 0;
  for (const cost of costs) {
    if (cost === null) return null;
    total += cost;
  }
  return Math.round(total * 1_000_000) / 1_000_000;
}

export function sumUsage(entries: readonly RouteUsage[]): CallUsage {
  return entries.reduce<CallUsage>(
    (sum, { usage }) => ({
      inputTokens: sum.inputTokens + usage.inputTokens,
      cachedInputTokens: sum.cachedInputTokens + usage.cachedInputTokens,
      cacheWriteInputTokens: sum.cacheWriteInputTokens + (usage.cacheWriteInputTokens ?? 0),
      outputTokens: sum.outputTokens + usage.outputTokens,
      reasoningOutputTokens: sum.reasoningOutputTokens + usage.reasoningOutputTokens,
      totalTokens: sum.totalTokens + usage.totalTokens,
    }),
    ZERO,
  );
}

/** "$0.0123" (4 decimals under a dollar, else 2), or "—" when not known. */
export function formatUsd(usd: number | null): string {
  if (usd === null) return '—';
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

export const formatTokens = (tokens: number): string => tokens.toLocaleString('en-US');
