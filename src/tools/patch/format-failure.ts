// A patch failure in words for the model: which file, which hunk, why, and the file's current
// lines where the hunk was looked for, so the next attempt can be right. Paths are shown relative
// to `root` (the turn's working directory) when they lie inside it.
import { displayPath } from './paths.js';
import type { PatchFailure } from './types.js';

const NOTHING_CHANGED = 'Nothing was changed.';

export function formatPatchFailure(failure: PatchFailure, root?: string): string {
  const show = (absolute: string) => (root === undefined ? absolute : displayPath(root, absolute));
  switch (failure.kind) {
    case 'parse':
      return `The patch could not be read: line ${failure.line}: ${failure.message}. ${NOTHING_CHANGED}`;
    case 'missingFile':
      return failure.op === 'delete'
        ? `${show(failure.path)}: the file to delete does not exist. ${NOTHING_CHANGED}`
        : `${show(failure.path)}: the file to update does not exist. ${NOTHING_CHANGED} To create it, use '*** Add File: ${show(failure.path)}'.`;
    case 'isDirectory':
      return `${show(failure.path)} is a directory, not a file, so it cannot be ${pastTense(failure.op)}. ${NOTHING_CHANGED}`;
    case 'notText':
      return `${show(failure.path)} is not a UTF-8 text file; patches do not ${failure.op === 'add' ? 'overwrite' : failure.op} binary files. ${NOTHING_CHANGED}`;
    case 'parentNotDirectory':
      return `${show(failure.path)} cannot be written: ${show(failure.ancestor)} is a file, not a directory. ${NOTHING_CHANGED}`;
    case 'unreadable':
      return `${show(failure.path)} could not be read: ${failure.message}. ${NOTHING_CHANGED}`;
    case 'moveTargetExists':
      return `${show(failure.path)} cannot be moved to ${show(failure.movePath)}: that file already exists. ${NOTHING_CHANGED} To replace it, delete it in the same patch first ('*** Delete File: ${show(failure.movePath)}' before the update).`;
    case 'stale':
      return `${show(failure.path)} changed on disk after the patch was checked. ${NOTHING_CHANGED} Read it again and resend the patch.`;
    case 'writeFailed': {
      const restored = failure.restored.length === 0 ? '' : ` Put back as they were: ${failure.restored.map(show).join(', ')}.`;
      const lost = failure.notRestored.map((each) => ` Could not put back ${show(each.path)}: ${each.message}.`).join('');
      return `Writing ${show(failure.path)} failed: ${failure.message}. The patch was not applied.${restored}${lost}`;
    }
    case 'contextNotFound':
      return contextNotFound(failure, show(failure.path));
  }
}

function pastTense(op: 'add' | 'update' | 'delete' | 'move'): string {
  return { add: 'written', update: 'updated', delete: 'deleted', move: 'the target of a move' }[op];
}

function contextNotFound(failure: Extract<PatchFailure, { kind: 'contextNotFound' }>, shown: string): string {
  const what = failure.sought === 'header' ? `its header line '@@ ${failure.expected[0]}' was not found` : `its context and removed lines were not found${failure.endOfFile ? ' at the end of the file' : ''}`;
  const parts = [
    `${shown}: hunk ${failure.hunk} of ${failure.hunks} (patch line ${failure.patchLine}) did not apply: ${what} at or after line ${failure.searchedFrom}, exactly or ignoring whitespace. ${NOTHING_CHANGED}`,
    `The hunk:\n${failure.hunkText}`,
  ];
  const nearest = failure.nearest;
  if (nearest === undefined) parts.push('Nothing in the file resembles these lines.');
  else if (nearest.firstDifference === undefined && nearest.line < failure.searchedFrom) {
    parts.push(`These lines are at line ${nearest.line}, before where this hunk was sought: hunks must be in file order.`);
  } else if (nearest.firstDifference === undefined && failure.endOfFile) {
    parts.push(`These lines are at line ${nearest.line}, not at the end of the file as '*** End of File' says.`);
  } else {
    const where = nearest.line < failure.searchedFrom ? ' (before where this hunk was sought: hunks must be in file order)' : '';
    const count = nearest.matching > 0 ? ` (${nearest.matching} of ${failure.expected.length} lines match)` : '';
    let text = `The closest match starts at line ${nearest.line}${count}${where}.`;
    const difference = nearest.firstDifference;
    if (difference !== undefined) {
      const actual = difference.actual === null ? '(the end of the file)' : difference.actual;
      text += `\nLine ${difference.line} differs:\n  expected: ${difference.expected}\n  actual:   ${actual}`;
    }
    parts.push(text);
  }
  const { start, lines } = failure.excerpt;
  const last = start + lines.length - 1;
  const width = String(Math.max(last, 1)).length;
  const marked = failure.nearest?.firstDifference?.line;
  const numbered = lines.map((line, index) => `${start + index === marked ? '>' : ' '}${String(start + index).padStart(width)} | ${line}`);
  const span = last === start ? `line ${start}` : `lines ${start}-${last}`;
  parts.push(lines.length === 0 ? `${shown} is empty.` : `${shown} now has, ${span}:\n${numbered.join('\n')}`);
  parts.push('Re-read the file if needed, then resend the patch with its context lines copied exactly as they are now.');
  return parts.join('\n\n');
}
