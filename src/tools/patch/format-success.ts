// What the model reads after a patch applied, in Codex's words (its apply_patch prints the
// same): one line per file, A added, M modified (a move names where the file went), D deleted.
import { displayPath } from './paths.js';
import type { PlannedChange } from './types.js';

export function formatPatchSuccess(changes: readonly PlannedChange[], root?: string): string {
  const show = (absolute: string) => (root === undefined ? absolute : displayPath(root, absolute));
  const lines = changes.map((change) => {
    if (change.kind === 'add') return `A ${show(change.path)}`;
    if (change.kind === 'delete') return `D ${show(change.path)}`;
    return `M ${show(change.movePath ?? change.path)}`;
  });
  return `Success. Updated the following files:\n${lines.join('\n')}\n`;
}
