// A thread's goal, as Codex keeps it: what thread/goal/set and /clear and the model's goal tools
// (turns/goal-tools.ts) change, checked here and recorded as one event through the reducer
// (`thread/goalUpdated`, `thread/goalCleared`), so a replay shows it. Usage (tokens, time) is the
// reducer's to account (core/goal-usage.ts). As in Codex, an ephemeral thread has no goal.
import type { EventBody, GoalState, GoalStatus } from '../core/events.js';
import type { ThreadState } from '../core/state.js';
import { DomainErrors } from '../kernel/errors.js';

/** What a set asks: a field absent (undefined) is kept; `tokenBudget: null` removes the budget. */
export interface GoalChange {
  objective?: string | null;
  status?: GoalStatus | null;
  tokenBudget?: number | null;
}

export function checkGoalsAllowed(state: ThreadState): void {
  if (state.origin.ephemeral) throw DomainErrors.invalid(`ephemeral thread does not support goals: ${state.id}`, 'threadId');
}

/**
 * The event a set records. With an objective: the current goal updated when it has the same
 * objective and is not complete, else a new goal (active unless a status is given, its usage from
 * zero). Without one: the current goal's status and budget changed (refused when there is none).
 */
export function goalSet(state: ThreadState, change: GoalChange, now: number, turnId: string | null = null): EventBody {
  checkGoalsAllowed(state);
  const objective = change.objective == null ? undefined : change.objective.trim();
  if (objective === '') throw DomainErrors.invalid('goal objective cannot be empty', 'objective');
  if (typeof change.tokenBudget === 'number' && change.tokenBudget <= 0) throw DomainErrors.invalid('token budget must be positive', 'tokenBudget');
  const current = state.goal;
  let goal: GoalState;
  if (objective !== undefined && (current === undefined || current.objective !== objective || current.status === 'complete')) {
    goal = {
      objective,
      status: change.status ?? 'active',
      tokenBudget: change.tokenBudget ?? null,
      tokensUsed: 0,
      timeUsedMs: 0,
      createdAtMs: now,
      updatedAtMs: now,
    };
  } else {
    if (current === undefined) throw DomainErrors.noGoal(state.id);
    goal = {
      ...current,
      status: change.status ?? current.status,
      tokenBudget: change.tokenBudget === undefined ? current.tokenBudget : change.tokenBudget,
      updatedAtMs: now,
    };
  }
  // A budget already spent stops the goal, as the accounting does when a call spends it.
  if (goal.status === 'active' && goal.tokenBudget !== null && goal.tokensUsed >= goal.tokenBudget) goal = { ...goal, status: 'budgetLimited' };
  return { type: 'thread/goalUpdated', turnId, goal };
}

/** The event a clear records; null when there is no goal (Codex answers `cleared: false`). */
export function goalClear(state: ThreadState): EventBody | null {
  checkGoalsAllowed(state);
  return state.goal === undefined ? null : { type: 'thread/goalCleared' };
}
