// The one table between events and the wire, both directions per event type: `encode` gives the
// notifications an event produces (from the event and the states around it), `decode` gives the
// event a notification reports, for clients folding the live stream with the same reducer. An
// event the wire cannot carry says so, with the reason, instead of leaving a direction out.
import type { ServerNotificationMethod } from '../protocol/method-table.js';
import type { ParamsOf } from '../protocol/wire-types.js';
import { stampEvent, type CallUsage, type ClientSettings, type EventOf, type EventType, type KeelEvent } from './events.js';
import { get, indexOfKey } from './plist.js';
import type { Thread, Turn } from './protocol-types.js';
import { reduce } from './reduce.js';
import { allTurns, completedTurnSnapshot, liveStatus, threadSnapshot, turnSnapshot } from './snapshot.js';
import type { KeelState, ThreadState, TurnRecord } from './state.js';
import { summaryOf } from './summary.js';
import type { ServerNotification } from './notification-types.js';
import { goalFromWire, wireGoal } from './goal-wire.js';
import { jsonEqual } from './json-equal.js';

type ClientEvent = KeelEvent<ClientSettings>;

type Decoders<T extends EventType> = {
  [M in ServerNotificationMethod]?: (params: ParamsOf<M>, at: number) => EventOf<T, ClientSettings>;
};

export interface CodecEntry<T extends EventType> {
  /** `before`/`after`: the thread around the event; `after === before` means the event changed nothing. */
  encode(event: EventOf<T>, before: ThreadState | undefined, after: ThreadState | undefined): ServerNotification[];
  /** The notifications that report this event, or why the wire carries none. */
  decode: Decoders<T> | { notOnWire: string };
}

/** Sent, but report no event of their own: a client derives them from the turns it folds. */
export const DERIVED_NOTIFICATIONS: ReadonlySet<ServerNotificationMethod> = new Set(['thread/status/changed']);

const key = (threadId: string, turnId: string, itemId: string) => ({ threadId, turnId, itemId });

