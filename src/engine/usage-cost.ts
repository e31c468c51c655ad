// What a thread's and its turns' model calls cost at list prices (core/model-prices.ts), from the
// usage the reducer summed per provider and model. Each route is priced at its own model's
// prices, so a turn that fell back to another model mid-way is priced right. Unknown is null,
// never 0: a route without prices (a model the catalog does not price, or usage from a log that
// did not record who answered) makes the whole sum unknown.
import type { RouteUsage, ThreadState } from '../core/state.js';
import { map } from '../core/plist.js';
import { costUsd, modelPrices } from '../core/model-prices.js';

/** USD for the usage; 0 with no usage; null when any part of it has no known price. */
export function usageCostUsd(entries: readonly RouteUsage[] | undefined): number | null {
  let total = 0;
  for (const { route, usage } of entries ?? []) {
    const prices = route && modelPrices(route.provider, route.model);
    if (!prices) return null;
    total += costUsd(usage, prices);
  }
  // Micro-dollars: sums of binary fractions would otherwise print as 0.30000000000000004.
  return Math.round(total * 1_000_000) / 1_000_000;
}

export interface ThreadCost {
  usd: number | null;
  turns: Array<{ turnId: string; usd: number | null }>;
}

/** The thread's own calls' cost, and each turn's (a forked thread's copied turns keep theirs; the thread's own sum starts at 0). */
export function threadCost(state: ThreadState): ThreadCost {
  return { usd: usageCostUsd(state.usage), turns: map(state.turns, (turn) => ({ turnId: turn.id, usd: usageCostUsd(turn.usage) })) };
}
