// A model call's usage as ACP's `usage_update`: how full the context is and what the session cost.
// `used` is what the app-server's thread/tokenUsage/updated reports of the last call (its input and
// its output, which the next call sends back as input: the context now); `size` the window of the
// model called. ACP requires `size`: a model whose window Keel does not know sends no update. `cost`
// is the thread's list-price cost (engine/usage-cost.ts), only when every model it called is priced.
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { EventOf } from '../../core/events.js';
import type { ThreadState } from '../../core/state.js';
import { usageCostUsd } from '../../engine/usage-cost.js';

export function usageUpdates(event: EventOf<'turn/tokenUsage'>, after: ThreadState | undefined): SessionUpdate[] {
  // A compaction's call read the old history: its usage says nothing of the context after it.
  if (event.compaction === true || event.modelContextWindow === null) return [];
  const usd = usageCostUsd(after?.usage);
  return [
    {
      sessionUpdate: 'usage_update',
      used: event.last.inputTokens + event.last.outputTokens,
      size: event.modelContextWindow,
      ...(after !== undefined && usd !== null && { cost: { amount: usd, currency: 'USD' } }),
    },
  ];
}
