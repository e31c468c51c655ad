// A planned change as the protocol's v2 `FileUpdateChange` (the items of a `fileChange` thread
// item), filled the way Codex fills it: an added file's diff is its content, a deleted file's its
// old content, an update's the hunks alone (the path is beside it). Shaped structurally: this
// folder does not import the protocol.
import type { PlannedChange } from './types.js';

export interface FileUpdateChangeShape {
  path: string;
  kind: { type: 'add' } | { type: 'delete' } | { type: 'update'; move_path: string | null };
  diff: string;
}

export function toFileUpdateChange(change: PlannedChange): FileUpdateChangeShape {
  switch (change.kind) {
    case 'add':
      return { path: change.path, kind: { type: 'add' }, diff: change.after ?? '' };
    case 'delete':
      return { path: change.path, kind: { type: 'delete' }, diff: change.before ?? '' };
    case 'update':
      return { path: change.path, kind: { type: 'update', move_path: change.movePath ?? null }, diff: withoutFileHeader(change.diff) };
  }
}

/** A file diff's `@@` hunks without its `---` / `+++` lines. */
function withoutFileHeader(diff: string): string {
  const at = diff.indexOf('@@');
  return at === -1 ? '' : diff.slice(at);
}
