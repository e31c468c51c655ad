// What the reducer accounts to a thread's goal while it is active: the tokens of the thread's
// model calls and the time of its turns (as Codex's ThreadGoal.tokensUsed / timeUsedSeconds). A
// goal whose tokens reach its budget becomes `budgetLimited`, as Codex's does. Pure: the event's
// time is the only clock.
import type { CallUsage, GitInfoState, GoalState } from './events.js';

/** The goal after a model call of `last` usage at `at`; the same object when nothing changes. */
export function goalAfterCall(goal: GoalState | undefined, last: CallUsage, at: number): GoalState | undefined {
  if (goal === undefined || goal.status !== 'active' || last.totalTokens <= 0) return goal;
  const tokensUsed = goal.tokensUsed + last.totalTokens;
  const overBudget = goal.tokenBudget !== null && tokensUsed >= goal.tokenBudget;
  return overBudget ? { ...goal, tokensUsed, status: 'budgetLimited', updatedAtMs: at } : { ...goal, tokensUsed };
}

/** The goal after a turn that ran from `startedAtMs` ends at `at`: the part of it the goal was active for. */
export function goalAfterTurn(goal: GoalState | undefined, startedAtMs: number | null, at: number): GoalState | undefined {
  if (goal === undefined || goal.status !== 'active' || startedAtMs === null) return goal;
  const ran = at - Math.max(startedAtMs, goal.createdAtMs);
  return ran > 0 ? { ...goal, timeUsedMs: goal.timeUsedMs + ran } : goal;
}

/** Git metadata patched: a field given (string or null) replaces the stored one. */
export function patchGitInfo(current: GitInfoState | undefined, patch: Partial<GitInfoState>): GitInfoState {
  const base = current ?? { sha: null, branch: null, originUrl: null };
  return {
    sha: patch.sha === undefined ? base.sha : patch.sha,
    branch: patch.branch === undefined ? base.branch : patch.branch,
    originUrl: patch.originUrl === undefined ? base.originUrl : patch.originUrl,
  };
}
