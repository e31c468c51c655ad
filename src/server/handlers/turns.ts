// turn/start, turn/steer, turn/interrupt over the thread registry and the turn engine.
import path from 'node:path';
import type { ThreadSettings } from '../../core/events.js';
import { turnSnapshot } from '../../core/snapshot.js';
import { get, indexOfKey } from '../../core/plist.js';
import { DomainError } from '../../engine/errors.js';
import type { TurnEngine } from '../../engine/turns/turn-engine.js';
import type { Handler } from '../dispatch.js';
import { eventFor, type ThreadServices } from './threads/services.js';

export function turnStart(services: ThreadServices, engine: TurnEngine): Handler<'turn/start'> {
  return (params, { session, afterResponse }) => {
    const runtime = services.registry.load(params.threadId);
    runtime.subscribers.add(session);
    session.subscriptions.add(params.threadId);
    // Per-turn overrides apply to this turn and the ones after it (as in Codex).
    const overrides: Partial<ThreadSettings> = {};
    const current = runtime.state.settings;
    if (params.model != null && params.model !== current.model) overrides.model = params.model;
    if (params.effort != null && params.effort !== current.reasoningEffort) overrides.reasoningEffort = params.effort;
    if (params.cwd != null && path.resolve(params.cwd) !== current.cwd) overrides.cwd = path.resolve(params.cwd);
    if (params.approvalPolicy != null) overrides.approvalPolicy = params.approvalPolicy;
    if (params.sandboxPolicy != null) overrides.sandbox = params.sandboxPolicy;
    const publishSettings =
      Object.keys(overrides).length > 0
        ? runtime.apply([eventFor(services, 'thread/settingsChanged', params.threadId, { settings: overrides })], { deferred: true })
        : null;
    const outputSchema = params.outputSchema != null && typeof params.outputSchema === 'object' && !Array.isArray(params.outputSchema) ? params.outputSchema : null;
    const { turnId, publish, run } = engine.begin(runtime, params.input, { summary: params.summary ?? null, outputSchema });
    afterResponse(() => {
      publishSettings?.();
      publish();
      run();
    });
    const turn = get(runtime.state.turns, indexOfKey(runtime.state.turns, turnId, (t) => t.id))!;
    return { turn: { ...turnSnapshot(turn, 'notLoaded'), items: [] } };
  };
}

export function turnSteer(services: ThreadServices, engine: TurnEngine): Handler<'turn/steer'> {
  return (params) => {
    const runtime = services.registry.get(params.threadId);
    if (runtime === undefined) throw new DomainError('no active turn to steer');
    return { turnId: engine.steer(runtime, params.expectedTurnId, params.input) };
  };
}

export function turnInterrupt(engine: TurnEngine): Handler<'turn/interrupt'> {
  return (params) => {
    engine.interrupt(params.threadId, params.turnId);
    return {};
  };
}
