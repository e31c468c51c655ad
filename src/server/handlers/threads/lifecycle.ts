// thread/start, thread/resume and thread/fork: the requests that load a thread and subscribe the
// caller to it.
import { DEFAULT_MAX_BYTES, latestTurns, resumeCursors } from '../../../engine/history-pages.js';
import { threadCost } from '../../../engine/usage-cost.js';
import type { ThreadState } from '../../../core/state.js';
import type { McpAccess } from '../../../engine/services/mcp-access.js';
import type { ThreadCommands } from '../../../engine/thread-commands.js';
import type { Handler } from '../../dispatch.js';
import type { Session } from '../../session.js';
import { sessionFields, threadObject, type LiveThreads } from './shapes.js';

export interface ThreadLifecycleServices {
  threads: ThreadCommands;
  /** Whose live status the answered Thread objects carry. */
  registry: LiveThreads;
}

export interface ThreadStartServices extends ThreadLifecycleServices {
  /** Starts a new thread's MCP servers, and names those its config gives that are not configured. */
  mcp: Pick<McpAccess, 'warmUp'>;
}

export function threadStart({ threads, registry, mcp }: ThreadStartServices): Handler<'thread/start'> {
  return async (params, { session, afterResponse }) => {
    const { value: state, publish } = await threads.start(params, session);
    afterResponse(() => {
      publish();
      warmUpMcp(mcp, state, session);
    });
    return sessionFields(state, threadObject(registry, state));
  };
}

/**
 * The thread's MCP servers start in the background, off the request's path; a server its config
 * names that is not configured is said, not silently dropped.
 */
function warmUpMcp(mcp: ThreadStartServices['mcp'], state: ThreadState, session: Session): void {
  const { unknown } = mcp.warmUp(state.settings);
  if (unknown.length > 0) {
    session.notify('warning', { threadId: state.id, message: `config.mcp_servers names ${unknown.join(', ')}, not configured in config.toml (or disabled): the thread does without` });
  }
}

export function threadResume({ threads, registry }: ThreadLifecycleServices): Handler<'thread/resume'> {
  return async (params, { session, afterResponse }) => {
    const { value: state, publish } = await threads.resume(params.threadId, params, session, params.afterSeq ?? null);
    afterResponse(publish);
    const turns = params.excludeTurns ? [] : latestTurns(state, DEFAULT_MAX_BYTES).turns;
    return { ...sessionFields(state, threadObject(registry, state, turns)), collaborationMode: null, ...resumeCursors(state, turns.length), cost: threadCost(state) };
  };
}

export function threadFork({ threads, registry }: ThreadLifecycleServices): Handler<'thread/fork'> {
  return async (params, { session, afterResponse }) => {
    const { value: state, publish } = await threads.fork(params.threadId, params, session);
    afterResponse(publish);
    const shown = params.excludeTurns ? [] : latestTurns(state, DEFAULT_MAX_BYTES).turns;
    return sessionFields(state, threadObject(registry, state, shown));
  };
}
