// Putting the workspace back as it was before reverted turns, from the before-images their file
// changes kept (`thread/revert` with `restoreFiles`, a Keel extension), and putting back what a
// crash left half-written (recovery, ThreadRegistry.load). A file is put back only if it is still
// exactly as the last change left it: one edited since is skipped, never overwritten, and one that
// is gone is reported missing with nothing written. A file already as it was before the changes
// counts as restored, so a restore cut short by a crash is finished by running it again. Each
// file is written through a flushed temp file and a rename (kernel/durable-write.ts): none is ever
// left cut mid-write.
import fs from 'node:fs';
import type { FileUndo } from '../core/events.js';
import { map } from '../core/plist.js';
import type { ThreadState } from '../core/state.js';
import { writeFileDurablySync } from '../kernel/durable-write.js';

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

/**
 * Undoes `changes` (oldest first) file by file, newest first; one entry per original path, sorted
 * by path. Lets other work run between files, so a long restore does not hold the process.
 */
export async function restoreFiles(changes: readonly FileUndo[]): Promise<RestoredFile[]> {
  const run = restoring(changes);
  for (let step = run.next(); ; step = run.next()) {
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** `restoreFiles` without yielding: for recovery, which runs inside a (synchronous) thread load. */
export function restoreFilesNow(changes: readonly FileUndo[]): RestoredFile[] {
  const run = restoring(changes);
  for (let step = run.next(); ; step = run.next()) if (step.done) return step.value;
}

/** The restore, one file per step. */
function* restoring(changes: readonly FileUndo[]): Generator<void, RestoredFile[]> {
  const byPath = new Map<string, RestoredFile>();
  const newestFirst = histories(changes).sort((a, b) => b.lastChange - a.lastChange);
  for (const file of newestFirst) {
    const result = restoreOne(file);
    // Two histories share an origin only when a file moved away and another was made there; the
    // path counts as restored only if both were.
    const earlier = byPath.get(file.origin);
    if (earlier === undefined || earlier.status === 'restored') byPath.set(file.origin, result);
    yield;
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

function restoreOne(file: FileHistory): RestoredFile {
  const { origin, original, location, current } = file;
  const moved = location !== origin;
  const where = moved ? `${location} (where it was moved)` : 'it';
  const found = onDisk(location);
  const there = moved ? onDisk(origin) : found;
  // Already as before the changes: never changed, or restored by a run a crash cut short.
  if (holds(there, original) && (!moved || found.kind === 'absent')) return { path: origin, status: 'restored' };
  if (!holds(found, current)) {
    if (current !== null && found.kind === 'absent') return { path: origin, status: 'missing', reason: `${where} was deleted since the reverted turn` };
    return { path: origin, status: 'skipped', reason: `${where} changed since the reverted turn; left as it is` };
  }
  if (moved && original !== null && there.kind !== 'absent' && !holds(there, original)) {
    return { path: origin, status: 'skipped', reason: 'a file was created at this path since the reverted turn; left as it is' };
  }
  try {
    // Write the old content first, then remove: a failure (or a crash) part way never loses the file.
    if (original !== null && !holds(there, original)) writeFileDurablySync(origin, original);
    if (current !== null && (moved || original === null)) removeIfPresent(location);
    return { path: origin, status: 'restored' };
  } catch (error) {
    return { path: origin, status: 'skipped', reason: `could not restore: ${(error as Error).message}` };
  }
}

/** A path as the restore sees it: absent, a text file, or something it does not touch. */
type OnDisk = { kind: 'absent' } | { kind: 'file'; content: string } | { kind: 'other' };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function onDisk(file: string): OnDisk {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'absent' } : { kind: 'other' };
  }
  if (bytes.includes(0)) return { kind: 'other' };
  try {
    return { kind: 'file', content: utf8.decode(bytes) };
  } catch {
    return { kind: 'other' };
  }
}

/** Whether the path holds `content` (null: holds nothing). */
function holds(state: OnDisk, content: string | null): boolean {
  return content === null ? state.kind === 'absent' : state.kind === 'file' && state.content === content;
}

function removeIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
