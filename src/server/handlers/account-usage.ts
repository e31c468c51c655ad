// account/rateLimits/read and account/usage/read: the providers' last rate-limit readings (kept by
// engine/rate-limit-book.ts as the `account/rateLimits/updated` notifications go out, so both say
// the same), and the token usage the store recorded (engine/usage-reads.ts).
import type { RateLimitBook } from '../../engine/rate-limit-book.js';
import type { UsageReads } from '../../engine/usage-reads.js';
import type { Handler } from '../dispatch.js';

export interface AccountUsageServices {
  rateLimits: Pick<RateLimitBook, 'latest' | 'all'>;
  usage: Pick<UsageReads, 'read'>;
}

const NO_READING = { limitId: null, limitName: null, primary: null, secondary: null };

export function accountUsageHandlers(services: AccountUsageServices): {
  'account/rateLimits/read': Handler<'account/rateLimits/read'>;
  'account/usage/read': Handler<'account/usage/read'>;
} {
  return {
    'account/rateLimits/read': () => {
      const latest = services.rateLimits.latest();
      return {
        rateLimits: latest ?? NO_READING,
        rateLimitsByLimitId: latest === null ? null : services.rateLimits.all(),
        accountId: null,
        ordinaryUsageAllowed: null,
        rateLimitResetCredits: null,
      };
    },
    'account/usage/read': async (params) => {
      const { summary, daily, thread } = await services.usage.read(params.threadId ?? null);
      return { summary, dailyUsageBuckets: daily, threadUsage: thread };
    },
  };
}
