// Notifications of a turn's plan and diff (tools: update_plan, file changes).
import { serverNotification } from '../method-spec.js';
import * as P from '../schemas/turn-progress.js';

export const turnProgressMethods = {
  'turn/plan/updated': serverNotification({
    typeName: 'TurnPlanUpdated',
    stability: 'stable',
    summary: "The model's plan for the turn (`update_plan`): an optional explanation and the steps with their status.",
    params: P.TurnPlanUpdatedNotification,
  }),
  'turn/diff/updated': serverNotification({
    typeName: 'TurnDiffUpdated',
    stability: 'stable',
    summary: 'The unified diff of every file the turn changed so far.',
    params: P.TurnDiffUpdatedNotification,
  }),
} as const;
