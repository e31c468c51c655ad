import * as z from 'zod';

export const RateLimitWindow = z.object({
  usedPercent: z.number().int(),
  windowDurationMins: z.number().int().nullish(),
  resetsAt: z.number().int().nullish(),
});

/** The part of Codex's RateLimitSnapshot that provider rate-limit headers can fill. */
export const RateLimitSnapshot = z.object({
  limitId: z.string().nullish(),
  limitName: z.string().nullish(),
  primary: RateLimitWindow.nullish(),
  secondary: RateLimitWindow.nullish(),
});

export const AccountRateLimitsUpdatedNotification = z.object({ rateLimits: RateLimitSnapshot });
