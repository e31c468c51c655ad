// Protocol objects (Thread, Turn, ThreadItemEntry) built from reducer state.
import { get, indexOfKey, map, type PList } from './plist.js';
import type { Thread, ThreadStatus, Turn } from './protocol-types.js';
import type { GitInfoState, VisibleSettings } from './events.js';
import type { ItemState, ThreadState, TurnState } from './state.js';
import type { ThreadSummary } from './summary.js';

export type ItemsView = 'full' | 'summary' | 'notLoaded';

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

/**
 * Thread status from state alone (a thread nobody has loaded reads `notLoaded`: the server
 * decides): active while a turn runs; `systemError` when the last turn failed, until the next one
 * starts (as Codex); else idle.
 */
export function liveStatus(thread: ThreadState<VisibleSettings>): ThreadStatus {
  if (thread.activeTurnId !== null) return { type: 'active', activeFlags: activeFlags(thread, thread.activeTurnId) };
  const last = get(thread.turns, thread.turns.length - 1);
  return last?.status === 'failed' ? { type: 'systemError' } : { type: 'idle' };
}

type ActiveFlag = Extract<ThreadStatus, { type: 'active' }>['activeFlags'][number];

/** What the running turn waits on: an approval and/or the user's answers (requests not yet settled). */
function activeFlags(thread: ThreadState<VisibleSettings>, turnId: string): ActiveFlag[] {
  const turn = get(thread.turns, indexOfKey(thread.turns, turnId, (t) => t.id));
  const open = (turn?.requests ?? []).filter((request) => request.decision === null);
  const flags: ActiveFlag[] = [];
  if (open.some((request) => request.kind !== 'userInput')) flags.push('waitingOnApproval');
  if (open.some((request) => request.kind === 'userInput')) flags.push('waitingOnUserInput');
  return flags;
}

export function turnSnapshot(turn: TurnState, view: ItemsView = 'full'): Turn {
  return {
    id: turn.id,
    items: view === 'notLoaded' ? [] : itemsOf(view === 'summary' ? summaryItems(turn.items) : turn.items),
    itemsView: view,
    status: turn.status,
    error: turn.error,
    startedAt: seconds(turn.startedAtMs),
    completedAt: seconds(turn.completedAtMs),
    durationMs: turn.completedAtMs !== null && turn.startedAtMs !== null ? turn.completedAtMs - turn.startedAtMs : null,
  };
}

function itemsOf(items: PList<ItemState> | ItemState[]) {
  return Array.isArray(items) ? items.map((entry) => entry.item) : map(items, (entry) => entry.item);
}

/** The display summary Codex gives a turn: its user messages and its last agent message. */
function summaryItems(items: PList<ItemState>): ItemState[] {
  const all = map(items, (entry) => entry);
  let lastAgent = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    if (all[i]!.item.type === 'agentMessage') {
      lastAgent = i;
      break;
    }
  }
  return all.filter((entry, i) => entry.item.type === 'userMessage' || i === lastAgent);
}

export interface ThreadSnapshotOptions {
  status: ThreadStatus;
  /** Turns to include; `[]` for metadata-only reads. */
  turns?: Turn[];
  /** thread/metadata/update's Git metadata, from the thread's state (the summary rows do not keep it). */
  gitInfo?: GitInfoState | null;
}

export function threadSnapshot(thread: ThreadSummary, options: ThreadSnapshotOptions): Thread {
  return {
    id: thread.id,
    sessionId: thread.id,
    name: thread.name,
    preview: thread.preview,
    ephemeral: thread.ephemeral,
    forkedFromId: thread.forkedFromId,
    cliVersion: thread.cliVersion,
    createdAt: Math.floor(thread.createdAtMs / 1000),
    updatedAt: Math.floor(thread.updatedAtMs / 1000),
    cwd: thread.cwd,
    model: thread.model,
    modelProvider: thread.modelProvider,
    reasoningEffort: thread.reasoningEffort,
    projectId: null,
    source: 'appServer',
    path: null,
    gitInfo: options.gitInfo ?? null,
    status: options.status,
    turns: options.turns ?? [],
  };
}

/**
 * The turn as `turn/completed` carries it (as Codex): a completed turn with its final agent
 * message (`itemsView: "summary"`); an interrupted or failed one without items.
 */
export function completedTurnSnapshot(turn: TurnState): Turn {
  if (turn.status !== 'completed') return turnSnapshot(turn, 'notLoaded');
  const all = map(turn.items, (entry) => entry.item);
  let last: number;
  for (last = all.length - 1; last >= 0 && all[last]!.type !== 'agentMessage'; last--);
  return { ...turnSnapshot(turn, 'notLoaded'), items: last >= 0 ? [all[last]!] : [], itemsView: 'summary' };
}

export function allTurns(thread: ThreadState<VisibleSettings>, view: ItemsView = 'full'): Turn[] {
  return map(thread.turns, (turn) => turnSnapshot(turn, view));
}
