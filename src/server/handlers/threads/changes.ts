// Requests that change a thread's record: archive, unarchive, name, revert, delete, unsubscribe.
import type { ThreadCommands } from '../../../engine/thread-commands.js';
import type { Handler } from '../../dispatch.js';
import { threadObject, type LiveThreads } from './shapes.js';

export interface ThreadChangeServices {
  threads: ThreadCommands;
  /** Whose live status the answered Thread objects carry. */
  registry: LiveThreads;
}

export function threadArchive({ threads }: Pick<ThreadChangeServices, 'threads'>): Handler<'thread/archive'> {
  return async (params, { session, afterResponse }) => {
    afterResponse((await threads.archive(params.threadId, session)).publish);
    return {};
  };
}

export function threadUnarchive({ threads, registry }: ThreadChangeServices): Handler<'thread/unarchive'> {
  return async (params, { session, afterResponse }) => {
    const { value: state, publish } = await threads.unarchive(params.threadId, session);
    afterResponse(publish);
    return { thread: threadObject(registry, state) };
  };
}

export function threadSetName({ threads }: Pick<ThreadChangeServices, 'threads'>): Handler<'thread/name/set'> {
  return async (params, { session, afterResponse }) => {
    afterResponse((await threads.rename(params.threadId, params.name, session)).publish);
    return {};
  };
}

export function threadRevert({ threads, registry }: ThreadChangeServices): Handler<'thread/revert'> {
  return async (params, { session, afterResponse }) => {
    const { value, publish } = await threads.revert(params.threadId, params.beforeTurnId, session, params.restoreFiles === true);
    afterResponse(publish);
    // `files` only when asked: a Codex client gets exactly Codex's answer.
    const files = value.files === undefined ? {} : { files: value.files };
    return { thread: threadObject(registry, value.state), turnsBackwardsCursor: null, itemsBackwardsCursor: null, ...files };
  };
}

export function threadDelete({ threads }: Pick<ThreadChangeServices, 'threads'>): Handler<'thread/delete'> {
  return async (params, { session, afterResponse }) => {
    afterResponse((await threads.delete(params.threadId, session)).publish);
    return {};
  };
}

export function threadUnsubscribe({ threads }: Pick<ThreadChangeServices, 'threads'>): Handler<'thread/unsubscribe'> {
  return async (params, { session }) => ({ status: await threads.unsubscribe(params.threadId, session) });
}
