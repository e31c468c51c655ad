// account/rateLimits/read and account/usage/read (Codex v2): what providers' rate-limit headers
// last said, and the token usage Keel recorded. ChatGPT-plan fields (credits, plan, spend control,
// reset credits) are always null: Keel has no ChatGPT account.
import * as z from 'zod';
import { RateLimitSnapshot } from './account.js';
import { UInt } from './common.js';

export const GetAccountRateLimitsParams = z.object({
  excludeResetCreditDetails: z.boolean().optional().describe('Accepted and ignored: Keel has no reset credits.'),
  supportsLunaReserve: z.boolean().optional().describe('Accepted and ignored.'),
});

export const GetAccountRateLimitsResponse = z.object({
  rateLimits: RateLimitSnapshot.describe('The most recent reading of any provider (all null before the first).'),
  rateLimitsByLimitId: z.record(z.string(), RateLimitSnapshot).nullable().describe("Each provider's last reading, by provider id; null before the first."),
  accountId: z.null(),
  ordinaryUsageAllowed: z.null(),
  rateLimitResetCredits: z.null(),
});

export const GetAccountTokenUsageParams = z.object({
  threadId: z.string().nullish().describe("One thread's usage instead of the whole store's."),
});

const AccountTokenUsageSummary = z.object({
  lifetimeTokens: UInt,
  peakDailyTokens: UInt.nullable(),
  currentStreakDays: UInt,
  longestStreakDays: UInt,
  longestRunningTurnSec: UInt.nullable(),
});

const ThreadUsageBreakdownGroup = z.object({
  model: z.string().nullable(),
  inputTokens: UInt,
  cachedInputTokens: UInt,
  netNewInputTokens: z.number().int(),
  outputTokens: UInt,
  totalTokens: UInt,
  reasoningEffort: z.null(),
  speed: z.null(),
  estimatedUsageCreditsMicros: z.literal(0),
});

export const GetAccountTokenUsageResponse = z.object({
  summary: AccountTokenUsageSummary,
  dailyUsageBuckets: z.array(z.object({ startDate: z.string().describe('YYYY-MM-DD, UTC'), tokens: UInt })).describe('The UTC days with usage, oldest first; a turn counts on the day it started.'),
  threadUsage: z
    .object({
      threadId: z.string(),
      estimatedUsageCreditsMicros: z.literal(0).describe('Keel bills no credits.'),
      estimatedUsageUsdMicros: z.number().int().nullable().describe("The thread's own calls at the model catalog's list prices, in micro-dollars (thread/read's cost); null when any is unpriced."),
      nativeUsageUsdMicros: z.null(),
      groups: z.array(ThreadUsageBreakdownGroup).describe("The thread's own model calls, one group per model."),
    })
    .nullable()
    .describe('Only with threadId.'),
});
