// Putting the workspace back as it was before reverted turns, from the before-images their file
// changes kept (`thread/revert` with `restoreFiles`, a Keel extension), and putting back what a
// crash left half-written (recovery, ThreadRegistry.load). A file is put back only if it is still
// exactly as the last change left it: one edited since is skipped, never overwritten, and one that
// is gone is reported missing with nothing written. A file already as it was before the changes
// counts as restored, so a restore cut short by a crash is finished by running it again. Each
// file is written through a flushed temp file and a rename (kernel/durable-write.ts): none is ever
// left cut mid-write. Under a sandbox (`thread/revert`) the writes are confined to its writable
// roots when they are made (sandbox/confined-write.ts): a file outside them is skipped.
import fs from 'node:fs';
import type { FileUndo } from '../core/events.js';
import { map } from '../core/plist.js';
import type { ThreadState } from '../core/state.js';
import { modeOf, writeFileDurablySync } from '../kernel/durable-write.js';
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

/**
 * Undoes `changes` (oldest first) file by file, newest first; one entry per original path, sorted
 * by path. When no two files share a path (the common case), every file is judged first and the
 * writes then run RESTORE_AT_ONCE at a time, so their fsyncs overlap; otherwise one by one, in order.
 */
export async function restoreFiles(changes: readonly FileUndo[], confinement: WriteConfinement | null = null): Promise<RestoredFile[]> {
  const files = newestFirst(changes);
  const paths = files.flatMap((file) => (file.location === file.origin ? [file.origin] : [file.origin, file.location]));
  if (new Set(paths).size !== paths.length) {
    const results: Array<{ origin: string; result: RestoredFile }> = [];
    for (const file of files) results.push({ origin: file.origin, result: (await performAsync(judge(file), confinement)).result });
    return byOrigin(results);
  }
  const steps = files.map((file) => ({ file, step: judge(file) }));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < steps.length; i = next++) steps[i]!.step = await performAsync(steps[i]!.step, confinement);
  };
  await Promise.all(Array.from({ length: Math.min(RESTORE_AT_ONCE, steps.length) }, worker));
  return byOrigin(steps.map(({ file, step }) => ({ origin: file.origin, result: step.result })));
}

/** `restoreFiles` in order and synchronously: for recovery, which runs inside a (synchronous) thread load. */
export function restoreFilesNow(changes: readonly FileUndo[]): RestoredFile[] {
  return byOrigin(newestFirst(changes).map((file) => ({ origin: file.origin, result: perform(judge(file)).result })));
}

/** How many files a restore writes at once. */
const RESTORE_AT_ONCE = 16;

function newestFirst(changes: readonly FileUndo[]): FileHistory[] {
  return histories(changes).sort((a, b) => b.lastChange - a.lastChange);
}

/** One entry per original path, sorted by path, from the results newest first. */
function byOrigin(results: ReadonlyArray<{ origin: string; result: RestoredFile }>): RestoredFile[] {
  const byPath = new Map<string, RestoredFile>();
  for (const { origin, result } of results) {
    // Two histories share an origin only when a file moved away and another was made there; the
    // path counts as restored only if both were.
    const earlier = byPath.get(origin);
    if (earlier === undefined || earlier.status === 'restored') byPath.set(origin, result);
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

/** What restoring one file takes: its result, and the write and removal that make it true (none: nothing to do). */
interface Step {
  result: RestoredFile;
  write?: { file: string; content: string };
  remove?: string;
}

function judge(file: FileHistory): Step {
  const { origin, original, location, current } = file;
  const moved = location !== origin;
  const where = moved ? `${location} (where it was moved)` : 'it';
  const found = onDisk(location);
  const there = moved ? onDisk(origin) : found;
  // Already as before the changes: never changed, or restored by a run a crash cut short.
  if (holds(there, original) && (!moved || found.kind === 'absent')) return { result: { path: origin, status: 'restored' } };
  if (!holds(found, current)) {
    if (current !== null && found.kind === 'absent') return { result: { path: origin, status: 'missing', reason: `${where} was deleted since the reverted turn` } };
    return { result: { path: origin, status: 'skipped', reason: `${where} changed since the reverted turn; left as it is` } };
  }
  if (moved && original !== null && there.kind !== 'absent' && !holds(there, original)) {
    return { result: { path: origin, status: 'skipped', reason: 'a file was created at this path since the reverted turn; left as it is' } };
  }
  // Write the old content first, then remove: a failure (or a crash) part way never loses the file.
  return {
    result: { path: origin, status: 'restored' },
    ...(original !== null && !holds(there, original) && { write: { file: origin, content: original } }),
    ...(current !== null && (moved || original === null) && { remove: location }),
  };
}

function perform(step: Step): Step {
  try {
    if (step.write) writeFileDurablySync(step.write.file, step.write.content);
    if (step.remove) removeIfPresent(step.remove);
    return step;
  } catch (error) {
    return { result: couldNot(step.result.path, error) };
  }
}

async function performAsync(step: Step, confinement: WriteConfinement | null): Promise<Step> {
  try {
    if (step.write) await writeFileAtomic(step.write.file, step.write.content, confinement, modeOf(step.write.file));
    if (step.remove) await removeFile(step.remove, confinement).catch(ignoreMissing);
    return step;
  } catch (error) {
    return { result: couldNot(step.result.path, error) };
  }
}

const couldNot = (path: string, error: unknown): RestoredFile => ({ path, status: 'skipped', reason: `could not restore: ${(error as Error).message}` });

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

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

function removeIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
