// The one mapping from events to thread, turn and item state. Live streams apply it event by
// event; replay folds the stored log through it. A no-op returns the same reference.
import type { CallUsage, DeltaChannel, EventOf, KeelEvent, ModelRoute, PendingWrite, ThreadSettings, VisibleSettings } from './events.js';
import { get, indexOfKey, listFrom, push, set, take, type PList } from './plist.js';
import type { ThreadItem } from './protocol-types.js';
import { findItem, newTurnState, type ItemState, type KeelState, type RequestRecord, type RouteUsage, type ThreadState, type TurnRecord, type TurnState } from './state.js';
import { previewOf } from './preview.js';
import { goalAfterCall, goalAfterTurn, patchGitInfo } from './goal-usage.js';

export function reduce<S extends VisibleSettings = ThreadSettings>(state: KeelState<S>, event: KeelEvent<S>): KeelState<S> {
  const before = state.threads[event.threadId];
  const after = reduceThread(before, event);
  if (after === before) return state;
  if (after === undefined) {
    const { [event.threadId]: _removed, ...rest } = state.threads;
    return { threads: rest };
  }
  return { threads: { ...state.threads, [event.threadId]: after } };
}

export function replay<S extends VisibleSettings = ThreadSettings>(events: Iterable<KeelEvent<S>>, initial?: ThreadState<S>): ThreadState<S> | undefined {
  let state = initial;
  for (const event of events) state = reduceThread(state, event);
  return state;
}

export function reduceThread<S extends VisibleSettings = ThreadSettings>(thread: ThreadState<S> | undefined, event: KeelEvent<S>): ThreadState<S> | undefined {
  if (event.type === 'thread/created') return thread ?? createThread(event);
  if (thread === undefined) return undefined;
  switch (event.type) {
    case 'thread/settingsChanged':
      return touch(thread, event.at, { settings: { ...thread.settings, ...event.settings } });
    case 'thread/renamed':
      return thread.name === event.name ? thread : touch(thread, event.at, { name: event.name });
    case 'thread/archived':
      return thread.archived ? thread : touch(thread, event.at, { archived: true });
    case 'thread/unarchived':
      return thread.archived ? touch(thread, event.at, { archived: false }) : thread;
    case 'thread/reverted': {
      const reverted = revert(thread, event);
      if (reverted === thread || event.restore === undefined || event.restore.length === 0) return reverted;
      return withPending(reverted, [...(reverted.pendingWrites ?? []), { turnId: null, itemId: null, changes: event.restore }]);
    }
    case 'thread/filesRestored': {
      const pending = thread.pendingWrites ?? [];
      const left = pending.filter((write) => write.itemId !== null);
      return left.length === pending.length ? thread : touch(withPending(thread, left), event.at, {});
    }
    case 'thread/deleted':
      return undefined;
    case 'turn/started':
      if (findTurn(thread, event.turnId) !== -1) return thread;
      return touch(thread, event.at, {
        turns: push(thread.turns, newTurnState(event.turnId, event.at, event.model), event.turnId),
        activeTurnId: event.turnId,
      });
    case 'thread/itemsInjected':
      if (event.afterTurnId === null) return touch(thread, event.at, { injected: [...(thread.injected ?? []), ...event.items] });
      return updateTurn(thread, event.afterTurnId, event.at, (turn) => ({ ...turn, injected: [...(turn.injected ?? []), ...event.items] }));
    case 'turn/context':
      return updateTurn(thread, event.turnId, event.at, (turn) => ({ ...turn, context: [...(turn.context ?? []), ...event.context] }));
    case 'turn/completed':
      return completeTurn(thread, event);
    case 'turn/tokenUsage':
      return recordUsage(thread, event);
    case 'turn/error':
      return thread;
    case 'turn/planUpdated':
      return updateTurn(thread, event.turnId, event.at, (turn) => ({ ...turn, plan: { explanation: event.explanation, steps: event.plan } }));
    case 'turn/diffUpdated':
      return updateTurn(thread, event.turnId, event.at, (turn) => (turn.diff === event.diff ? turn : { ...turn, diff: event.diff }));
    case 'item/writeIntent':
      return recordIntent(thread, event);
    case 'item/started':
    case 'item/completed':
    case 'item/delta':
    case 'item/summaryPartAdded':
      return reduceItem(thread, event);
    case 'request/opened':
    case 'request/resolved':
      return updateTurn(thread, event.turnId, event.at, (turn) => recordRequest(turn, event));
    case 'thread/gitInfoUpdated':
      return touch(thread, event.at, { gitInfo: patchGitInfo(thread.gitInfo, event.gitInfo) });
    case 'thread/goalUpdated':
      return touch(thread, event.at, { goal: event.goal });
    case 'thread/goalCleared': {
      if (thread.goal === undefined) return thread;
      const { goal: _cleared, ...rest } = thread;
      return touch(rest, event.at, {});
    }
  }
}