export const codec: { [T in EventType]: CodecEntry<T> } = {
  'thread/created': {
    encode: (_event, _before, after) =>
      after ? [{ method: 'thread/started', params: { thread: threadSnapshot(summaryOf(after), { status: liveStatus(after), turns: allTurns(after) }) } }] : [],
    decode: { 'thread/started': ({ thread }, at) => threadCreated(thread, at) },
  },
  'thread/settingsChanged': {
    // Only when what the notification carries changed (new instructions or config change none of it).
    encode: (event, before, after) => {
      if (!after || !before) return [];
      const threadSettings = wireSettings(after.settings);
      return jsonEqual(threadSettings, wireSettings(before.settings)) ? [] : [{ method: 'thread/settings/updated', params: { threadId: event.threadId, threadSettings } }];
    },
    decode: {
      'thread/settings/updated': ({ threadId, threadSettings: s }, at) =>
        stampEvent(threadId, at, {
          type: 'thread/settingsChanged',
          settings: { cwd: s.cwd, model: s.model, modelProvider: s.modelProvider, reasoningEffort: s.effort ?? null, approvalPolicy: s.approvalPolicy, sandbox: s.sandboxPolicy, serviceTier: s.serviceTier ?? null },
        }),
    },
  },
  'thread/itemsInjected': {
    encode: () => [],
    decode: { notOnWire: 'Codex sends no notification for thread/inject_items: the items are in the history the model sees, not in the thread\'s turns' },
  },
  'thread/renamed': {
    encode: (event) => [{ method: 'thread/name/updated', params: { threadId: event.threadId, threadName: event.name } }],
    decode: { 'thread/name/updated': (p, at) => stampEvent(p.threadId, at, { type: 'thread/renamed', name: p.threadName ?? '' }) },
  },
  'thread/archived': {
    encode: (event) => [{ method: 'thread/archived', params: { threadId: event.threadId } }],
    decode: { 'thread/archived': (p, at) => stampEvent(p.threadId, at, { type: 'thread/archived' }) },
  },
  'thread/unarchived': {
    encode: (event) => [{ method: 'thread/unarchived', params: { threadId: event.threadId } }],
    decode: { 'thread/unarchived': (p, at) => stampEvent(p.threadId, at, { type: 'thread/unarchived' }) },
  },
  'thread/reverted': {
    encode: (event) => [{ method: 'thread/reverted', params: { threadId: event.threadId, beforeTurnId: event.beforeTurnId } }],
    decode: { 'thread/reverted': (p, at) => stampEvent(p.threadId, at, { type: 'thread/reverted', beforeTurnId: p.beforeTurnId }) },
  },
  'thread/filesRestored': {
    encode: () => [],
    decode: { notOnWire: 'the thread/revert response lists the restored files; this only marks the revert\'s restore done for crash recovery' },
  },
  'thread/deleted': {
    // Raised only for a thread that existed (it is never written, so never replayed).
    encode: (event) => [{ method: 'thread/deleted', params: { threadId: event.threadId } }],
    decode: { 'thread/deleted': (p, at) => stampEvent(p.threadId, at, { type: 'thread/deleted' }) },
  },
  'turn/started': {
    encode: (event, before, after) => {
      const turn = after && turnOf(after, event.turnId);
      if (!after || !turn) return [];
      const out: ServerNotification[] = [];
      if (before?.activeTurnId == null) out.push({ method: 'thread/status/changed', params: { threadId: event.threadId, status: liveStatus(after) } });
      out.push({ method: 'turn/started', params: { threadId: event.threadId, turn: turnSnapshot(turn, 'notLoaded') } });
      return out;
    },
    // The Turn object does not name the model a turn ran with: a client's turn has model null.
    decode: { 'turn/started': (p, at) => stampEvent(p.threadId, at, { type: 'turn/started', turnId: p.turn.id, model: null }) },
  },
  'turn/context': {
    encode: () => [],
    decode: { notOnWire: "what the model reads before the turn's input (instructions, environment) is the server's; thread/read shows the conversation, not it" },
  },
  'turn/completed': {
    // Codex's order: the thread's new status, the failure (if any), then the turn.
    encode: (event, _before, after) => {
      const turn = after && turnOf(after, event.turnId);
      if (!after || !turn) return [];
      const out: ServerNotification[] = [];
      if (after.activeTurnId === null) out.push({ method: 'thread/status/changed', params: { threadId: event.threadId, status: liveStatus(after) } });
      if (event.status === 'failed' && event.error) {
        out.push({ method: 'error', params: { threadId: event.threadId, turnId: event.turnId, error: event.error, willRetry: false } });
      }
      out.push({ method: 'turn/completed', params: { threadId: event.threadId, turn: completedTurnSnapshot(turn) } });
      return out;
    },
    decode: {
      'turn/completed': ({ threadId, turn }, at) =>
        stampEvent(threadId, at, { type: 'turn/completed', turnId: turn.id, status: turn.status as Exclude<Turn['status'], 'inProgress'>, error: turn.error ?? null }),
    },
  },
  'turn/tokenUsage': {
    // The totals are the reducer's: the event carries one call's usage. A goal the call took to its budget is announced too.
    encode: (event, before, after) => {
      if (!after?.tokenUsage) return [];
      const out: ServerNotification[] = [{ method: 'thread/tokenUsage/updated', params: { threadId: event.threadId, turnId: event.turnId, tokenUsage: after.tokenUsage } }];
      if (after.goal !== undefined && after.goal.status !== before?.goal?.status) {
        out.push({ method: 'thread/goal/updated', params: { threadId: event.threadId, turnId: event.turnId, goal: wireGoal(event.threadId, after.goal) } });
      }
      return out;
    },
    decode: {
      'thread/tokenUsage/updated': ({ threadId, turnId, tokenUsage }, at) =>
        stampEvent(threadId, at, { type: 'turn/tokenUsage', turnId, last: callUsage(tokenUsage.last), modelContextWindow: tokenUsage.modelContextWindow, total: callUsage(tokenUsage.total) }),
    },
  },
  'turn/error': {
    encode: (event) => [{ method: 'error', params: { threadId: event.threadId, turnId: event.turnId, error: event.error, willRetry: event.willRetry } }],
    decode: { error: (p, at) => stampEvent(p.threadId, at, { type: 'turn/error', turnId: p.turnId, error: p.error, willRetry: p.willRetry }) },
  },
  'turn/planUpdated': {
    encode: (event) => [
      { method: 'turn/plan/updated', params: { threadId: event.threadId, turnId: event.turnId, explanation: event.explanation, plan: event.plan } },
    ],
    decode: {
      'turn/plan/updated': (p, at) => stampEvent(p.threadId, at, { type: 'turn/planUpdated', turnId: p.turnId, explanation: p.explanation ?? null, plan: p.plan }),
    },
  },
  'turn/diffUpdated': {
    encode: (event) => [{ method: 'turn/diff/updated', params: { threadId: event.threadId, turnId: event.turnId, diff: event.diff } }],
    decode: { 'turn/diff/updated': (p, at) => stampEvent(p.threadId, at, { type: 'turn/diffUpdated', turnId: p.turnId, diff: p.diff }) },
  },
  'item/started': {
    encode: (event) => [{ method: 'item/started', params: { threadId: event.threadId, turnId: event.turnId, item: event.item, startedAtMs: event.at } }],
    decode: {
      'item/started': (p) => stampEvent(p.threadId, p.startedAtMs, { type: 'item/started', turnId: p.turnId, itemId: p.item.id, item: p.item }),
    },
  },
  'item/completed': {
    encode: (event) => {
      const out: ServerNotification[] = [{ method: 'item/completed', params: { threadId: event.threadId, turnId: event.turnId, item: event.item, completedAtMs: event.at } }];
      // The schema's fileChange item has no field for why it failed (and item/fileChange/outputDelta
      // is deprecated, no longer sent): the reason the model is given follows as a warning.
      if (event.item.type === 'fileChange' && event.item.status === 'failed' && typeof event.modelOutput === 'string' && event.modelOutput !== '') {
        out.push({ method: 'warning', params: { threadId: event.threadId, message: `fileChange ${event.item.id} was not applied: ${event.modelOutput.replace(/^Error: /, '')}` } });
      }
      return out;
    },
    decode: {
      'item/completed': (p) => stampEvent(p.threadId, p.completedAtMs, { type: 'item/completed', turnId: p.turnId, itemId: p.item.id, item: p.item }),
    },
  },
  'item/writeIntent': {
    encode: () => [],
    decode: { notOnWire: 'a record kept for crash recovery before files are written; the item it belongs to reports the change' },
  },
  'item/summaryPartAdded': {
    encode: (event) => [
      { method: 'item/reasoning/summaryPartAdded', params: { ...key(event.threadId, event.turnId, event.itemId), summaryIndex: event.index } },
    ],
    decode: {
      'item/reasoning/summaryPartAdded': (p, at) =>
        stampEvent(p.threadId, at, { type: 'item/summaryPartAdded', turnId: p.turnId, itemId: p.itemId, index: p.summaryIndex }),
    },
  },
  // A request itself is a server request (sent by the engine, engine/client-requests.ts), and its
  // answer is followed by serverRequest/resolved, sent per connection with that connection's id.
  // The events keep the audit trail; on the wire they show as the thread's status flags.
  'request/opened': {
    encode: statusIfFlagsChanged,
    decode: { notOnWire: 'a request reaches a client as a server request, not a notification; the thread status shows it pending' },
  },
  'request/resolved': {
    encode: statusIfFlagsChanged,
    decode: { notOnWire: 'serverRequest/resolved names only the request id; the decision stays in the server\'s audit trail (thread/read includeApprovals)' },
  },
  'item/delta': {
    encode: (event) => {
      // Built whole, not spread from key(): this runs once per streamed delta.
      const params = { threadId: event.threadId, turnId: event.turnId, itemId: event.itemId, delta: event.delta };
      switch (event.channel) {
        case 'agentMessage':
          return [{ method: 'item/agentMessage/delta', params }];
        case 'plan':
          return [{ method: 'item/plan/delta', params }];
        case 'commandOutput':
          return [{ method: 'item/commandExecution/outputDelta', params }];
        case 'reasoningSummary':
          return [{ method: 'item/reasoning/summaryTextDelta', params: { ...params, summaryIndex: event.index } }];
        case 'reasoningText':
          return [{ method: 'item/reasoning/textDelta', params: { ...params, contentIndex: event.index } }];
      }
    },
    decode: {
      'item/agentMessage/delta': (p, at) => delta(p, at, 'agentMessage', 0),
      'item/plan/delta': (p, at) => delta(p, at, 'plan', 0),
      'item/commandExecution/outputDelta': (p, at) => delta(p, at, 'commandOutput', 0),
      'item/reasoning/summaryTextDelta': (p, at) => delta(p, at, 'reasoningSummary', p.summaryIndex),
      'item/reasoning/textDelta': (p, at) => delta(p, at, 'reasoningText', p.contentIndex),
    },
  },
  // ---- issue 25, part "meta" ----
  'thread/gitInfoUpdated': {
    encode: () => [],
    decode: { notOnWire: 'Codex announces no metadata change: thread/metadata/update answers the Thread with its gitInfo, and thread/read shows it' },
  },
  'thread/goalUpdated': {
    encode: (event) => [{ method: 'thread/goal/updated', params: { threadId: event.threadId, turnId: event.turnId, goal: wireGoal(event.threadId, event.goal) } }],
    decode: { 'thread/goal/updated': (p, at) => stampEvent(p.threadId, at, { type: 'thread/goalUpdated', turnId: p.turnId ?? null, goal: goalFromWire(p.goal) }) },
  },
  'thread/goalCleared': {
    encode: (event) => [{ method: 'thread/goal/cleared', params: { threadId: event.threadId } }],
    decode: { 'thread/goal/cleared': (p, at) => stampEvent(p.threadId, at, { type: 'thread/goalCleared' }) },
  },
};

