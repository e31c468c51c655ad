// Notifications about a turn's progress besides its items: the plan the model keeps and the
// turn's aggregate diff.
import * as z from 'zod';

export const TurnPlanStepStatus = z.enum(['pending', 'inProgress', 'completed']);
export const TurnPlanStep = z.object({ step: z.string(), status: TurnPlanStepStatus });

export const TurnPlanUpdatedNotification = z.object({
  threadId: z.string(),
  turnId: z.string(),
  explanation: z.string().nullish(),
  plan: z.array(TurnPlanStep),
});

export const TurnDiffUpdatedNotification = z.object({ threadId: z.string(), turnId: z.string(), diff: z.string() });
