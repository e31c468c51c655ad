// Undoing applied changes from their before-images: the inverse of each change, newest first,
// planned like any patch — so `applyPlanned` writes the revert all or nothing, and refuses it
// (stale) if a file has changed since the changes were written.
import { unifiedDiff } from './diff.js';
import { diffLabel } from './paths.js';
import type { PlannedChange } from './types.js';

export function revertChanges(changes: readonly PlannedChange[], root: string): PlannedChange[] {
  const label = (side: 'a' | 'b', absolute: string) => diffLabel(side, root, absolute);
  return [...changes].reverse().map((change): PlannedChange => {
    const at = change.movePath ?? change.path;
    const diff = unifiedDiff(change.after, change.before, label('a', at), label('b', change.path), change.movePath !== undefined);
    if (change.before === null) return { path: at, kind: 'delete', before: change.after, after: null, diff };
    if (change.after === null) return { path: change.path, kind: 'add', before: null, after: change.before, diff };
    const inverse: PlannedChange = { path: at, kind: 'update', before: change.after, after: change.before, diff };
    if (change.movePath !== undefined) inverse.movePath = change.path;
    return inverse;
  });
}
