// A thread's goal on the wire (Codex's ThreadGoal: times in seconds) and back, for clients folding it.
import type { ParamsOf } from '../protocol/wire-types.js';
import type { GoalState } from './events.js';

export type WireGoal = ParamsOf<'thread/goal/updated'>['goal'];

export function wireGoal(threadId: string, goal: GoalState): WireGoal {
  return {
    threadId,
    objective: goal.objective,
    status: goal.status,
    tokenBudget: goal.tokenBudget,
    tokensUsed: goal.tokensUsed,
    timeUsedSeconds: Math.floor(goal.timeUsedMs / 1000),
    createdAt: Math.floor(goal.createdAtMs / 1000),
    updatedAt: Math.floor(goal.updatedAtMs / 1000),
  };
}

/** The goal a client learns from the wire (second resolution). */
export function goalFromWire(goal: WireGoal): GoalState {
  return {
    objective: goal.objective,
    status: goal.status,
    tokenBudget: goal.tokenBudget ?? null,
    tokensUsed: goal.tokensUsed,
    timeUsedMs: goal.timeUsedSeconds * 1000,
    createdAtMs: goal.createdAt * 1000,
    updatedAtMs: goal.updatedAt * 1000,
  };
}