function recordRequest(turn: TurnState, event: EventOf<'request/opened' | 'request/resolved'>): TurnState {
  const requests = turn.requests ?? [];
  const index = requests.findIndex((request) => request.key === event.requestKey);
  if (event.type === 'request/opened') {
    if (index !== -1) return turn;
    const opened: RequestRecord = {
      key: event.requestKey,
      kind: event.kind,
      itemId: event.itemId,
      subject: event.subject,
      reason: event.reason,
      requestedAtMs: event.at,
      decision: null,
      by: null,
      resolvedAtMs: null,
    };
    return { ...turn, requests: [...requests, opened] };
  }
  const current = requests[index];
  if (current !== undefined && current.decision !== null) return turn;
  const resolved: RequestRecord = {
    key: event.requestKey,
    kind: event.kind,
    itemId: event.itemId,
    subject: current?.subject ?? event.subject,
    reason: current?.reason ?? null,
    requestedAtMs: current?.requestedAtMs ?? null,
    decision: event.decision,
    by: event.by,
    resolvedAtMs: event.at,
  };
  return { ...turn, requests: current === undefined ? [...requests, resolved] : requests.map((request, i) => (i === index ? resolved : request)) };
}

/** One call's usage: the thread's running total, and the per-route sums of the turn and the thread. */
function recordUsage<S extends VisibleSettings>(thread: ThreadState<S>, event: EventOf<'turn/tokenUsage', S>): ThreadState<S> {
  const last = event.last;
  const total = event.total ?? (thread.tokenUsage === null ? last : addUsage(thread.tokenUsage.total, last));
  const route = event.route ?? null;
  const patch: { -readonly [K in keyof ThreadState<S>]?: ThreadState<S>[K] } = {
    tokenUsage: { total, last, modelContextWindow: event.modelContextWindow },
    usage: addRouted(thread.usage ?? [], route, last),
  };
  const goal = goalAfterCall(thread.goal, last, event.at);
  if (goal !== thread.goal) patch.goal = goal;
  const turnIndex = findTurn(thread, event.turnId);
  const turn = get(thread.turns, turnIndex);
  if (turn !== undefined) {
    patch.turns = set(thread.turns, turnIndex, { ...turn, usage: addRouted(turn.usage ?? [], route, last) });
    if (event.compaction !== true) patch.usageMark = { turnId: turn.id, items: turn.items.length, inputTokens: last.inputTokens, outputTokens: last.outputTokens };
  }
  return touch(thread, event.at, patch);
}

function addUsage(a: Partial<CallUsage> & Omit<CallUsage, 'cacheWriteInputTokens'>, b: CallUsage): CallUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteInputTokens: (a.cacheWriteInputTokens ?? 0) + b.cacheWriteInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningOutputTokens: a.reasoningOutputTokens + b.reasoningOutputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

const sameRoute = (a: ModelRoute | null, b: ModelRoute | null) => (a === null ? b === null : b !== null && a.provider === b.provider && a.model === b.model);

function addRouted(entries: readonly RouteUsage[], route: ModelRoute | null, usage: CallUsage): RouteUsage[] {
  const index = entries.findIndex((entry) => sameRoute(entry.route, route));
  if (index === -1) return [...entries, { route, usage }];
  return entries.map((entry, i) => (i === index ? { route: entry.route, usage: addUsage(entry.usage, usage) } : entry));
}

function touch<S extends VisibleSettings>(thread: ThreadState<S>, at: number, patch: Partial<ThreadState<S>>): ThreadState<S> {
  // Object.assign, not spreads: patches of many shapes pass here, per streamed delta too, and
  // V8's object spread on varying shapes takes a much slower path.
  const next = Object.assign({}, thread, patch) as { -readonly [K in keyof ThreadState<S>]: ThreadState<S>[K] };
  next.updatedAtMs = Math.max(thread.updatedAtMs, at);
  return next;
}

