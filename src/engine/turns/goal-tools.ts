// The model's goal tools, as Codex offers them to every model of a persisted thread (its `goals`
// feature, on by default): get_goal reads the thread's goal and its usage; create_goal starts one
// (refused while an unfinished goal exists; a complete one is replaced); update_goal marks it
// complete or blocked, or paused at the user's request. A change is the same event thread/goal/set
// records (thread-goals.ts), with the turn's id, so clients hear `thread/goal/updated` naming the
// turn and a replay shows it. A call is shown as a `dynamicToolCall` item (Codex shows none), so
// the call and its answer stay in the thread's history.
import { stampEvent } from '../../core/events.js';
import { wireGoal } from '../../core/goal-wire.js';
import type { ThreadState } from '../../core/state.js';
import { DomainError, DomainErrors } from '../../kernel/errors.js';
import type { ToolDefinition } from '../../providers/types.js';
import type { ToolCall, ToolContext, ToolResult } from '../../tools/tool.js';
import { argumentsOf, endedToolItem, startedToolItem } from './client-tools.js';
import { goalSet } from '../thread-goals.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import type { ToolSource } from './tool-source.js';

const UPDATE_STATUSES = ['complete', 'blocked', 'paused'] as const;

export const GOAL_TOOLS: readonly ToolDefinition[] = [
  {
    name: 'get_goal',
    description: "Returns this thread's goal: its objective, status, token budget, the tokens and time used so far, and the tokens left in the budget.",
    parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
  },
  {
    name: 'create_goal',
    description:
      'Starts a goal for this thread. Only when the user or the system/developer instructions ask for a goal; never make one up for ordinary work.\nGive token_budget only when a budget was asked for. Fails while an unfinished goal exists; use update_goal to change its status.',
    parameters: {
      type: 'object',
      properties: {
        objective: { type: 'string', description: 'Required. The objective to pursue. Starts a new active goal when there is none, or replaces a complete one.' },
        token_budget: { type: 'integer', description: 'A positive token budget for the goal. Leave it out unless one was asked for.' },
      },
      required: ['objective'],
      additionalProperties: false,
    },
  },
  {
    name: 'update_goal',
    description:
      "Changes the status of this thread's goal.\n`complete`: the objective is achieved and no required work is left (not because the budget is nearly spent, nor because you are stopping).\n`blocked`: the same obstacle has stopped you for at least three goal turns in a row and you cannot go on without the user or a change outside.\n`paused`: only when the user asks to pause the goal.\nBudget and usage limits are set by the system, not by this tool. When you complete a goal that has a budget, tell the user the final token usage from the result.",
    parameters: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: [...UPDATE_STATUSES], description: 'Required. complete, blocked, or paused (on the user\'s request only).' },
      },
      required: ['status'],
      additionalProperties: false,
    },
  },
];

const NAMES = new Set(GOAL_TOOLS.map((tool) => tool.name));

/** As Codex: only a thread with a log has a goal, so an ephemeral one is offered none. */
export const goalToolSource: ToolSource = {
  forTurn(turn) {
    const offered = !turn.runtime.state.origin.ephemeral;
    return {
      list: () => (offered ? [...GOAL_TOOLS] : []),
      resolve: (call) =>
        offered && NAMES.has(call.name)
          ? { execute: (ctx) => runGoalTool(call, ctx, turn.runtime, turn.now), readOnly: call.name === 'get_goal' }
          : null,
    };
  },
};

/** What the model is told: the goal (null: none), the tokens left in its budget, and when it completes with a budget, what to report. */
function goalAnswer(state: ThreadState): string {
  const goal = state.goal;
  const wire = goal === undefined ? null : wireGoal(state.id, goal);
  const remainingTokens = goal === undefined || goal.tokenBudget === null ? null : Math.max(0, goal.tokenBudget - goal.tokensUsed);
  const answer: Record<string, unknown> = { goal: wire, remainingTokens };
  if (wire !== null && wire.status === 'complete' && (wire.tokenBudget != null || wire.timeUsedSeconds > 0)) {
    const parts = [...(wire.tokenBudget != null ? [`${wire.tokensUsed} of ${wire.tokenBudget} tokens used`] : []), ...(wire.timeUsedSeconds > 0 ? [`${wire.timeUsedSeconds} seconds used`] : [])];
    answer.completionBudgetReport = `Goal complete. Tell the user the final usage: ${parts.join('; ')}.`;
  }
  return JSON.stringify(answer, null, 2);
}

async function runGoalTool(call: ToolCall, ctx: ToolContext, runtime: ThreadRuntime, now: () => number): Promise<ToolResult> {
  const args = argumentsOf(call);
  const item = startedToolItem(ctx.callId, null, call.name, args, call);
  ctx.report.start(item);
  const started = now();
  const ended = (text: string, success: boolean): ToolResult => endedToolItem(item, text, success, Math.max(0, now() - started));
  try {
    const change = goalChange(call.name, args, runtime.state);
    if (change !== null) {
      const at = now();
      runtime.apply([stampEvent(runtime.state.id, at, goalSet(runtime.state, change, at, ctx.turnId))]);
    }
    return ended(goalAnswer(runtime.state), true);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return ended(`Error: ${error.message}`, false);
  }
}

/** The change a call asks for (null: get_goal); a call the goal cannot take is refused in words for the model. */
function goalChange(name: string, args: unknown, state: ThreadState) {
  if (name === 'get_goal') return null;
  const fields = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
  if (name === 'create_goal') {
    if (typeof fields.objective !== 'string') throw DomainErrors.invalid('create_goal needs {"objective": string, "token_budget"?: integer}; call it again');
    const budget = fields.token_budget;
    if (budget !== undefined && budget !== null && !Number.isInteger(budget)) throw DomainErrors.invalid('token_budget must be a positive integer');
    if (state.goal !== undefined && state.goal.status !== 'complete') {
      throw DomainErrors.invalid('this thread already has a goal that is not complete, so no new one can be created; use update_goal to change its status');
    }
    return { objective: fields.objective, status: 'active' as const, tokenBudget: (budget as number | null | undefined) ?? null };
  }
  const status = fields.status;
  if (!UPDATE_STATUSES.includes(status as (typeof UPDATE_STATUSES)[number])) {
    throw DomainErrors.invalid('update_goal takes {"status": "complete" | "blocked" | "paused"}; budget and usage limits are set by the system');
  }
  return { status: status as (typeof UPDATE_STATUSES)[number] };
}
