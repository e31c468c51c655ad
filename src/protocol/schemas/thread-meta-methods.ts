// A thread's goal (thread/goal/*) and its stored Git metadata (thread/metadata/update), as Codex
// 0.171.0 defines them. Both are kept as events in the thread's log (core/events.ts), so a replay
// shows them.
import * as z from 'zod';
import { GitInfo, Thread } from './thread-model.js';
import { limits, wellFormedString } from './limits.js';

export const ThreadGoalStatus = z.enum(['active', 'paused', 'blocked', 'usageLimited', 'budgetLimited', 'complete']);
/** Codex: distinguishes explicit user actions from automatic goal lifecycle mutations (accepted, not acted on). */
export const ThreadGoalMutationOrigin = z.enum(['user', 'automatic']);

export const ThreadGoal = z.object({
  threadId: z.string(),
  objective: z.string(),
  status: ThreadGoalStatus,
  tokenBudget: z.number().int().nullish(),
  tokensUsed: z.number().int(),
  timeUsedSeconds: z.number().int(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const ThreadGoalSetParams = z.object({
  threadId: z.string(),
  origin: ThreadGoalMutationOrigin.nullish(),
  objective: wellFormedString(limits.goalObjective).nullish(),
  status: ThreadGoalStatus.nullish(),
  // Absent: the budget stays; null: the goal has none.
  tokenBudget: z.number().int().nullish(),
});
export const ThreadGoalSetResponse = z.object({ goal: ThreadGoal });

export const ThreadGoalGetParams = z.object({ threadId: z.string() });
export const ThreadGoalGetResponse = z.object({ goal: ThreadGoal.nullable() });

export const ThreadGoalClearParams = z.object({ threadId: z.string(), origin: ThreadGoalMutationOrigin.nullish() });
export const ThreadGoalClearResponse = z.object({ cleared: z.boolean() });

export const ThreadGoalUpdatedNotification = z.object({ threadId: z.string(), turnId: z.string().nullable(), goal: ThreadGoal });
export const ThreadGoalClearedNotification = z.object({ threadId: z.string() });

const gitField = () => wellFormedString(limits.path).nullish();
/** Each field: absent leaves it, null clears it, a string replaces it. */
export const ThreadMetadataGitInfoUpdateParams = z.object({ sha: gitField(), branch: gitField(), originUrl: gitField() });
export const ThreadMetadataUpdateParams = z.object({ threadId: z.string(), gitInfo: ThreadMetadataGitInfoUpdateParams.nullish() });
export const ThreadMetadataUpdateResponse = z.object({ thread: Thread });

export { GitInfo };
