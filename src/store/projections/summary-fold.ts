// The `threads` summary row as a fold over the events appended, not recomputed from the whole
// state: a flush of deltas only moves `updated_at`. It is only ever given events that changed the
// thread (ThreadRuntime writes no others), which is what lets it follow the reducer (core/reduce.ts)
// from the event alone:
//  - every stored event went through the reducer's `touch`: updated = max(updated, at);
//  - `active` is "a turn in progress or a file write begun and not done", so the row keeps which
//    turn is active and which writes are pending (their keys), the two things `summaryOf` reads;
//  - the active turn is always the newest turn (only `turn/started` sets it), so a revert, which
//    only stores when it drops a turn, always drops it.
// tests/store/summary-projection.test.ts checks the fold equals summaryOf(state) over scenarios.
import type { KeelEvent } from '../../core/events.js';
import { previewOf } from '../../core/preview.js';
import type { ThreadState } from '../../core/state.js';
import { summaryOf, type ThreadSummary } from '../../core/summary.js';

/** The summary plus what the fold needs to keep `active` exact. */
export interface SummaryRow extends ThreadSummary {
  activeTurnId: string | null;
  /** The pending file writes: `turnId/itemId` of a tool item's, `restore` for a revert's. */
  pendingWrites: string[];
}

const RESTORE = 'restore';
const writeKey = (turnId: string, itemId: string) => `${turnId}/${itemId}`;

/** The row of a thread as its state shows it: for a row stored before the fold kept its bookkeeping. */
export function summaryRowOf(state: ThreadState): SummaryRow {
  return {
    ...summaryOf(state),
    activeTurnId: state.activeTurnId,
    pendingWrites: (state.pendingWrites ?? []).map((write) => (write.itemId === null || write.turnId === null ? RESTORE : writeKey(write.turnId, write.itemId))),
  };
}

/** Events that move nothing in the row but `updated_at` (a flush of deltas is all of them): the store applies them without reading the row. */
const TOUCH_ONLY: ReadonlySet<KeelEvent['type']> = new Set([
  'item/delta',
  'item/summaryPartAdded',
  'turn/context',
  'turn/tokenUsage',
  'turn/planUpdated',
  'turn/diffUpdated',
  'turn/error',
  'request/opened',
  'request/resolved',
]);

export function touchesOnly(event: KeelEvent): boolean {
  return TOUCH_ONLY.has(event.type);
}

/** The row after `event`; undefined before the thread's creation (an event for no thread changes nothing). */
export function foldSummary(row: SummaryRow | undefined, event: KeelEvent): SummaryRow | undefined {
  if (event.type === 'thread/created') return row ?? created(event);
  if (row === undefined) return undefined;
  const next: SummaryRow = { ...row, updatedAtMs: Math.max(row.updatedAtMs, event.at) };
  switch (event.type) {
    case 'thread/settingsChanged': {
      // As the reducer merges them: a key present in the change wins, whatever its value.
      const settings = { cwd: row.cwd, model: row.model, modelProvider: row.modelProvider, reasoningEffort: row.reasoningEffort, ...event.settings };
      next.cwd = settings.cwd;
      next.model = settings.model;
      next.modelProvider = settings.modelProvider;
      next.reasoningEffort = settings.reasoningEffort;
      break;
    }
    case 'thread/renamed':
      next.name = event.name;
      break;
    case 'thread/archived':
      next.archived = true;
      break;
    case 'thread/unarchived':
      next.archived = false;
      break;
    case 'thread/reverted':
      next.activeTurnId = null;
      if (event.restore !== undefined && event.restore.length > 0) next.pendingWrites = [...row.pendingWrites, RESTORE];
      break;
    case 'thread/filesRestored':
      next.pendingWrites = row.pendingWrites.filter((key) => key !== RESTORE);
      break;
    case 'turn/started':
      next.activeTurnId = event.turnId;
      break;
    case 'turn/completed':
      if (row.activeTurnId === event.turnId) next.activeTurnId = null;
      break;
    case 'item/writeIntent': {
      const key = writeKey(event.turnId, event.itemId);
      next.pendingWrites = [...row.pendingWrites.filter((each) => each !== key), key];
      break;
    }
    case 'item/started':
    case 'item/completed':
      if (event.type === 'item/completed') next.pendingWrites = row.pendingWrites.filter((key) => key !== writeKey(event.turnId, event.itemId));
      if (row.preview === '' && event.item.type === 'userMessage') next.preview = previewOf(event.item);
      break;
    default:
      break;
  }
  next.active = next.activeTurnId !== null || next.pendingWrites.length > 0;
  return next;
}

function created(event: Extract<KeelEvent, { type: 'thread/created' }>): SummaryRow {
  let preview = '';
  find: for (const turn of event.turns ?? []) {
    for (const entry of turn.items) {
      if (entry.item.type === 'userMessage') {
        preview = previewOf(entry.item);
        break find;
      }
    }
  }
  return {
    id: event.threadId,
    name: event.name ?? null,
    preview,
    cwd: event.settings.cwd,
    model: event.settings.model,
    modelProvider: event.settings.modelProvider,
    reasoningEffort: event.settings.reasoningEffort,
    createdAtMs: event.at,
    updatedAtMs: event.at,
    archived: false,
    active: false,
    ephemeral: event.origin.ephemeral,
    forkedFromId: event.origin.forkedFromId,
    cliVersion: event.origin.cliVersion,
    activeTurnId: null,
    pendingWrites: [],
  };
}

/** The summary a list shows (without the fold's bookkeeping). */
export function summaryOfRow({ activeTurnId: _turn, pendingWrites: _writes, ...summary }: SummaryRow): ThreadSummary {
  return summary;
}
