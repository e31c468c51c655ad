// Whether a thread is in Plan mode, read from its log alone. Plan mode is a turn option, not a
// thread setting; but each turn records the context it told the model (turn/context, turn-context.ts),
// so a Plan-mode turn leaves the Plan-mode rules as the thread's `mode` context, and the first turn
// after it that is not in Plan mode leaves the note that Plan mode ended. What the model was last
// told is the answer — the same reading the next turn makes to decide what to tell it.
import { map } from '../../core/plist.js';
import type { ThreadState } from '../../core/state.js';
import { PLAN_MODE_PROMPT } from './plan-mode.js';
import { contextInEffect } from './turn-context.js';

/** True when the thread's last turn that said anything of its mode ran in Plan mode. */
export function inPlanMode(state: Pick<ThreadState, 'turns'>): boolean {
  return contextInEffect(map(state.turns, (turn) => turn)).get('mode')?.[0]?.text === PLAN_MODE_PROMPT;
}
