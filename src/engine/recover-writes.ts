// What a previous process left open in a thread, closed when the thread is next loaded, so that
// the files and the log agree. A file write recorded as begun and never as done (a patch, a
// revert's restore) is put back where the log says the files must be: a patch's item did not
// complete, so every file it wrote gets its before-image back and the item ends failed; a revert
// is in the log, so its restore is finished. Both are the same operation (restore-files.ts),
// which leaves a file changed since as it is. Items of the turn a crash cut short that are still
// `inProgress` (tool items) end with it, failed. Undoing rather than finishing a patch: the item never
// completed and the model was never told it had, and a before-image is always at hand, while
// finishing would write a change nobody saw succeed.
import { stampEvent, type KeelEvent, type PendingWrite } from '../core/events.js';
import { get, indexOfKey, map } from '../core/plist.js';
import type { ThreadItem } from '../core/protocol-types.js';
import type { ItemState, ThreadState } from '../core/state.js';
import { removeLeftTemps, TEMP_MARK } from '../kernel/durable-write.js';
import { PATCH_TEMP_MARK } from '../tools/patch/apply-planned.js';
import { restoreFilesNow, type RestoredFile } from './restore-files.js';

/** The events closing the writes and items `state` (as stored) left open, after putting the files back. Empty: nothing was open. */
export function closeInterrupted(state: ThreadState, at: number): KeelEvent[] {
  const events: KeelEvent[] = [];
  const closed = new Set<string>();
  for (const write of state.pendingWrites ?? []) {
    const files = putBack(write);
    if (write.itemId === null || write.turnId === null) {
      events.push(stampEvent(state.id, at, { type: 'thread/filesRestored' }));
      continue;
    }
    const entry = itemOf(state, write.turnId, write.itemId);
    if (entry === undefined) continue;
    closed.add(write.itemId);
    const item = { ...entry.item, status: 'failed' } as ThreadItem;
    events.push(stampEvent(state.id, at, { type: 'item/completed', turnId: write.turnId, itemId: write.itemId, item, modelOutput: undoneText(files) }));
  }
  const turnId = state.activeTurnId;
  const turn = turnId === null ? undefined : get(state.turns, indexOfKey(state.turns, turnId, (t) => t.id));
  if (turn === undefined || turnId === null) return events;
  for (const entry of map(turn.items, (e) => e)) {
    // Items without a status (messages, reasoning) show what was streamed; they need no end of their own.
    if (closed.has(entry.item.id) || !('status' in entry.item) || entry.item.status !== 'inProgress') continue;
    const item = { ...entry.item, status: 'failed' } as ThreadItem;
    const modelOutput = entry.call === undefined ? {} : { modelOutput: 'Keel stopped before this call finished; its result is unknown.' };
    events.push(stampEvent(state.id, at, { type: 'item/completed', turnId, itemId: entry.item.id, item, ...modelOutput }));
  }
  return events;
}

/** Every file of the write back where the log says it must be, and the temp files a killed write left beside them gone. */
function putBack(write: PendingWrite): RestoredFile[] {
  const files = restoreFilesNow(write.changes);
  removeLeftTemps(write.changes.flatMap((change) => (change.movePath === null ? [change.path] : [change.path, change.movePath])), [TEMP_MARK, PATCH_TEMP_MARK]);
  return files;
}

/** What the model is told of a change a crash cut short and recovery undid. */
function undoneText(files: readonly RestoredFile[]): string {
  const left = files.filter((file) => file.status !== 'restored');
  const head = 'Keel stopped while writing this change. When the thread was next loaded, every file it had written was put back as it was before, so none of the change is applied.';
  if (left.length === 0) return head;
  return `${head} Not put back (changed since): ${left.map((file) => `${file.path}${file.reason ? ` (${file.reason})` : ''}`).join('; ')}.`;
}

function itemOf(state: ThreadState, turnId: string, itemId: string): ItemState | undefined {
  const turn = get(state.turns, indexOfKey(state.turns, turnId, (t) => t.id));
  return turn && get(turn.items, indexOfKey(turn.items, itemId, (e) => e.item.id));
}
