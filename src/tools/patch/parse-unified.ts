// Unified diffs (`diff -u`, `git diff`) parsed into the same Patch model as `*** Begin Patch`:
// `--- a/x` / `+++ b/x` per file, `/dev/null` for an added or deleted file, git's `rename from` /
// `rename to` (a pure rename has no hunks), `\ No newline at end of file`. Hunks are still found
// by their context; the `@@ -l` line number only breaks ties between equal matches. Line counts
// in `@@` headers are honoured where they are right and tolerated where a model got them wrong.
import { PatchParseError, quoteLine } from './patch-error.js';
import type { FileOp, Hunk, HunkLine, Patch } from './types.js';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const GIT_PATHS = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)\s*$/;

interface FileSection {
  line: number;
  oldPath?: string | null;
  newPath?: string | null;
  renameFrom?: string;
  renameTo?: string;
  /** Its `---` / `+++` lines have been read. */
  markers: boolean;
  created: boolean;
  deleted: boolean;
  hunks: Hunk[];
  /** The new side's last line has `\ No newline at end of file` / the old side's had. */
  newNoNewline: boolean;
  oldNoNewline: boolean;
}

export function parseUnifiedDiff(text: string): Patch {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.at(-1) === '') lines.pop();
  const sections: FileSection[] = [];
  let section: FileSection | undefined;
  const newSection = (line: number): FileSection => {
    section = { line, markers: false, created: false, deleted: false, hunks: [], newNoNewline: false, oldNoNewline: false };
    sections.push(section);
    return section;
  };
  let at = 0;
  while (at < lines.length) {
    const line = lines[at]!;
    const lineNumber = at + 1;
    if (line.startsWith('diff --git ')) {
      const current = newSection(lineNumber);
      const [oldPath, newPath] = gitHeaderPaths(line.slice('diff --git '.length));
      if (oldPath !== undefined) current.oldPath = oldPath;
      if (newPath !== undefined) current.newPath = newPath;
    } else if (line.startsWith('--- ') && lines[at + 1]?.startsWith('+++ ')) {
      const [oldPath, newPath] = filePaths(line.slice(4), lines[at + 1]!.slice(4));
      // After `diff --git`, the same file's `---` / `+++`; otherwise a new file.
      const matches = (path: string | null, known: string | null | undefined) => path === null || known === undefined || path === known;
      const sameFile = section !== undefined && section.hunks.length === 0 && !section.markers && matches(oldPath, section.renameFrom ?? section.oldPath) && matches(newPath, section.renameTo ?? section.newPath);
      const current = sameFile ? section! : newSection(lineNumber);
      current.oldPath = oldPath;
      current.newPath = newPath;
      current.markers = true;
      at++;
    } else if (line.startsWith('--- ')) {
      throw new PatchParseError(lineNumber + 1, `expected ${quoteLine('+++ path')} after ${quoteLine(line)}`);
    } else if (line.startsWith('@@')) {
      if (section === undefined) throw new PatchParseError(lineNumber, `expected ${quoteLine('--- path')} and ${quoteLine('+++ path')} before the first hunk`);
      at = readHunk(lines, at, section);
      continue;
    } else if (section !== undefined && section.hunks.length === 0) {
      gitExtendedHeader(line, lineNumber, section);
    }
    at++;
  }
  const ops = sections.flatMap((each) => fileOp(each));
  if (ops.length === 0) throw new PatchParseError(1, `expected a unified diff (${quoteLine('--- a/path')}, ${quoteLine('+++ b/path')}, then ${quoteLine('@@ -l,n +l,n @@')} hunks) that changes a file; found none`);
  return { ops };
}

/** A git extended header line (or anything else between files, which is ignored). */
function gitExtendedHeader(line: string, lineNumber: number, section: FileSection): void {
  if (line.startsWith('new file mode')) section.created = true;
  else if (line.startsWith('deleted file mode')) section.deleted = true;
  else if (line.startsWith('rename from ')) section.renameFrom = unquote(line.slice('rename from '.length));
  else if (line.startsWith('rename to ')) section.renameTo = unquote(line.slice('rename to '.length));
  else if (line.startsWith('copy from ') || line.startsWith('copy to ')) throw new PatchParseError(lineNumber, `expected a change, rename, addition or deletion; copies are not supported (${quoteLine(line)})`);
  else if (line.startsWith('Binary files ') || line === 'GIT binary patch') throw new PatchParseError(lineNumber, `expected a text diff; binary diffs cannot be applied (${quoteLine(line)})`);
}