function delta(p: { threadId: string; turnId: string; itemId: string; delta: string }, at: number, channel: EventOf<'item/delta'>['channel'], index: number) {
  return stampEvent(p.threadId, at, {
    type: 'item/delta' as const,
    turnId: p.turnId,
    itemId: p.itemId,
    channel,
    index,
    delta: p.delta,
  });
}

function statusIfFlagsChanged(event: EventOf<'request/opened' | 'request/resolved'>, before: ThreadState | undefined, after: ThreadState | undefined): ServerNotification[] {
  if (!before || !after || after.activeTurnId === null) return [];
  const status = liveStatus(after);
  return jsonEqual(status, liveStatus(before)) ? [] : [{ method: 'thread/status/changed', params: { threadId: event.threadId, status } }];
}

function turnOf(thread: ThreadState, turnId: string) {
  return get(thread.turns, indexOfKey(thread.turns, turnId, (turn) => turn.id));
}

// ---- server side: events → notifications ----

/** The notifications an event produces; a no-op event (a duplicate, an unknown turn) says nothing. */
export function notificationsFor(event: KeelEvent, before: ThreadState | undefined, after: ThreadState | undefined): ServerNotification[] {
  // Deletion and turn errors change no state a snapshot shows, but still tell the client.
  if (event.type !== 'thread/deleted' && event.type !== 'turn/error' && (after === undefined || after === before)) return [];
  return (codec[event.type] as CodecEntry<EventType>).encode(event as never, before, after);
}

