// What the thread handlers share: the registry, the store, defaults and the clock.
import { EVENT_VERSION, type KeelEvent } from '../../../core/events.js';
import { liveStatus, threadSnapshot } from '../../../core/snapshot.js';
import type { ThreadState } from '../../../core/state.js';
import { summaryOf, type ThreadSummary } from '../../../core/summary.js';
import type { Thread, ThreadStatus, Turn } from '../../../core/protocol-types.js';
import type { ThreadRegistry } from '../../../engine/thread-registry.js';
import type { SettingsDefaults } from '../../../engine/thread-settings.js';
import type { KeelDatabase } from '../../../store/database.js';

export interface ThreadServices {
  registry: ThreadRegistry;
  database: KeelDatabase;
  defaults: () => SettingsDefaults;
  now: () => number;
  version: string;
  newId: () => string;
}

type Payload<T extends KeelEvent['type']> = Omit<Extract<KeelEvent, { type: T }>, 'v' | 'at' | 'type' | 'threadId'>;

/** Builds an event stamped with the version and the clock (core never reads either). */
export function eventFor<T extends KeelEvent['type']>(services: ThreadServices, type: T, threadId: string, payload: Payload<T>): Extract<KeelEvent, { type: T }> {
  return { v: EVENT_VERSION, type, threadId, at: services.now(), ...payload } as unknown as Extract<KeelEvent, { type: T }>;
}

export function statusOf(services: ThreadServices, threadId: string): ThreadStatus {
  const runtime = services.registry.get(threadId);
  return runtime ? liveStatus(runtime.state) : { type: 'notLoaded' };
}

export function threadObject(services: ThreadServices, source: ThreadState | ThreadSummary, turns: Turn[] = []): Thread {
  const summary = 'settings' in source ? summaryOf(source) : source;
  return threadSnapshot(summary, { status: statusOf(services, summary.id), turns });
}

/** The fields thread/start, thread/resume and thread/fork responses share. */
export function sessionFields(state: ThreadState, thread: Thread) {
  const { settings } = state;
  return {
    thread,
    model: settings.model,
    modelProvider: settings.modelProvider,
    serviceTier: null,
    disabledPluginIds: [],
    cwd: settings.cwd,
    instructionSources: [],
    approvalPolicy: settings.approvalPolicy,
    approvalsReviewer: 'user' as const,
    sandbox: settings.sandbox,
    reasoningEffort: settings.reasoningEffort,
  };
}

export function pageLimit(limit: number | null | undefined, fallback: number, max: number): number {
  if (limit === null || limit === undefined || limit === 0) return fallback;
  return Math.min(limit, max);
}
