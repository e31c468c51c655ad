// The notifications an event produces, derived from the same event and the states around it.
import type { KeelEvent } from './events.js';
import { get, indexOfKey } from './plist.js';
import type { ThreadState } from './state.js';
import { summaryOf } from './summary.js';
import { allTurns, liveStatus, threadSnapshot, turnSnapshot } from './snapshot.js';
import type { ServerNotification } from './notification-types.js';

const DELTA_METHODS = {
  agentMessage: 'item/agentMessage/delta',
  plan: 'item/plan/delta',
  commandOutput: 'item/commandExecution/outputDelta',
} as const;

export function notificationsFor(
  event: KeelEvent,
  before: ThreadState | undefined,
  after: ThreadState | undefined,
): ServerNotification[] {
  const { threadId } = event;
  if (event.type === 'thread/deleted') return before === undefined ? [] : [{ method: 'thread/deleted', params: { threadId } }];
  // A no-op event (a duplicate, or one for an unknown thread/turn/item) says nothing.
  if (after === undefined || (after === before && event.type !== 'turn/error')) return [];
  switch (event.type) {
    case 'thread/created':
      return [{ method: 'thread/started', params: { thread: threadSnapshot(summaryOf(after), { status: liveStatus(after), turns: allTurns(after) }) } }];
    case 'thread/settingsChanged':
      return [];
    case 'thread/renamed':
      return [{ method: 'thread/name/updated', params: { threadId, threadName: event.name } }];
    case 'thread/archived':
      return [{ method: 'thread/archived', params: { threadId } }];
    case 'thread/unarchived':
      return [{ method: 'thread/unarchived', params: { threadId } }];
    case 'thread/reverted':
      return [{ method: 'thread/reverted', params: { threadId, beforeTurnId: event.beforeTurnId } }];
    case 'turn/started': {
      const turn = turnOf(after, event.turnId);
      const out: ServerNotification[] = [];
      if (before?.activeTurnId == null) out.push({ method: 'thread/status/changed', params: { threadId, status: liveStatus(after) } });
      if (turn) out.push({ method: 'turn/started', params: { threadId, turn: turnSnapshot(turn, 'notLoaded') } });
      return out;
    }
    case 'turn/completed': {
      const turn = turnOf(after, event.turnId);
      const out: ServerNotification[] = [];
      if (turn) out.push({ method: 'turn/completed', params: { threadId, turn: turnSnapshot(turn, 'notLoaded') } });
      if (after.activeTurnId === null) out.push({ method: 'thread/status/changed', params: { threadId, status: liveStatus(after) } });
      return out;
    }
    case 'turn/tokenUsage':
      return [{ method: 'thread/tokenUsage/updated', params: { threadId, turnId: event.turnId, tokenUsage: event.usage } }];
    case 'turn/error':
      return [{ method: 'error', params: { threadId, turnId: event.turnId, error: event.error, willRetry: event.willRetry } }];
    case 'item/started':
      return [{ method: 'item/started', params: { threadId, turnId: event.turnId, item: event.item, startedAtMs: event.at } }];
    case 'item/completed':
      return [{ method: 'item/completed', params: { threadId, turnId: event.turnId, item: event.item, completedAtMs: event.at } }];
    case 'item/summaryPartAdded':
      return [
        { method: 'item/reasoning/summaryPartAdded', params: { threadId, turnId: event.turnId, itemId: event.itemId, summaryIndex: event.index } },
      ];
    case 'item/delta': {
      const key = { threadId, turnId: event.turnId, itemId: event.itemId, delta: event.delta };
      if (event.channel === 'reasoningSummary') return [{ method: 'item/reasoning/summaryTextDelta', params: { ...key, summaryIndex: event.index } }];
      if (event.channel === 'reasoningText') return [{ method: 'item/reasoning/textDelta', params: { ...key, contentIndex: event.index } }];
      return [{ method: DELTA_METHODS[event.channel], params: key }];
    }
  }
}

function turnOf(thread: ThreadState, turnId: string) {
  return get(thread.turns, indexOfKey(thread.turns, turnId, (turn) => turn.id));
}
