// thread/start, thread/resume and thread/fork: the requests that load a thread and subscribe the
// caller to it.
import { DEFAULT_MAX_BYTES, latestTurns, resumeCursors } from '../../../engine/history-pages.js';
import type { Keel } from '../../../engine/open-keel.js';
import type { Handler } from '../../dispatch.js';
import { sessionFields, threadObject } from './shapes.js';

export function threadStart({ threads, registry }: Keel): Handler<'thread/start'> {
  return async (params, { session, afterResponse }) => {
    const { value: state, publish } = await threads.start(params, session);
    afterResponse(publish);
    return sessionFields(state, threadObject(registry, state));
  };
}

export function threadResume({ threads, registry }: Keel): Handler<'thread/resume'> {
  return async (params, { session, afterResponse }) => {
    const { value: state, publish } = await threads.resume(params.threadId, params, session);
    afterResponse(publish);
    const turns = params.excludeTurns ? [] : latestTurns(state, DEFAULT_MAX_BYTES).turns;
    return { ...sessionFields(state, threadObject(registry, state, turns)), collaborationMode: null, ...resumeCursors(state, turns.length) };
  };
}

export function threadFork({ threads, registry }: Keel): Handler<'thread/fork'> {
  return async (params, { session, afterResponse }) => {
    const { value: state, publish } = await threads.fork(params.threadId, params, session);
    afterResponse(publish);
    const shown = params.excludeTurns ? [] : latestTurns(state, DEFAULT_MAX_BYTES).turns;
    return sessionFields(state, threadObject(registry, state, shown));
  };
}
