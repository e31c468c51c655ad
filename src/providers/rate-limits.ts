// Rate-limit response headers → a `rateLimits` event. The request window is `primary`, the token
// window `secondary`; the headers do not say how long a window is, so `windowDurationMins` is null.
// `resetsAt` is in Unix seconds.
import type { ModelEvent, RateLimitWindow } from './types.js';

export type RateLimitsEvent = Extract<ModelEvent, { type: 'rateLimits' }>;

/** OpenAI style: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, resets as `6m0s`. */
export function openAIRateLimits(headers: Headers, nowMs: number): RateLimitsEvent | null {
  const window = (kind: 'requests' | 'tokens') => {
    const resetMs = parseDuration(headers.get(`x-ratelimit-reset-${kind}`));
    return windowOf(
      headers.get(`x-ratelimit-limit-${kind}`),
      headers.get(`x-ratelimit-remaining-${kind}`),
      resetMs === null ? null : Math.ceil((nowMs + resetMs) / 1000),
    );
  };
  return eventOf(window('requests'), window('tokens'));
}

/** Anthropic style: `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`, resets as RFC 3339. */
export function anthropicRateLimits(headers: Headers): RateLimitsEvent | null {
  const window = (kind: 'requests' | 'tokens') => {
    const reset = Date.parse(headers.get(`anthropic-ratelimit-${kind}-reset`) ?? '');
    return windowOf(
      headers.get(`anthropic-ratelimit-${kind}-limit`),
      headers.get(`anthropic-ratelimit-${kind}-remaining`),
      Number.isNaN(reset) ? null : Math.ceil(reset / 1000),
    );
  };
  return eventOf(window('requests'), window('tokens'));
}

function eventOf(primary: RateLimitWindow | null, secondary: RateLimitWindow | null): RateLimitsEvent | null {
  return primary || secondary ? { type: 'rateLimits', primary, secondary } : null;
}

function windowOf(limitHeader: string | null, remainingHeader: string | null, resetsAt: number | null): RateLimitWindow | null {
  const limit = Number.parseFloat(limitHeader ?? '');
  const remaining = Number.parseFloat(remainingHeader ?? '');
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || limit <= 0) return null;
  const usedPercent = Math.min(100, Math.max(0, Math.round(100 * (1 - remaining / limit))));
  return { usedPercent, windowDurationMins: null, resetsAt };
}

const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Go-style durations as OpenAI sends them: `1s`, `6m0s`, `1h2m3.5s`, `20ms`. */
export function parseDuration(value: string | null): number | null {
  if (value === null || !/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(value)) return null;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    total += Number.parseFloat(amount!) * unitMs[unit!]!;
  }
  return Math.round(total);
}
