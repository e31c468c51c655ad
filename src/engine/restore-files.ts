// Putting the workspace back as it was before reverted turns, from the before-images their file
// changes kept (`thread/revert` with `restoreFiles`, a Keel extension). A file is put back only if
// it is still exactly as the last reverted change left it: one edited since is skipped, never
// overwritten, and one that is gone is reported missing with nothing written. Under a sandbox the
// writes are confined to its writable roots when they are made (a file outside them is skipped).
import type { FileUndo } from '../core/events.js';
import { map } from '../core/plist.js';
import type { ThreadState } from '../core/state.js';
import { readFileState } from '../tools/patch/read-file-state.js';
import { removeFile, writeFileAtomic, type WriteConfinement } from '../tools/sandbox/index.js';

export interface RestoredFile {
  /** The file's path before the first reverted change (absolute). */
  path: string;
  status: 'restored' | 'skipped' | 'missing';
  reason?: string;
}

/** One file followed through the changes: where it started, and where and how they left it. */
interface FileHistory {
  origin: string;
  /** Content at `origin` before the first change; null when it did not exist. */
  original: string | null;
  /** Where the last change left it (`origin`, or where it was moved to). */
  location: string;
  /** Content at `location` after the last change; null when it was deleted. */
  current: string | null;
  /** Index of the last change to it, for the newest-first walk. */
  lastChange: number;
}

/** The file changes of `beforeTurnId` and every later turn, oldest first. */
export function revertedFileChanges(state: ThreadState, beforeTurnId: string): FileUndo[] {
  const turns = map(state.turns, (turn) => turn);
  const first = turns.findIndex((turn) => turn.id === beforeTurnId);
  if (first === -1) return [];
  return turns.slice(first).flatMap((turn) => map(turn.items, (entry) => entry.undo ?? []).flat());
}

/** Undoes `changes` (oldest first) file by file, newest first; one entry per original path, sorted by path. */
export async function restoreFiles(changes: readonly FileUndo[], confinement: WriteConfinement | null = null): Promise<RestoredFile[]> {
  const byPath = new Map<string, RestoredFile>();
  const newestFirst = histories(changes).sort((a, b) => b.lastChange - a.lastChange);
  for (const file of newestFirst) {
    const result = await restoreOne(file, confinement);
    // Two histories share an origin only when a file moved away and another was made there; the
    // path counts as restored only if both were.
    const earlier = byPath.get(file.origin);
    if (earlier === undefined || earlier.status === 'restored') byPath.set(file.origin, result);
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function histories(changes: readonly FileUndo[]): FileHistory[] {
  const at = new Map<string, FileHistory>();
  const all: FileHistory[] = [];
  changes.forEach((change, index) => {
    let file = at.get(change.path);
    if (file === undefined) {
      file = { origin: change.path, original: change.before, location: change.path, current: change.before, lastChange: index };
      at.set(change.path, file);
      all.push(file);
    }
    file.current = change.after;
    file.lastChange = index;
    if (change.movePath !== null) {
      at.delete(change.path);
      at.set(change.movePath, file);
      file.location = change.movePath;
    }
  });
  return all;
}

async function restoreOne(file: FileHistory, confinement: WriteConfinement | null): Promise<RestoredFile> {
  const { origin, original, location, current } = file;
  const moved = location !== origin;
  const where = moved ? `${location} (where it was moved)` : 'it';
  const found = await readFileState(location);
  const absent = found.kind === 'missing' || found.kind === 'notDirectory';
  if (current !== null && absent) return { path: origin, status: 'missing', reason: `${where} was deleted since the reverted turn` };
  const unchanged = current === null ? absent : found.kind === 'file' && found.content === current;
  if (!unchanged) return { path: origin, status: 'skipped', reason: `${where} changed since the reverted turn; left as it is` };
  if (moved && original !== null) {
    const there = await readFileState(origin);
    if (there.kind !== 'missing' && there.kind !== 'notDirectory') {
      return { path: origin, status: 'skipped', reason: 'a file was created at this path since the reverted turn; left as it is' };
    }
  }
  try {
    // Write the old content first, then remove: a failure part way never loses the file.
    if (original !== null) await writeFileAtomic(origin, original, confinement);
    if (current !== null && (moved || original === null)) await removeIfPresent(location, confinement);
    return { path: origin, status: 'restored' };
  } catch (error) {
    return { path: origin, status: 'skipped', reason: `could not restore: ${(error as Error).message}` };
  }
}

async function removeIfPresent(file: string, confinement: WriteConfinement | null): Promise<void> {
  try {
    await removeFile(file, confinement);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