// ---- client side: notifications → events, folded with the same reducer ----

export interface WireNotification {
  method: string;
  params: unknown;
  emittedAtMs: number;
}

type AnyDecoder = (params: unknown, at: number) => ClientEvent;

const decoders: ReadonlyMap<string, AnyDecoder> = (() => {
  const byMethod = new Map<string, AnyDecoder>();
  for (const [type, entry] of Object.entries(codec) as Array<[EventType, CodecEntry<EventType>]>) {
    if ('notOnWire' in entry.decode) continue;
    for (const [method, decode] of Object.entries(entry.decode)) {
      if (byMethod.has(method)) throw new Error(`codec: ${method} decodes to two event types (${type} and another)`);
      byMethod.set(method, decode as AnyDecoder);
    }
  }
  return byMethod;
})();

/** The event a notification reports, or null for notifications that change no thread state. */
export function eventFromNotification({ method, params, emittedAtMs }: WireNotification): ClientEvent | null {
  const decode = decoders.get(method);
  return decode === undefined ? null : decode(params, emittedAtMs);
}

export function foldNotification(state: KeelState<ClientSettings>, notification: WireNotification): KeelState<ClientSettings> {
  const event = eventFromNotification(notification);
  return event === null ? state : reduce(state, event);
}

function threadCreated(thread: Thread, at: number): EventOf<'thread/created', ClientSettings> {
  return stampEvent(thread.id, at, {
    type: 'thread/created',
    name: thread.name ?? null,
    // Only what the Thread object carries: approval policy, sandbox and instructions are not on it.
    settings: { cwd: thread.cwd, model: thread.model ?? '', modelProvider: thread.modelProvider, reasoningEffort: thread.reasoningEffort ?? null },
    origin: { ephemeral: thread.ephemeral, cliVersion: thread.cliVersion, forkedFromId: thread.forkedFromId ?? null },
    turns: thread.turns.map(turnRecordOf),
  });
}

