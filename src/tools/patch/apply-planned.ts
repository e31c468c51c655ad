// Writes a planned patch: all files or none. First every path is checked against its
// before-image (a file edited since planning refuses the whole patch, nothing written); then each
// change is written through a temp file and a rename, so no file is ever half-written. If a write
// still fails midway, every file already touched is put back from its before-image (with its
// mode), directories the patch created are removed again, and the failure names what was and
// was not restored. Under a sandbox every write, removal and rollback is confined to its writable
// roots at the moment it happens (sandbox/confined-write.ts), not only when the gate checked it.
import { stat } from 'node:fs/promises';
import { removeEmptyDir, removeFile, writeFileAtomic, type WriteConfinement } from '../sandbox/index.js';
import { readFileState } from './read-file-state.js';
import type { ApplyResult, PatchFailure, PlannedChange } from './types.js';

/** `confinement`: the roots writes must land in (null: none, e.g. no sandbox or a write the user approved outside them). */
export async function applyPlanned(changes: readonly PlannedChange[], confinement: WriteConfinement | null = null): Promise<ApplyResult> {
  const expected = firstTouches(changes);
  for (const [file, before] of expected) {
    const state = await readFileState(file);
    const actual = state.kind === 'file' ? state.content : state.kind === 'missing' || state.kind === 'notDirectory' ? null : undefined;
    if (actual !== before) return { ok: false, failure: { kind: 'stale', path: file } };
  }
  const modes = new Map<string, number>();
  for (const [file, before] of expected) if (before !== null) modes.set(file, await modeOf(file));

  const writer = new Writer(confinement);
  let current = '';
  try {
    for (const change of changes) {
      current = change.path;
      if (change.kind === 'delete') {
        writer.touch(change.path);
        await removeFile(change.path, confinement);
      } else if (change.movePath !== undefined) {
        current = change.movePath;
        writer.touch(change.movePath);
        await writer.write(change.movePath, change.after!, modes.get(change.path));
        current = change.path;
        writer.touch(change.path);
        await removeFile(change.path, confinement);
      } else {
        writer.touch(change.path);
        await writer.write(change.path, change.after!, modes.get(change.path));
      }
    }
    return { ok: true };
  } catch (error) {
    const failure: PatchFailure = { kind: 'writeFailed', path: current, message: (error as Error).message, ...(await writer.rollBack(expected, modes)) };
    return { ok: false, failure };
  }
}

/** Each path's content when the patch first touches it: what must be on disk now, and what a rollback restores. */
function firstTouches(changes: readonly PlannedChange[]): Map<string, string | null> {
  const expected = new Map<string, string | null>();
  const touch = (file: string, content: string | null) => expected.has(file) || expected.set(file, content);
  for (const change of changes) {
    touch(change.path, change.before);
    if (change.movePath !== undefined) touch(change.movePath, null);
  }
  return expected;
}

async function removeIfPresent(file: string, confinement: WriteConfinement | null): Promise<void> {
  try {
    await removeFile(file, confinement);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
}

async function modeOf(file: string): Promise<number> {
  return (await stat(file)).mode & 0o7777;
}

class Writer {
  private readonly touched: string[] = [];
  /** Directories this patch created, outermost first per write. */
  private readonly createdDirs: string[] = [];

  constructor(private readonly confinement: WriteConfinement | null) {}

  touch(file: string): void {
    if (!this.touched.includes(file)) this.touched.push(file);
  }

  /** Writes `content` to `file` via a temp file in the same directory and a rename (through a symlink to its target). */
  async write(file: string, content: string, mode?: number): Promise<void> {
    this.createdDirs.push(...(await writeFileAtomic(file, content, this.confinement, mode)));
  }

  /** Puts every touched path back as it was before the patch, newest first. */
  async rollBack(originals: Map<string, string | null>, modes: Map<string, number>): Promise<{ restored: string[]; notRestored: Array<{ path: string; message: string }> }> {
    const restored: string[] = [];
    const notRestored: Array<{ path: string; message: string }> = [];
    for (const file of [...this.touched].reverse()) {
      const original = originals.get(file) ?? null;
      try {
        if (original === null) await removeIfPresent(file, this.confinement);
        else await this.write(file, original, modes.get(file));
        restored.push(file);
      } catch (error) {
        notRestored.push({ path: file, message: (error as Error).message });
      }
    }
    for (const dir of [...this.createdDirs].reverse()) await removeEmptyDir(dir, this.confinement);
    return { restored: restored.reverse(), notRestored };
  }
}
