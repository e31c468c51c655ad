// thread/start, thread/resume and thread/fork: the requests that load a thread and subscribe the
// caller to it.
import { DEFAULT_MAX_BYTES, latestTurns, resumeCursors } from '../../../engine/history-pages.js';
import { threadCost } from '../../../engine/usage-cost.js';
import type { Keel } from '../../open-keel.js';
import type { ThreadState } from '../../../core/state.js';
import { threadMcpServers } from '../../../engine/turns/mcp-tools.js';
import type { Handler } from '../../dispatch.js';
import type { Session } from '../../session.js';
import { sessionFields, threadObject } from './shapes.js';

export function threadStart(keel: Keel): Handler<'thread/start'> {
  const { threads, registry } = keel;
  return async (params, { session, afterResponse }) => {
    const { value: state, publish } = await threads.start(params, session);
    afterResponse(() => {
      publish();
      warmUpMcp(keel, state, session);
    });
    return sessionFields(state, threadObject(registry, state));
  };
}

/**
 * The thread's MCP servers start in the background, off the request's path; a server its config
 * names that is not configured is said, not silently dropped.
 */
function warmUpMcp(keel: Keel, state: ThreadState, session: Session): void {
  const { names, unknown } = threadMcpServers(state.settings, keel.mcp.configured());
  keel.mcp.ensureStarted(names);
  if (unknown.length > 0) {
    session.notify('warning', { threadId: state.id, message: `config.mcp_servers names ${unknown.join(', ')}, not configured in config.toml (or disabled): the thread does without` });
  }
}

export function threadResume({ threads, registry }: Keel): Handler<'thread/resume'> {
  return async (params, { session, afterResponse }) => {
    const { value: state, publish } = await threads.resume(params.threadId, params, session, params.afterSeq ?? null);
    afterResponse(publish);
    const turns = params.excludeTurns ? [] : latestTurns(state, DEFAULT_MAX_BYTES).turns;
    return { ...sessionFields(state, threadObject(registry, state, turns)), collaborationMode: null, ...resumeCursors(state, turns.length), cost: threadCost(state) };
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