/**
 * A copied turn (a fork's history) from its protocol form, which has second-resolution times and
 * the duration in ms. Any start within its second whose end lands in the reported second
 * reproduces the same Turn; this picks the earliest. Item times are not on the wire (null).
 */
function turnRecordOf(turn: Turn): TurnRecord {
  const startBase = (turn.startedAt ?? 0) * 1000;
  let startedAtMs: number | null = turn.startedAt == null ? null : startBase;
  let completedAtMs: number | null = turn.completedAt == null ? null : turn.completedAt * 1000;
  if (startedAtMs !== null && turn.durationMs != null && turn.completedAt != null) {
    startedAtMs = startBase + Math.max(0, turn.completedAt * 1000 - startBase - turn.durationMs);
    completedAtMs = startedAtMs + turn.durationMs;
  }
  return {
    id: turn.id,
    status: turn.status,
    error: turn.error ?? null,
    startedAtMs,
    completedAtMs,
    model: null,
    items: turn.items.map((entry) => ({ item: entry, startedAtMs: null, completedAtMs: null })),
  };
}

/** A wire breakdown as a call's usage (`cacheWriteInputTokens` is optional on the wire). */
function callUsage(breakdown: ParamsOf<'thread/tokenUsage/updated'>['tokenUsage']['last']): CallUsage {
  return { ...breakdown, cacheWriteInputTokens: breakdown.cacheWriteInputTokens ?? 0 };
}

/**
 * A thread's settings as `thread/settings/updated` carries them (Codex's ThreadSettings). `on-failure`,
 * which Codex's schema no longer has, is said as `on-request` (as in the thread/start answers);
 * Keel keeps no collaboration mode between turns, so the thread's is `default` with its model.
 */
function wireSettings(settings: ThreadState['settings']): ParamsOf<'thread/settings/updated'>['threadSettings'] {
  return {
    cwd: settings.cwd,
    model: settings.model,
    modelProvider: settings.modelProvider,
    serviceTier: settings.serviceTier ?? null,
    approvalPolicy: settings.approvalPolicy === 'on-failure' ? 'on-request' : settings.approvalPolicy,
    approvalsReviewer: 'user',
    sandboxPolicy: settings.sandbox,
    effort: settings.reasoningEffort,
    collaborationMode: { mode: 'default', settings: { model: settings.model, reasoning_effort: settings.reasoningEffort, developer_instructions: null } },
  };
}
