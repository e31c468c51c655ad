// The client side of the one reducer: a notification as it arrives on the wire is decoded into the
// event it reports and folded with `reduce`, so a client tracking threads from the live stream
// computes the same state the server replays from its log.
import { EVENT_VERSION, type KeelEvent } from './events.js';
import type { Thread, ThreadItem, ThreadTokenUsage, Turn, TurnError } from './protocol-types.js';
import { reduce } from './reduce.js';
import type { KeelState, TurnRecord } from './state.js';

export interface WireNotification {
  method: string;
  params: unknown;
  emittedAtMs: number;
}

export function foldNotification(state: KeelState, notification: WireNotification): KeelState {
  const event = eventFromNotification(notification);
  return event === null ? state : reduce(state, event);
}

type Params = Record<string, unknown> & { threadId: string; turnId: string; itemId: string; delta: string };

/** The event a notification reports, or null for notifications that change no thread state. */
export function eventFromNotification({ method, params, emittedAtMs: at }: WireNotification): KeelEvent | null {
  const p = params as Params;
  const key = { v: EVENT_VERSION, threadId: p.threadId, at } as const;
  const item = { ...key, turnId: p.turnId, itemId: p.itemId };
  switch (method) {
    case 'thread/started':
      return threadCreated((params as { thread: Thread }).thread, at);
    case 'thread/name/updated':
      return { ...key, type: 'thread/renamed', name: (p.threadName as string | null) ?? '' };
    case 'thread/archived':
      return { ...key, type: 'thread/archived' };
    case 'thread/unarchived':
      return { ...key, type: 'thread/unarchived' };
    case 'thread/reverted':
      return { ...key, type: 'thread/reverted', beforeTurnId: p.beforeTurnId as string };
    case 'thread/deleted':
      return { ...key, type: 'thread/deleted' };
    case 'turn/started':
      return { ...key, type: 'turn/started', turnId: (p.turn as Turn).id, model: null };
    case 'turn/completed': {
      const turn = p.turn as Turn;
      return { ...key, type: 'turn/completed', turnId: turn.id, status: turn.status as 'completed', error: turn.error ?? null };
    }
    case 'thread/tokenUsage/updated':
      return { ...key, type: 'turn/tokenUsage', turnId: p.turnId, usage: p.tokenUsage as ThreadTokenUsage };
    case 'error':
      return { ...key, type: 'turn/error', turnId: p.turnId, error: p.error as TurnError, willRetry: p.willRetry as boolean };
    case 'item/started': {
      const started = p.item as ThreadItem;
      return { ...item, at: p.startedAtMs as number, type: 'item/started', itemId: started.id, item: started };
    }
    case 'item/completed': {
      const completed = p.item as ThreadItem;
      return { ...item, at: p.completedAtMs as number, type: 'item/completed', itemId: completed.id, item: completed };
    }
    case 'item/agentMessage/delta':
      return { ...item, type: 'item/delta', channel: 'agentMessage', index: 0, delta: p.delta };
    case 'item/plan/delta':
      return { ...item, type: 'item/delta', channel: 'plan', index: 0, delta: p.delta };
    case 'item/commandExecution/outputDelta':
      return { ...item, type: 'item/delta', channel: 'commandOutput', index: 0, delta: p.delta };
    case 'item/reasoning/summaryTextDelta':
      return { ...item, type: 'item/delta', channel: 'reasoningSummary', index: p.summaryIndex as number, delta: p.delta };
    case 'item/reasoning/textDelta':
      return { ...item, type: 'item/delta', channel: 'reasoningText', index: p.contentIndex as number, delta: p.delta };
    case 'item/reasoning/summaryPartAdded':
      return { ...item, type: 'item/summaryPartAdded', index: p.summaryIndex as number };
    default:
      return null;
  }
}

function threadCreated(thread: Thread, at: number): KeelEvent {
  return {
    v: EVENT_VERSION,
    type: 'thread/created',
    threadId: thread.id,
    at,
    name: thread.name ?? null,
    // Settings the Thread object does not carry are unknown to a client; they show in no snapshot.
    settings: {
      cwd: thread.cwd,
      model: thread.model ?? '',
      modelProvider: thread.modelProvider,
      approvalPolicy: 'on-request',
      sandbox: { type: 'readOnly' },
      reasoningEffort: thread.reasoningEffort ?? null,
      baseInstructions: null,
      developerInstructions: null,
      config: null,
    },
    origin: { ephemeral: thread.ephemeral, cliVersion: thread.cliVersion, forkedFromId: thread.forkedFromId ?? null },
    turns: thread.turns.map(turnRecordOf),
  };
}

/**
 * A copied turn (a fork's history) from its protocol form, which has second-resolution times and
 * the duration in ms. Any start within its second whose end lands in the reported second
 * reproduces the same Turn; this picks the earliest.
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
