// Requests that change a thread's record: archive, unarchive, delete, unsubscribe, name, revert.
import { findLastIndex } from '../../../core/plist.js';
import type { KeelEvent } from '../../../core/events.js';
import { DomainErrors } from '../../../engine/errors.js';
import type { ThreadRuntime } from '../../../engine/thread-runtime.js';
import type { Handler, RequestContext } from '../../dispatch.js';
import { eventFor, threadObject, type ThreadServices } from './services.js';

/**
 * Applies an event to a thread, loading it for the duration if nobody has. The caller hears the
 * notification after its response even when it is not subscribed.
 */
function applyToThread(services: ThreadServices, threadId: string, ctx: RequestContext, build: (runtime: ThreadRuntime) => KeelEvent | null): ThreadRuntime {
  const wasLoaded = services.registry.isLoaded(threadId);
  const runtime = services.registry.load(threadId);
  try {
    const event = build(runtime);
    if (event !== null) ctx.afterResponse(runtime.apply([event], { deferred: true, extraRecipients: [ctx.session] }));
    return runtime;
  } finally {
    if (!wasLoaded) services.registry.unload(threadId);
  }
}

export function threadArchive(services: ThreadServices): Handler<'thread/archive'> {
  return (params, ctx) => {
    applyToThread(services, params.threadId, ctx, () => eventFor(services, 'thread/archived', params.threadId, {}));
    return {};
  };
}

export function threadUnarchive(services: ThreadServices): Handler<'thread/unarchive'> {
  return (params, ctx) => {
    const runtime = applyToThread(services, params.threadId, ctx, () => eventFor(services, 'thread/unarchived', params.threadId, {}));
    return { thread: threadObject(services, runtime.state) };
  };
}

export function threadSetName(services: ThreadServices): Handler<'thread/name/set'> {
  return (params, ctx) => {
    applyToThread(services, params.threadId, ctx, () => eventFor(services, 'thread/renamed', params.threadId, { name: params.name }));
    return {};
  };
}

export function threadRevert(services: ThreadServices): Handler<'thread/revert'> {
  return (params, ctx) => {
    const runtime = applyToThread(services, params.threadId, ctx, (rt) => {
      if (findLastIndex(rt.state.turns, (turn) => turn.id === params.beforeTurnId) === -1) throw DomainErrors.turnNotFound(params.beforeTurnId);
      if (rt.state.activeTurnId !== null) throw DomainErrors.turnRunning(params.threadId);
      return eventFor(services, 'thread/reverted', params.threadId, { beforeTurnId: params.beforeTurnId });
    });
    return { thread: threadObject(services, runtime.state), turnsBackwardsCursor: null, itemsBackwardsCursor: null };
  };
}

export function threadDelete(services: ThreadServices): Handler<'thread/delete'> {
  return (params, { session, afterResponse }) => {
    const runtime = services.registry.get(params.threadId);
    // Deleting under a running turn would let its next event re-create the log it just lost.
    if (runtime?.state.activeTurnId) throw DomainErrors.turnRunning(params.threadId);
    const subscribers = [...(runtime?.subscribers ?? [])];
    if (!services.registry.delete(params.threadId)) throw DomainErrors.threadNotFound(params.threadId);
    const recipients = new Set([...subscribers, session]);
    afterResponse(() => {
      for (const recipient of recipients) recipient.notify('thread/deleted', { threadId: params.threadId });
    });
    session.subscriptions.delete(params.threadId);
    return {};
  };
}

export function threadUnsubscribe(services: ThreadServices): Handler<'thread/unsubscribe'> {
  return (params, { session }) => {
    const runtime = services.registry.get(params.threadId);
    if (runtime === undefined) return { status: 'notLoaded' as const };
    if (!runtime.subscribers.delete(session)) return { status: 'notSubscribed' as const };
    session.subscriptions.delete(params.threadId);
    // Nobody is watching and nothing runs: the thread goes back to the store.
    if (runtime.subscribers.size === 0 && runtime.state.activeTurnId === null) services.registry.unload(params.threadId);
    return { status: 'unsubscribed' as const };
  };
}