function createThread<S extends VisibleSettings>(event: EventOf<'thread/created', S>): ThreadState<S> {
  const turns = (event.turns ?? []).map(turnFromRecord);
  return {
    id: event.threadId,
    settings: event.settings,
    origin: event.origin,
    name: event.name ?? null,
    preview: firstPreview(event.turns ?? []),
    createdAtMs: event.at,
    updatedAtMs: event.at,
    archived: false,
    turns: listFrom(turns, turnKey),
    activeTurnId: null,
    tokenUsage: null,
  };
}

export function turnFromRecord(record: TurnRecord): TurnState {
  return { ...record, items: listFrom(record.items, itemKey) };
}

const turnKey = (turn: TurnState) => turn.id;
const itemKey = (entry: ItemState) => entry.item.id;

function firstPreview(turns: readonly TurnRecord[]): string {
  for (const turn of turns) for (const entry of turn.items) if (entry.item.type === 'userMessage') return previewOf(entry.item);
  return '';
}

function findTurn(thread: ThreadState<VisibleSettings>, turnId: string): number {
  return indexOfKey(thread.turns, turnId, turnKey);
}

function revert<S extends VisibleSettings>(thread: ThreadState<S>, event: EventOf<'thread/reverted', S>): ThreadState<S> {
  const index = findTurn(thread, event.beforeTurnId);
  if (index === -1) return thread;
  const turns = take(thread.turns, index, turnKey);
  const activeStillThere = thread.activeTurnId !== null && indexOfKey(turns, thread.activeTurnId, turnKey) !== -1;
  return touch(thread, event.at, { turns, activeTurnId: activeStillThere ? thread.activeTurnId : null });
}

/** The thread with `pending` as its pending writes (the field absent when there are none). */
function withPending<S extends VisibleSettings>(thread: ThreadState<S>, pending: readonly PendingWrite[]): ThreadState<S> {
  const { pendingWrites: _old, ...rest } = thread;
  return pending.length === 0 ? rest : { ...rest, pendingWrites: pending };
}

/** An item's intent is kept until the item completes; one for an item the thread lacks, or that already completed, changes nothing. */
function recordIntent<S extends VisibleSettings>(thread: ThreadState<S>, event: EventOf<'item/writeIntent', S>): ThreadState<S> {
  const entry = findItem(thread, event.turnId, event.itemId);
  if (entry === undefined || entry.completedAtMs !== null) return thread;
  const pending = (thread.pendingWrites ?? []).filter((write) => write.itemId !== event.itemId || write.turnId !== event.turnId);
  return touch(withPending(thread, [...pending, { turnId: event.turnId, itemId: event.itemId, changes: event.changes }]), event.at, {});
}

function updateTurn<S extends VisibleSettings>(thread: ThreadState<S>, turnId: string, at: number, change: (turn: TurnState) => TurnState): ThreadState<S> {
  const index = findTurn(thread, turnId);
  const turn = get(thread.turns, index);
  if (turn === undefined) return thread;
  const next = change(turn);
  return next === turn ? thread : touch(thread, at, { turns: set(thread.turns, index, next) });
}

function completeTurn<S extends VisibleSettings>(thread: ThreadState<S>, event: EventOf<'turn/completed', S>): ThreadState<S> {
  const index = findTurn(thread, event.turnId);
  const turn = get(thread.turns, index);
  if (turn === undefined || turn.status !== 'inProgress') return thread;
  const done: TurnState = { ...turn, status: event.status, error: event.error, completedAtMs: event.at };
  const goal = goalAfterTurn(thread.goal, turn.startedAtMs, event.at);
  return touch(thread, event.at, {
    turns: set(thread.turns, index, done),
    activeTurnId: thread.activeTurnId === event.turnId ? null : thread.activeTurnId,
    ...(goal !== thread.goal && { goal }),
  });
}

type ItemEvent = EventOf<'item/started' | 'item/completed' | 'item/delta' | 'item/summaryPartAdded'>;

