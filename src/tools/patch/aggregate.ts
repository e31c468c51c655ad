// The turn's diff (`turn/diff/updated`): one git-style unified diff of every file the turn's
// patches changed, from each file's content before the turn's first change to it to its content
// now. A file changed twice shows once; a file added then deleted, or changed and changed back,
// not at all; a move shows as a rename (with its edits) while the source's content is intact
// up to that move. Files in path order, as git prints them.
import { unifiedHunks } from './diff.js';
import { diffLabel } from './paths.js';
import type { PlannedChange } from './types.js';

export function aggregateDiff(changes: readonly PlannedChange[], root: string): string {
  const baseline = new Map<string, string | null>();
  const current = new Map<string, string | null>();
  /** Path now → the path whose content it carries since the turn began, after moves. */
  const origin = new Map<string, string>();
  const see = (file: string, before: string | null) => {
    if (baseline.has(file)) return;
    baseline.set(file, before);
    current.set(file, before);
  };
  for (const change of changes) {
    see(change.path, change.before);
    if (change.movePath !== undefined) {
      see(change.movePath, null);
      current.set(change.path, null);
      current.set(change.movePath, change.after);
      origin.set(change.movePath, origin.get(change.path) ?? change.path);
      origin.delete(change.path);
    } else {
      current.set(change.path, change.after);
      // An update in place carries the content on; an add or delete ends what came before.
      if (change.kind !== 'update') origin.delete(change.path);
    }
  }

  const sections: Array<{ key: string; text: string }> = [];
  const done = new Set<string>();
  for (const [to, from] of origin) {
    if (from === to || baseline.get(to) !== null || current.get(from) !== null || baseline.get(from) == null || current.get(to) == null) continue;
    done.add(from).add(to);
    sections.push({ key: diffLabel('b', root, to), text: fileSection(root, from, to, baseline.get(from)!, current.get(to)!) });
  }
  for (const [file, before] of baseline) {
    const after = current.get(file)!;
    if (done.has(file) || before === after) continue;
    sections.push({ key: diffLabel('b', root, file), text: fileSection(root, file, file, before, after) });
  }
  return sections
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((section) => section.text)
    .join('');
}

function fileSection(root: string, from: string, to: string, before: string | null, after: string | null): string {
  const oldLabel = diffLabel('a', root, from);
  const newLabel = diffLabel('b', root, to);
  let text = `diff --git ${oldLabel} ${newLabel}\n`;
  if (before === null) text += 'new file mode 100644\n';
  else if (after === null) text += 'deleted file mode 100644\n';
  else if (from !== to) text += `rename from ${diffLabel('a', root, from).replace(/^a\//, '')}\nrename to ${newLabel.replace(/^b\//, '')}\n`;
  const hunks = unifiedHunks(before ?? '', after ?? '');
  if (hunks === '') return text;
  return `${text}--- ${before === null ? '/dev/null' : oldLabel}\n+++ ${after === null ? '/dev/null' : newLabel}\n${hunks}`;
}
