// thread/goal/get|set|clear and thread/metadata/update: each one event through the thread's queue
// (engine/thread-goals.ts decides it); the notification goes out once the answer has.
import { wireGoal } from '../../../core/goal-wire.js';
import type { ThreadCommands } from '../../../engine/thread-commands.js';
import { checkGoalsAllowed, goalClear, goalSet } from '../../../engine/thread-goals.js';
import type { ThreadQueries } from '../../../engine/thread-queries.js';
import type { Handler } from '../../dispatch.js';
import { threadObject, type LiveThreads } from './shapes.js';

export interface GoalServices {
  threads: ThreadCommands;
  queries: Pick<ThreadQueries, 'read'>;
  registry: LiveThreads;
}

type GoalMethod = 'thread/goal/get' | 'thread/goal/set' | 'thread/goal/clear' | 'thread/metadata/update';

export function goalHandlers({ threads, queries, registry }: GoalServices): { [M in GoalMethod]: Handler<M> } {
  return {
    'thread/goal/get': async (params) => {
      const state = await queries.read(params.threadId);
      checkGoalsAllowed(state);
      return { goal: state.goal === undefined ? null : wireGoal(state.id, state.goal) };
    },
    'thread/goal/set': async (params, { session, afterResponse }) => {
      const change = { objective: params.objective, status: params.status, tokenBudget: params.tokenBudget };
      const { value: state, publish } = await threads.record(params.threadId, session, (current, at) => goalSet(current, change, at));
      afterResponse(publish);
      return { goal: wireGoal(state.id, state.goal!) };
    },
    'thread/goal/clear': async (params, { session, afterResponse }) => {
      let cleared = false;
      const { publish } = await threads.record(params.threadId, session, (current) => {
        const event = goalClear(current);
        cleared = event !== null;
        return event;
      });
      afterResponse(publish);
      return { cleared };
    },
    'thread/metadata/update': async (params, { session, afterResponse }) => {
      const patch = params.gitInfo ?? {};
      const { value: state, publish } = await threads.record(params.threadId, session, () => ({ type: 'thread/gitInfoUpdated', gitInfo: patch }));
      afterResponse(publish);
      return { thread: threadObject(registry, state) };
    },
  };
}
