// The rate limits providers last reported in their response headers (providers/rate-limits.ts),
// per provider, for `account/rateLimits/read`. Every `rateLimits` signal passes through here before
// it is told to the connections, so a read answers what the last `account/rateLimits/updated` said.
// Kept in memory: limits are a live reading of the provider's counters, stale after a restart.
import type { Signal, SignalOf } from './signals.js';

type RateLimitsSignal = SignalOf<'rateLimits'>;

/** Codex's RateLimitSnapshot as far as headers fill it: the provider's id is the limit's id. */
export interface RateLimitSnapshot {
  limitId: string;
  limitName: null;
  primary: RateLimitsSignal['primary'];
  secondary: RateLimitsSignal['secondary'];
}

/** The one rendering of a reading: the notification's and the read's snapshot are the same object shape. */
export function rateLimitSnapshot(signal: RateLimitsSignal): RateLimitSnapshot {
  return { limitId: signal.limitId, limitName: null, primary: signal.primary, secondary: signal.secondary };
}

export class RateLimitBook {
  private readonly byProvider = new Map<string, RateLimitSnapshot>();
  private last: RateLimitSnapshot | null = null;

  record(signal: RateLimitsSignal): void {
    const snapshot = rateLimitSnapshot(signal);
    // Re-inserted so iteration order is "least recently reported first".
    this.byProvider.delete(snapshot.limitId);
    this.byProvider.set(snapshot.limitId, snapshot);
    this.last = snapshot;
  }

  /** The most recent reading of any provider; null before any provider sent limits. */
  latest(): RateLimitSnapshot | null {
    return this.last;
  }

  /** The last reading of each provider that sent limits, by provider id. */
  all(): Record<string, RateLimitSnapshot> {
    return Object.fromEntries(this.byProvider);
  }
}

/** `tell` behind a book: each rate-limit reading is kept before it is told, so a read never lags the notification. */
export function keepingRateLimits(tell: (signal: Signal) => void): { book: RateLimitBook; signal: (signal: Signal) => void } {
  const book = new RateLimitBook();
  return {
    book,
    signal: (signal) => {
      if (signal.type === 'rateLimits') book.record(signal);
      tell(signal);
    },
  };
}
