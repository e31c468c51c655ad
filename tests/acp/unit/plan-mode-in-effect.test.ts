// Whether a thread is in Plan mode, read from the context its turns recorded (what session/load
// answers as the session's mode): a table of turn histories, no process.
import { describe, expect, it } from 'vitest';
import type { ContextMessage } from '../../../src/core/events.js';
import { listFrom } from '../../../src/core/plist.js';
import type { TurnState } from '../../../src/core/state.js';
import { inPlanMode } from '../../../src/engine/turns/plan-mode-in-effect.js';
import { PLAN_MODE_ENDED, PLAN_MODE_PROMPT } from '../../../src/engine/turns/plan-mode.js';
import { REVIEW_PROMPT } from '../../../src/engine/turns/review.js';
import { MODE_ENDED } from '../../../src/engine/turns/turn-context.js';

const base: ContextMessage[] = [{ kind: 'instructions', text: 'Keel prompt.' }, { kind: 'environment', text: 'env' }];
const plan: ContextMessage = { kind: 'mode', text: PLAN_MODE_PROMPT };
const planEnded: ContextMessage = { kind: 'mode', text: PLAN_MODE_ENDED, ended: true };
/** Turns whose recorded contexts are these, in order (undefined: a turn that recorded nothing). */
const thread = (...contexts: Array<ContextMessage[] | undefined>) => ({ turns: listFrom(contexts.map((context, i) => ({ id: `t${i}`, ...(context ? { context } : {}) }) as TurnState)) });

describe('inPlanMode', () => {
  const table: Array<[name: string, turns: ReturnType<typeof thread>, expected: boolean]> = [
    ['no turns', thread(), false],
    ['a default turn', thread(base), false],
    ['a Plan turn', thread([...base, plan]), true],
    ['a Plan turn with its own instructions', thread([...base, plan, { kind: 'mode', text: 'Only Python.' }]), true],
    ['a Plan turn, then one that changed nothing (still Plan)', thread([...base, plan], []), true],
    ['a Plan turn, then one that recorded nothing at all (a thread older than the record, a compaction keeping the mode)', thread([...base, plan], undefined), true],
    ['a Plan turn, then a new day only', thread([...base, plan], [{ kind: 'environment', text: 'env day 2' }]), true],
    ['Plan mode left', thread([...base, plan], [planEnded]), false],
    ['Plan mode left, then a default turn', thread([...base, plan], [planEnded], []), false],
    ['a review after Plan mode', thread([...base, plan], [{ kind: 'mode', text: REVIEW_PROMPT }]), false],
    ['Plan again after a review ended', thread([...base, { kind: 'mode', text: REVIEW_PROMPT }], [{ kind: 'mode', text: MODE_ENDED, ended: true }], [plan]), true],
  ];
  it.each(table)('%s', (_name, turns, expected) => {
    expect(inPlanMode(turns)).toBe(expected);
  });
});
