// Writes a planned patch: all files or none. First every path is checked against its
// before-image (a file edited since planning refuses the whole patch, nothing written); then each
// change is written through a temp file, flushed to disk (fsync), and renamed over the file, so no
// file is ever half-written, even by a crash. If a write
// still fails midway, every file already touched is put back from its before-image (with its
// mode), directories the patch created are removed again, and the failure names what was and
// was not restored. Under a sandbox every write, removal and rollback is confined to its writable
// roots at the moment it happens (sandbox/confined-write.ts), not only when the gate checked it.
import { stat } from 'node:fs/promises';
import { commitFile, discardFile, prepareFile, removeEmptyDir, removeFile, WRITE_TEMP_MARK, type PreparedWrite, type WriteConfinement } from '../sandbox/index.js';
import { readFileState } from './read-file-state.js';
import type { ApplyResult, PatchFailure, PlannedChange } from './types.js';

/** The patch writer's temp files are `.<name>.keel-patch-<hex>` beside their target (recovery removes any a crash left). */
export const PATCH_TEMP_MARK = WRITE_TEMP_MARK;

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
    // A patch that only adds and updates has every new content flushed to its temp file first, many
    // at once (each fsync waits on the disk), and then renamed in order: the files change within a
    // short window. One that deletes or moves may free a path a later write needs, so it goes in order.
    const writes = changes.filter((change) => change.kind !== 'delete').map((change) => ({ file: change.movePath ?? change.path, content: change.after!, mode: modes.get(change.path) }));
    const ahead = changes.every((change) => change.kind !== 'delete' && change.movePath === undefined) ? await writer.prepareAll(writes) : null;
    let next = 0;
    const write = async () => {
      const { file, content, mode } = writes[next]!;
      await writer.commit(ahead?.[next] ?? (await writer.prepare(file, content, mode)));
      next++;
    };
    for (const change of changes) {
      current = change.path;
      if (change.kind === 'delete') {
        writer.touch(change.path);
        await removeFile(change.path, confinement);
      } else if (change.movePath !== undefined) {
        current = change.movePath;
        writer.touch(change.movePath);
        await write();
        current = change.path;
        writer.touch(change.path);
        await removeFile(change.path, confinement);
      } else {
        writer.touch(change.path);
        await write();
      }
    }
    return { ok: true };
  } catch (error) {
    await writer.discardTemps();
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

/** How many temp files are written and flushed at once: fsyncs overlap, and the open files stay few. */
const PREPARE_AT_ONCE = 16;

class Writer {
  private readonly touched: string[] = [];
  /** Temp files written and not yet renamed. */
  private readonly temps = new Set<PreparedWrite>();
  /** Directories this patch created, outermost first per write. */
  private readonly createdDirs: string[] = [];

  constructor(private readonly confinement: WriteConfinement | null) {}

  touch(file: string): void {
    if (!this.touched.includes(file)) this.touched.push(file);
  }

  /** Writes `content` to `file` via a flushed temp file in the same directory and a rename (through a symlink to its target). */
  async write(file: string, content: string, mode?: number): Promise<void> {
    await this.commit(await this.prepare(file, content, mode));
  }

  /** The new content in a flushed temp file beside `file`'s target; `commit` renames it over the target. */
  async prepare(file: string, content: string, mode?: number): Promise<PreparedWrite> {
    const prepared = await prepareFile(file, content, this.confinement, mode);
    this.temps.add(prepared);
    this.createdDirs.push(...prepared.created);
    return prepared;
  }

  /** `prepare` for each write, PREPARE_AT_ONCE at a time, in order. */
  async prepareAll(writes: ReadonlyArray<{ file: string; content: string; mode: number | undefined }>): Promise<PreparedWrite[]> {
    const prepared: PreparedWrite[] = new Array(writes.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
      for (let i = next++; i < writes.length && !failed; i = next++) {
        try {
          prepared[i] = await this.prepare(writes[i]!.file, writes[i]!.content, writes[i]!.mode);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    // Settled, not raced: no worker may still be writing a temp file when the failure is handled.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(PREPARE_AT_ONCE, writes.length) }, worker));
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
    return prepared;
  }

  async commit(prepared: PreparedWrite): Promise<void> {
    await commitFile(prepared, this.confinement);
    this.temps.delete(prepared);
  }

  /** Removes the temp files not renamed (a failed write). */
  async discardTemps(): Promise<void> {
    for (const prepared of this.temps) await discardFile(prepared, this.confinement);
    this.temps.clear();
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