function reduceItem<S extends VisibleSettings>(thread: ThreadState<S>, event: ItemEvent): ThreadState<S> {
  const turnIndex = findTurn(thread, event.turnId);
  const turn = get(thread.turns, turnIndex);
  if (turn === undefined) return thread;
  const itemIndex = indexOfKey(turn.items, event.itemId, itemKey);
  const current = get(turn.items, itemIndex);
  let items: PList<ItemState>;
  if (event.type === 'item/started' || (event.type === 'item/completed' && current === undefined)) {
    if (current !== undefined) return thread;
    const completedAtMs = event.type === 'item/completed' ? event.at : null;
    items = push(turn.items, withToolRecord({ item: event.item, startedAtMs: event.at, completedAtMs }, event), event.itemId);
  } else {
    if (current === undefined) return thread;
    const intent = event.type === 'item/completed' ? thread.pendingWrites?.find((write) => write.itemId === event.itemId && write.turnId === event.turnId) : undefined;
    const next = nextItem(current, event, intent);
    if (next === current) return thread;
    items = set(turn.items, itemIndex, next);
  }
  const patch: { -readonly [K in keyof ThreadState<S>]?: ThreadState<S>[K] } = { turns: set(thread.turns, turnIndex, { ...turn, items }) };
  if (event.type === 'item/completed' && thread.pendingWrites !== undefined) {
    const pending = thread.pendingWrites.filter((write) => write.itemId !== event.itemId || write.turnId !== event.turnId);
    if (pending.length !== thread.pendingWrites.length) thread = withPending(thread, pending);
  }
  if (thread.preview === '' && event.type !== 'item/delta' && event.type !== 'item/summaryPartAdded' && event.item.type === 'userMessage') {
    patch.preview = previewOf(event.item);
  }
  return touch(thread, event.at, patch);
}

/** `intent`: the changes an `item/writeIntent` recorded for the item, if any. */
function nextItem(current: ItemState, event: ItemEvent, intent?: PendingWrite): ItemState {
  switch (event.type) {
    case 'item/completed':
      return withToolRecord({ ...current, item: event.item, completedAtMs: event.at }, event, intent);
    case 'item/delta': {
      const item = applyDelta(current.item, event.channel, event.index, event.delta);
      return item === current.item ? current : { ...current, item };
    }
    case 'item/summaryPartAdded': {
      if (current.item.type !== 'reasoning' || current.item.summary.length > event.index) return current;
      return { ...current, item: { ...current.item, summary: padTo(current.item.summary, event.index + 1) } };
    }
    default:
      return current;
  }
}

/**
 * Keeps a tool item's call (from item/started) and the model's output (from item/completed), and
 * its undo: the completion's, or else the intent's when the item completed (its writes are on disk);
 * and a reasoning item's carry.
 */
function withToolRecord(entry: ItemState, event: ItemEvent, intent?: PendingWrite): ItemState {
  if (event.type === 'item/started' && event.call) return { ...entry, call: event.call };
  if (event.type !== 'item/completed') return entry;
  const completed = 'status' in event.item && event.item.status === 'completed';
  const undo = event.undo ?? (completed ? intent?.changes : undefined);
  if (event.modelOutput === undefined && undo === undefined && event.carry === undefined) return entry;
  return {
    ...entry,
    ...(event.modelOutput !== undefined && { modelOutput: event.modelOutput }),
    ...(undo !== undefined && { undo }),
    ...(event.carry !== undefined && { carry: event.carry }),
  };
}

function padTo(parts: readonly string[], length: number): string[] {
  const out = parts.slice();
  while (out.length < length) out.push('');
  return out;
}

function appendAt(parts: readonly string[], index: number, delta: string): string[] {
  const out = padTo(parts, index + 1);
  out[index] += delta;
  return out;
}

function applyDelta(item: ThreadItem, channel: DeltaChannel, index: number, delta: string): ThreadItem {
  if (delta === '') return item;
  switch (channel) {
    case 'agentMessage':
      return item.type === 'agentMessage' ? { ...item, text: item.text + delta } : item;
    case 'plan':
      return item.type === 'plan' ? { ...item, text: item.text + delta } : item;
    case 'reasoningSummary':
      return item.type === 'reasoning' ? { ...item, summary: appendAt(item.summary, index, delta) } : item;
    case 'reasoningText':
      return item.type === 'reasoning' ? { ...item, content: appendAt(item.content, index, delta) } : item;
    case 'commandOutput':
      return item.type === 'commandExecution' ? { ...item, aggregatedOutput: (item.aggregatedOutput ?? '') + delta } : item;
  }
}
