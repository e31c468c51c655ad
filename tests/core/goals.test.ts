// A thread's goal through the reducer (issue 25, "meta"): what thread/goal/set decides
// (engine/thread-goals.ts) and what the reducer accounts to an active goal (core/goal-usage.ts) —
// tokens of each model call, time of each turn, budgetLimited at the budget — and the Git
// metadata patch. Replays give the same state: all of it is events.
import { describe, expect, it } from 'vitest';
import { stampEvent, type GoalState, type KeelEvent } from '../../src/core/events.js';
import { replay } from '../../src/core/reduce.js';
import type { ThreadState } from '../../src/core/state.js';
import { goalClear, goalSet } from '../../src/engine/thread-goals.js';
import { created, ev, settings } from './fixtures.js';

const usage = (totalTokens: number) => ({ inputTokens: totalTokens, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0, totalTokens });
const state = (...events: KeelEvent[]) => replay(events)!;
const set = (thread: ThreadState, change: Parameters<typeof goalSet>[1], at: number) => stampEvent(thread.id, at, goalSet(thread, change, at)) as KeelEvent;

const fresh = (fields: Partial<GoalState>): GoalState => ({ objective: 'Ship', status: 'active', tokenBudget: null, tokensUsed: 0, timeUsedMs: 0, createdAtMs: 2000, updatedAtMs: 2000, ...fields });

describe('thread/goal/set', () => {
  it('starts a goal, updates it with the same objective, replaces it with another or once complete', () => {
    const start = state(created());
    const first = set(start, { objective: '  Ship ', tokenBudget: 100 }, 2000);
    expect(first).toMatchObject({ type: 'thread/goalUpdated', turnId: null, goal: fresh({ tokenBudget: 100 }) });
    let thread = state(created(), first, ev('turn/started', 2100, { turnId: 'u1', model: null }), ev('turn/tokenUsage', 2200, { turnId: 'u1', last: usage(30), modelContextWindow: null }));
    expect(thread.goal).toEqual(fresh({ tokenBudget: 100, tokensUsed: 30 }));
    // Same objective: the goal is kept (its usage too), its budget removed.
    const same = set(thread, { objective: 'Ship', status: 'paused', tokenBudget: null }, 2300);
    expect(same).toMatchObject({ goal: fresh({ status: 'paused', tokensUsed: 30, updatedAtMs: 2300 }) });
    // Another objective: a new goal from zero.
    expect(set(thread, { objective: 'Other' }, 2400)).toMatchObject({ goal: fresh({ objective: 'Other', createdAtMs: 2400, updatedAtMs: 2400 }) });
    thread = state(created(), first, set(thread, { status: 'complete' }, 2500));
    expect(set(thread, { objective: 'Ship' }, 2600)).toMatchObject({ goal: fresh({ createdAtMs: 2600, updatedAtMs: 2600 }) });
  });

  it('refuses an empty objective, a budget that is not positive, a change with no goal, and any goal on an ephemeral thread', () => {
    const thread = state(created());
    expect(() => goalSet(thread, { objective: ' ' }, 1)).toThrow('goal objective cannot be empty');
    expect(() => goalSet(thread, { objective: 'x', tokenBudget: 0 }, 1)).toThrow('token budget must be positive');
    expect(() => goalSet(thread, { status: 'paused' }, 1)).toThrow('cannot update goal for thread t1: no goal exists');
    expect(goalClear(thread)).toBeNull();
    const ephemeral = state(ev('thread/created', 1000, { settings, origin: { ephemeral: true, cliVersion: '0', forkedFromId: null } }));
    expect(() => goalSet(ephemeral, { objective: 'x' }, 1)).toThrow('ephemeral thread does not support goals: t1');
    expect(() => goalClear(ephemeral)).toThrow('ephemeral thread does not support goals: t1');
  });
});

describe('the goal in the reducer', () => {
  it('accounts tokens and turn time while active, stops at the budget, and clears', () => {
    const goal = ev('thread/goalUpdated', 2000, { turnId: null, goal: fresh({ tokenBudget: 50 }) });
    const events = [
      created(),
      goal,
      ev('turn/started', 3000, { turnId: 'u1', model: null }),
      ev('turn/tokenUsage', 3100, { turnId: 'u1', last: usage(20), modelContextWindow: null }),
      ev('turn/completed', 5500, { turnId: 'u1', status: 'completed', error: null }),
      ev('turn/started', 6000, { turnId: 'u2', model: null }),
      ev('turn/tokenUsage', 6100, { turnId: 'u2', last: usage(40), modelContextWindow: null }),
      // Budget spent: no more usage or time is counted.
      ev('turn/tokenUsage', 6200, { turnId: 'u2', last: usage(40), modelContextWindow: null }),
      ev('turn/completed', 9000, { turnId: 'u2', status: 'completed', error: null }),
    ];
    expect(state(...events).goal).toEqual(fresh({ tokenBudget: 50, tokensUsed: 60, timeUsedMs: 2500, status: 'budgetLimited', updatedAtMs: 6100 }));
    const cleared = state(...events, ev('thread/goalCleared', 9100, {}));
    expect(cleared.goal).toBeUndefined();
    expect('goal' in cleared).toBe(false);
  });

  it('patches gitInfo field by field: a string replaces, null clears, absent keeps', () => {
    const thread = state(
      created(),
      ev('thread/gitInfoUpdated', 1100, { gitInfo: { sha: 'abc', branch: 'main' } }),
      ev('thread/gitInfoUpdated', 1200, { gitInfo: { sha: null, originUrl: 'https://x/r.git' } }),
    );
    expect(thread.gitInfo).toEqual({ sha: null, branch: 'main', originUrl: 'https://x/r.git' });
    expect(thread.updatedAtMs).toBe(1200);
  });
});
