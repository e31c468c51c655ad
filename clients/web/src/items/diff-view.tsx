// A file change as a diff, the way the protocol carries it (Codex's FileUpdateChange): an added
// file's `diff` is its whole content, a deleted file's its old content, an update's the `@@` hunks
// alone. Hunks are parsed with the `diff` library; every line gets its old and new number.
import { parsePatch } from 'diff';
import type { ThreadItem } from '../../../../generated/protocol.js';

export type FileChange = Extract<ThreadItem, { type: 'fileChange' }>['changes'][number];

interface DiffLine {
  kind: 'add' | 'del' | 'ctx' | 'hunk';
  text: string;
  oldNo: number | null;
  newNo: number | null;
}

export function diffLines(change: FileChange): DiffLine[] {
  if (change.kind.type !== 'update') {
    const kind = change.kind.type === 'add' ? 'add' : 'del';
    const body = change.diff.endsWith('\n') ? change.diff.slice(0, -1) : change.diff;
    if (body === '') return [];
    return body.split('\n').map((text, i) => ({ kind, text, oldNo: kind === 'del' ? i + 1 : null, newNo: kind === 'add' ? i + 1 : null }));
  }
  const lines: DiffLine[] = [];
  for (const patch of parsePatch(change.diff)) {
    for (const hunk of patch.hunks) {
      lines.push({ kind: 'hunk', text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, oldNo: null, newNo: null });
      let oldNo = hunk.oldStart;
      let newNo = hunk.newStart;
      for (const line of hunk.lines) {
        const mark = line[0];
        const text = line.slice(1);
        if (mark === '+') lines.push({ kind: 'add', text, oldNo: null, newNo: newNo++ });
        else if (mark === '-') lines.push({ kind: 'del', text, oldNo: oldNo++, newNo: null });
        else if (mark === ' ') lines.push({ kind: 'ctx', text, oldNo: oldNo++, newNo: newNo++ });
      }
    }
  }
  return lines;
}

const KIND_LABEL = { add: 'added', delete: 'deleted', update: 'updated' } as const;

export function DiffView({ change }: { change: FileChange }) {
  const lines = diffLines(change);
  const moved = change.kind.type === 'update' && change.kind.move_path ? ` → ${change.kind.move_path}` : '';
  return (
    <figure class="diff" data-path={change.path}>
      <figcaption>
        <span class={`diff-kind diff-kind-${change.kind.type}`}>{KIND_LABEL[change.kind.type]}</span> <code>{change.path + moved}</code>
      </figcaption>
      <table aria-label={`Diff of ${change.path}`}>
        <tbody>
          {lines.map((line, i) => (
            <tr key={i} class={`diff-${line.kind}`}>
              <td class="diff-no" aria-hidden="true">{line.oldNo ?? ''}</td>
              <td class="diff-no" aria-hidden="true">{line.newNo ?? ''}</td>
              <td class="diff-text">
                <span class="diff-mark">{line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : line.kind === 'hunk' ? '' : ' '}</span>
                {line.text}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
