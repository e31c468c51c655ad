// Plans a whole patch in memory: every operation's new content, before anything is written. The
// operations run in order over a view of the disk that includes the earlier ones (a patch may
// delete a file and add it again, or update a file twice), so the plan is exactly what writing
// them one by one would do — and any failure is found here, with the disk untouched.
//
// Decisions: Add File over an existing file overwrites it (as Codex does; its before-image is
// kept); a move onto an existing file is refused (Codex overwrites) unless the patch deletes that
// file first; a file that is not UTF-8 text is never rewritten.
import { applyHunks } from './apply-hunks.js';
import { unifiedDiff } from './diff.js';
import { ancestors, diffLabel, resolvePatchPath } from './paths.js';
import { readFileState } from './read-file-state.js';
import type { FileOp, FileState, Patch, PatchFailure, PlannedChange, PlanResult, ReadFile } from './types.js';

export async function planPatch(patch: Patch, cwd: string, readFile: ReadFile = readFileState): Promise<PlanResult> {
  const view = new DiskView(readFile);
  const changes: PlannedChange[] = [];
  for (const op of patch.ops) {
    const planned = await planOp(op, cwd, view);
    if ('failure' in planned) return { ok: false, failure: planned.failure };
    changes.push(planned);
  }
  return { ok: true, changes };
}

async function planOp(op: FileOp, cwd: string, view: DiskView): Promise<PlannedChange | { failure: PatchFailure }> {
  const path = resolvePatchPath(cwd, op.path);
  const state = await view.state(path);
  const label = (side: 'a' | 'b', absolute: string) => diffLabel(side, cwd, absolute);
  switch (op.type) {
    case 'add': {
      if (state.kind !== 'file' && state.kind !== 'missing') return refused(state, path, 'add');
      const before = state.kind === 'file' ? state.content : null;
      view.write(path, op.contents);
      return { path, kind: 'add', before, after: op.contents, diff: unifiedDiff(before, op.contents, label('a', path), label('b', path)) };
    }
    case 'delete': {
      if (state.kind !== 'file') return refused(state, path, 'delete');
      view.remove(path);
      return { path, kind: 'delete', before: state.content, after: null, diff: unifiedDiff(state.content, null, label('a', path), label('b', path)) };
    }
    case 'update': {
      if (state.kind !== 'file') return refused(state, path, 'update');
      const applied = applyHunks(state.content, op.hunks, op.eofNewline);
      if (!applied.ok) return { failure: { kind: 'contextNotFound', path, ...applied.failure } };
      const movePath = op.movePath === undefined ? undefined : resolvePatchPath(cwd, op.movePath);
      const target = movePath ?? path;
      if (movePath !== undefined && movePath !== path) {
        const there = await view.state(movePath);
        if (there.kind === 'file' || there.kind === 'notText') return { failure: { kind: 'moveTargetExists', path, movePath } };
        if (there.kind !== 'missing') return refused(there, movePath, 'move');
        view.remove(path);
      }
      view.write(target, applied.content);
      const moved = movePath !== undefined && movePath !== path;
      const change: PlannedChange = { path, kind: 'update', before: state.content, after: applied.content, diff: unifiedDiff(state.content, applied.content, label('a', path), label('b', target), moved) };
      if (moved) change.movePath = movePath;
      return change;
    }
  }
}

function refused(state: Exclude<FileState, { kind: 'file' }>, path: string, op: 'add' | 'update' | 'delete' | 'move'): { failure: PatchFailure } {
  return { failure: refusal(state, path, op) };
}

/** The failure for a path whose state does not allow the operation. */
function refusal(state: Exclude<FileState, { kind: 'file' }>, path: string, op: 'add' | 'update' | 'delete' | 'move'): PatchFailure {
  switch (state.kind) {
    case 'missing':
      return { kind: 'missingFile', path, op: op === 'delete' ? 'delete' : 'update' };
    case 'notDirectory':
      return op === 'update' || op === 'delete' ? { kind: 'missingFile', path, op } : { kind: 'parentNotDirectory', path, ancestor: state.ancestor };
    case 'directory':
      return { kind: 'isDirectory', path, op };
    case 'notText':
      return { kind: 'notText', path, op: op === 'add' || op === 'move' ? 'add' : op };
    case 'unreadable':
      return { kind: 'unreadable', path, message: state.message };
  }
}

/** The disk as the earlier operations of the patch will have left it. */
class DiskView {
  private readonly planned = new Map<string, FileState>();
  private readonly read = new Map<string, Promise<FileState>>();

  constructor(private readonly readFile: ReadFile) {}

  async state(path: string): Promise<FileState> {
    for (const dir of ancestors(path)) {
      const planned = this.planned.get(dir);
      if (planned?.kind === 'file') return { kind: 'notDirectory', ancestor: dir };
      if (planned?.kind === 'directory') break;
    }
    const planned = this.planned.get(path);
    if (planned !== undefined) return planned;
    let onDisk = this.read.get(path);
    if (onDisk === undefined) this.read.set(path, (onDisk = Promise.resolve(this.readFile(path))));
    const state = await onDisk;
    // A file in the way that an earlier operation deletes is no longer in the way.
    if (state.kind === 'notDirectory' && this.planned.get(state.ancestor)?.kind === 'missing') return { kind: 'missing' };
    return state;
  }

  write(path: string, content: string): void {
    this.planned.set(path, { kind: 'file', content });
    for (const dir of ancestors(path)) this.planned.set(dir, { kind: 'directory' });
  }

  remove(path: string): void {
    this.planned.set(path, { kind: 'missing' });
  }
}
