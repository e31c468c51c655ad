// Items a finished turn ends with, made from what the model said last: a review's findings
// (`exitedReviewMode`) and a Plan-mode proposal (`plan`).
import { stampEvent } from '../../core/events.js';
import { emptyList, get, indexOfKey, map } from '../../core/plist.js';
import type { ThreadItem } from '../../core/protocol-types.js';
import type { ItemState } from '../../core/state.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import { proposedPlan } from './plan-mode.js';

/** The text of the turn's last agent message, or null when it has none. */
function lastAgentText(runtime: ThreadRuntime, turnId: string): string | null {
  const turns = runtime.state.turns;
  const items = map(get(turns, indexOfKey(turns, turnId, (t) => t.id))?.items ?? emptyList<ItemState>(), (entry) => entry.item);
  const last = items.findLast((item) => item.type === 'agentMessage');
  return last?.type === 'agentMessage' ? last.text : null;
}

function appendFinished(runtime: ThreadRuntime, turnId: string, item: ThreadItem & { id: string }, at: number): void {
  const threadId = runtime.state.id;
  runtime.apply([
    stampEvent(threadId, at, { type: 'item/started', turnId, itemId: item.id, item }),
    stampEvent(threadId, at, { type: 'item/completed', turnId, itemId: item.id, item }),
  ]);
}

/** A review ends with its findings (the model's last message) as `exitedReviewMode`. */
export function recordReview(runtime: ThreadRuntime, turnId: string, id: string, at: number): void {
  appendFinished(runtime, turnId, { type: 'exitedReviewMode', id, review: lastAgentText(runtime, turnId) ?? '' }, at);
}

/** A Plan-mode turn ends with the plan the model proposed, as a `plan` item the client can accept. */
export function recordProposedPlan(runtime: ThreadRuntime, turnId: string, id: string, at: number): void {
  const text = lastAgentText(runtime, turnId);
  const plan = text === null ? null : proposedPlan(text);
  if (plan !== null) appendFinished(runtime, turnId, { type: 'plan', id, text: plan }, at);
}