/** Reads the hunk at `lines[start]` into `section`; returns the index after it. */
function readHunk(lines: string[], start: number, section: FileSection): number {
  const header = HUNK_HEADER.exec(lines[start]!);
  if (header === null) throw new PatchParseError(start + 1, `expected ${quoteLine('@@ -start,count +start,count @@')}, got ${quoteLine(lines[start]!)}`);
  let oldLeft = header[2] === undefined ? 1 : Number(header[2]);
  let newLeft = header[4] === undefined ? 1 : Number(header[4]);
  const hunk: Hunk = { headers: [], lines: [], endOfFile: false, oldStart: Number(header[1]), patchLine: start + 1 };
  let last: HunkLine['op'] | undefined;
  let at = start + 1;
  for (; at < lines.length; at++) {
    const line = lines[at]!;
    if (line.startsWith('\\')) {
      // `\ No newline at end of file` belongs to the line before it.
      if (last === '+' || last === ' ') section.newNoNewline = true;
      if (last === '-' || last === ' ') section.oldNoNewline = true;
      continue;
    }
    const due = oldLeft > 0 || newLeft > 0;
    if (line === '') {
      // An empty context line whose space a tool stripped, where the header says both sides
      // still have lines due; otherwise a blank line after the hunk.
      if (oldLeft > 0 && newLeft > 0) {
        push(' ', '');
        continue;
      }
      break;
    }
    const op = line[0];
    if (op !== ' ' && op !== '-' && op !== '+') break;
    const nextFile = line.startsWith('--- ') && lines[at + 1]?.startsWith('+++ ') === true;
    // Past the header's counts, more hunk lines are taken (a model miscounted), but not the next
    // file's header nor an email signature (`-- `).
    if (due ? nextFile && oldLeft <= 0 : nextFile || line === '-- ') break;
    push(op, line.slice(1));
  }
  if (hunk.lines.length === 0) throw new PatchParseError(start + 1, `expected lines starting with ' ', '-' or '+' after ${quoteLine(lines[start]!)}`);
  section.hunks.push(hunk);
  return at;

  function push(op: HunkLine['op'], text: string): void {
    hunk.lines.push({ op, text });
    if (op !== '+') oldLeft--;
    if (op !== '-') newLeft--;
    last = op;
    section.newNoNewline = false;
    if (op !== '+') section.oldNoNewline = false;
  }
}

function fileOp(section: FileSection): FileOp[] {
  const oldPath = section.renameFrom ?? section.oldPath;
  const newPath = section.renameTo ?? section.newPath;
  if (oldPath == null && newPath == null) throw new PatchParseError(section.line, 'expected a file path; both sides are /dev/null');
  if (section.created || oldPath === null) {
    const path = newPath!;
    const lines = section.hunks.flatMap((hunk) => hunk.lines);
    const stray = lines.find((line) => line.op !== '+');
    if (stray !== undefined) throw new PatchParseError(section.line, `expected only added lines in the diff of new file ${quoteLine(path)}, got ${quoteLine(stray.op + stray.text)}`);
    const contents = lines.map((line) => `${line.text}\n`).join('');
    return [{ type: 'add', path, contents: section.newNoNewline && contents !== '' ? contents.slice(0, -1) : contents }];
  }
  if (section.deleted || newPath === null) return [{ type: 'delete', path: oldPath! }];
  const op: FileOp = { type: 'update', path: oldPath!, hunks: section.hunks };
  if (newPath !== undefined && newPath !== oldPath) op.movePath = newPath;
  if (section.hunks.length === 0 && op.movePath === undefined) return []; // a mode change only
  if (section.newNoNewline) op.eofNewline = false;
  else if (section.oldNoNewline) op.eofNewline = true;
  return [op];
}

/** The two paths of a `---` / `+++` pair: /dev/null as null, git's a/ and b/ prefixes off. */
function filePaths(oldField: string, newField: string): [string | null, string | null] {
  const oldPath = fieldPath(oldField);
  const newPath = fieldPath(newField);
  const gitStyle = (oldPath === null || oldPath.startsWith('a/')) && (newPath === null || newPath.startsWith('b/'));
  if (!gitStyle) return [oldPath, newPath];
  return [oldPath === null ? null : oldPath.slice(2), newPath === null ? null : newPath.slice(2)];
}

function fieldPath(field: string): string | null {
  // `--- path<TAB>timestamp`, as diff -u writes it.
  const path = unquote(field.startsWith('"') ? field.trim() : field.split('\t')[0]!.trimEnd());
  return path === '/dev/null' ? null : path;
}

/**
 * The two paths of `diff --git a/x b/x`. Git leaves spaces unquoted, so `a/my file b/my file`
 * splits where both halves name the same file; a rename with spaces is read from its `rename
 * from` / `rename to` lines instead (undefined here).
 */
function gitHeaderPaths(rest: string): [string | undefined, string | undefined] {
  const both = GIT_PATHS.exec(rest);
  if (both !== null) return [stripPrefix(unquote(both[1]!), 'a/'), stripPrefix(unquote(both[2]!), 'b/')];
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ' && rest.startsWith('a/') && rest.slice(half + 1).startsWith('b/') && rest.slice(2, half) === rest.slice(half + 3)) {
    const same = rest.slice(2, half);
    return [same, same];
  }
  return [undefined, undefined];
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** Git quotes paths with unusual characters C-style: "a/tab\there". */
function unquote(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"') || path.length < 2) return path;
  const escapes: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', r: '\r', v: '\v' };
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[++index] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(index, index + 3));
    if (octal !== null) {
      bytes.push(parseInt(octal[0], 8));
      index += 2;
    } else bytes.push(...Buffer.from(escapes[next] ?? next, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
