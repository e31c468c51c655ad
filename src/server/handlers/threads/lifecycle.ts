// thread/start, thread/resume and thread/fork: the requests that load a thread and subscribe the
// caller to it.
import { map } from '../../../core/plist.js';
import type { TurnRecord } from '../../../core/state.js';
import { DomainErrors } from '../../../engine/errors.js';
import { DEFAULT_MAX_BYTES, latestTurns } from '../../../engine/history-pages.js';
import { resolveSettings, settingsOverrides } from '../../../engine/thread-settings.js';
import type { Handler } from '../../dispatch.js';
import { eventFor, sessionFields, threadObject, type ThreadServices } from './services.js';

export function threadStart(services: ThreadServices): Handler<'thread/start'> {
  return (params, { session, afterResponse }) => {
    const threadId = services.newId();
    const created = eventFor(services, 'thread/created', threadId, {
      settings: resolveSettings(params, services.defaults()),
      origin: { ephemeral: params.ephemeral === true, cliVersion: services.version, forkedFromId: null },
    });
    const { runtime, publish } = services.registry.create(created, session);
    session.subscriptions.add(threadId);
    afterResponse(publish);
    return sessionFields(runtime.state, threadObject(services, runtime.state));
  };
}

export function threadResume(services: ThreadServices): Handler<'thread/resume'> {
  return (params, { session, afterResponse }) => {
    const runtime = services.registry.load(params.threadId);
    const overrides = settingsOverrides(runtime.state.settings, params);
    if (Object.keys(overrides).length > 0) {
      afterResponse(runtime.apply([eventFor(services, 'thread/settingsChanged', params.threadId, { settings: overrides })], { deferred: true }));
    }
    runtime.subscribers.add(session);
    session.subscriptions.add(params.threadId);
    const { turns, turnsBackwardsCursor } = params.excludeTurns ? { turns: [], turnsBackwardsCursor: null } : latestTurns(runtime.state, DEFAULT_MAX_BYTES);
    return {
      ...sessionFields(runtime.state, threadObject(services, runtime.state, turns)),
      collaborationMode: null,
      turnsBackwardsCursor,
      itemsBackwardsCursor: null,
    };
  };
}

export function threadFork(services: ThreadServices): Handler<'thread/fork'> {
  return (params, { session, afterResponse }) => {
    const source = services.registry.read(params.threadId);
    const all = map(source.turns, (turn) => turn);
    let end = all.length;
    if (params.lastTurnId != null) {
      end = all.findIndex((turn) => turn.id === params.lastTurnId) + 1;
      if (end === 0) throw DomainErrors.turnNotFound(params.lastTurnId);
    }
    // A turn still running in the source is not part of the copied history.
    const turns: TurnRecord[] = all
      .slice(0, end)
      .filter((turn) => turn.status !== 'inProgress')
      .map((turn) => ({ ...turn, items: map(turn.items, (entry) => entry) }));
    const threadId = services.newId();
    const settings = { ...source.settings, ...settingsOverrides(source.settings, params) };
    const created = eventFor(services, 'thread/created', threadId, {
      settings,
      origin: { ephemeral: params.ephemeral === true, cliVersion: services.version, forkedFromId: source.id },
      turns,
      name: source.name,
    });
    const { runtime, publish } = services.registry.create(created, session);
    session.subscriptions.add(threadId);
    afterResponse(publish);
    const shown = params.excludeTurns ? [] : latestTurns(runtime.state, DEFAULT_MAX_BYTES).turns;
    return sessionFields(runtime.state, threadObject(services, runtime.state, shown));
  };
}
