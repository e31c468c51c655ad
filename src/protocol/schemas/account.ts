import * as z from 'zod';

export const RateLimitWindow = z.object({
  usedPercent: z.number().int(),
  windowDurationMins: z.number().int().nullish(),
  resetsAt: z.number().int().nullish(),
});

/** The part of Codex's RateLimitSnapshot that provider rate-limit headers fill: one provider's reading. */
export const RateLimitSnapshot = z.object({
  limitId: z.string().nullable().describe("The provider whose headers these are (its id); null only in account/rateLimits/read before any provider sent limits."),
  limitName: z.null(),
  primary: RateLimitWindow.nullable().describe('The request window (`x-ratelimit-*-requests`, `anthropic-ratelimit-requests-*`).'),
  secondary: RateLimitWindow.nullable().describe('The token window.'),
});

export const AccountRateLimitsUpdatedNotification = z.object({ rateLimits: RateLimitSnapshot });
