// One file's update hunks applied to its text, in memory. Hunks are sought in order, each after
// the previous one (and after its own `@@` headers); the first match wins, or for a unified diff
// the match nearest its stated line. Context lines keep the file's own text (a whitespace-tolerant
// match does not rewrite them), every untouched line keeps its ending, added lines take the
// file's, and the end of the file keeps or lacks its newline as before unless the patch says.
import { endsWithNewline, splitLines, type Ending } from './lines.js';
import { nearestMatch, seekLines } from './seek.js';
import type { Excerpt, Hunk, HunkLine, PatchFailure } from './types.js';

type ContextNotFound = Extract<PatchFailure, { kind: 'contextNotFound' }>;
export type HunkFailure = Omit<ContextNotFound, 'kind' | 'path'>;

interface Edit {
  at: number;
  remove: number;
  lines: HunkLine[];
}

const EXCERPT_AROUND = 3;
const WHOLE_FILE_EXCERPT = 20;

export function applyHunks(content: string, hunks: readonly Hunk[], eofNewline?: boolean): { ok: true; content: string } | { ok: false; failure: HunkFailure } {
  const file = splitLines(content);
  const { texts } = file;
  const edits: Edit[] = [];
  let cursor = 0;
  for (const [index, hunk] of hunks.entries()) {
    const fail = (sought: 'header' | 'lines', expected: string[]) => ({ ok: false as const, failure: hunkFailure(texts, hunks, index, sought, expected, cursor) });
    for (const header of hunk.headers) {
      const at = seekLines(texts, [header], cursor);
      if (at === undefined) return fail('header', [header]);
      cursor = at + 1;
    }
    let lines = hunk.lines;
    const old = oldLines(lines);
    if (old.length === 0) {
      const anchored = hunk.headers.length > 0 || hunk.oldStart !== undefined;
      // A pure addition goes after its header or at its stated line; without either, at the end
      // of the file (as Codex does).
      const at = hunk.endOfFile || !anchored ? texts.length : Math.min(texts.length, Math.max(cursor, hunk.oldStart ?? cursor));
      edits.push({ at, remove: 0, lines });
      if (anchored) cursor = at;
      continue;
    }
    const near = hunk.oldStart === undefined ? undefined : hunk.oldStart - 1;
    let at = seekLines(texts, old, cursor, { endOfFile: hunk.endOfFile, near });
    if (at === undefined && lines.at(-1)?.op === ' ' && lines.at(-1)?.text === '') {
      // A trailing empty context line often stands for the file's final newline (Codex retries too).
      lines = trimTrailingEmptyContext(lines);
      at = seekLines(texts, oldLines(lines), cursor, { endOfFile: hunk.endOfFile, near });
    }
    if (at === undefined) return fail('lines', old);
    const remove = oldLines(lines).length;
    edits.push({ at, remove, lines });
    cursor = at + remove;
  }
  return { ok: true, content: render(file.texts, file.endings, file.eol, edits, eofNewline ?? endsWithNewline(content)) };
}

function oldLines(lines: readonly HunkLine[]): string[] {
  return lines.filter((line) => line.op !== '+').map((line) => line.text);
}

function trimTrailingEmptyContext(lines: readonly HunkLine[]): HunkLine[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.op === ' ' && lines[end - 1]!.text === '') end--;
  return lines.slice(0, end);
}

function render(texts: string[], endings: Ending[], eol: '\n' | '\r\n', edits: Edit[], finalNewline: boolean): string {
  const out: Array<{ text: string; ending: Ending | null }> = [];
  let position = 0;
  // Stable: an end-of-file addition recorded before a later hunk still lands after it.
  const ordered = [...edits].sort((a, b) => a.at - b.at);
  for (const edit of ordered) {
    for (; position < edit.at; position++) out.push({ text: texts[position]!, ending: endings[position]! });
    for (const line of edit.lines) {
      if (line.op === '+') out.push({ text: line.text, ending: null });
      else {
        if (line.op === ' ') out.push({ text: texts[position]!, ending: endings[position]! });
        position++;
      }
    }
  }
  for (; position < texts.length; position++) out.push({ text: texts[position]!, ending: endings[position]! });
  return out
    .map(({ text, ending }, index) => {
      if (index < out.length - 1) return text + (ending || eol);
      if (ending === null) return text + (finalNewline ? eol : '');
      return text + (finalNewline ? ending || eol : '');
    })
    .join('');
}

function hunkFailure(texts: string[], hunks: readonly Hunk[], index: number, sought: 'header' | 'lines', expected: string[], cursor: number): HunkFailure {
  const hunk = hunks[index]!;
  const nearest = nearestMatch(texts, expected);
  const failure: HunkFailure = {
    hunk: index + 1,
    hunks: hunks.length,
    patchLine: hunk.patchLine,
    sought,
    expected,
    hunkText: hunkText(hunk),
    searchedFrom: Math.min(cursor, texts.length) + 1,
    excerpt: excerpt(texts, nearest === undefined ? cursor : nearest.line - 1, nearest === undefined ? 1 : expected.length),
    endOfFile: hunk.endOfFile,
  };
  if (nearest !== undefined) failure.nearest = nearest;
  return failure;
}

/** The file's lines around [at, at + length), a few either side; a short file whole. */
function excerpt(texts: string[], at: number, length: number): Excerpt {
  if (texts.length <= WHOLE_FILE_EXCERPT) return { start: 1, lines: texts.slice() };
  const start = Math.max(0, Math.min(at, texts.length - 1) - EXCERPT_AROUND);
  const end = Math.min(texts.length, at + length + EXCERPT_AROUND);
  return { start: start + 1, lines: texts.slice(start, end) };
}

/** The hunk as a `*** Begin Patch` hunk, for the model to compare with the file. */
export function hunkText(hunk: Hunk): string {
  const headers = hunk.headers.length > 0 ? hunk.headers.map((header) => `@@ ${header}`) : ['@@'];
  const lines = hunk.lines.map((line) => line.op + line.text);
  return [...headers, ...lines, ...(hunk.endOfFile ? ['*** End of File'] : [])].join('\n');
}
