// Codex's apply_patch format, parsed into the one Patch model:
//
//   *** Begin Patch
//   *** Add File: path          then every line prefixed `+`
//   *** Delete File: path
//   *** Update File: path
//   *** Move to: path           optional, right after Update File
//   @@ optional header          a line to seek first (class/function); several in a row narrow it
//    context / -removed / +added
//   *** End of File             optional: the hunk's old lines end the file
//   *** End Patch
//
// Leniencies, as Codex's own parser has them: whitespace around marker lines; a `<<'EOF'` … `EOF`
// wrapper left on the text; a first hunk without `@@`; an empty line inside a hunk is an empty
// context line. Ours besides: several `@@` lines in a row (the tool instructions describe them;
// Codex's parser refuses them); a unified `@@ -l,n +l,n @@` header read as a bare `@@` with a line
// hint; an Update File with only a Move to (a pure move); CRLF patch text.
import { PatchParseError, quoteLine } from './patch-error.js';
import type { FileOp, Hunk, Patch } from './types.js';

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File:';
const DELETE = '*** Delete File:';
const UPDATE = '*** Update File:';
const MOVE = '*** Move to:';
const END_OF_FILE = '*** End of File';
const MARKERS = [BEGIN, END, ADD, DELETE, UPDATE, MOVE, END_OF_FILE];
const HEREDOC_OPENERS = new Set(['<<EOF', "<<'EOF'", '<<"EOF"']);
const UNIFIED_RANGE = /^-(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/;

/** Parses a `*** Begin Patch` text; throws `PatchParseError` naming the line and what it expected. */
export function parsePatch(text: string): Patch {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  let first = lines.findIndex((line) => line.trim() !== '');
  let last = findLastIndex(lines, (line) => line.trim() !== '');
  if (first === -1) throw new PatchParseError(1, `expected ${quoteLine(BEGIN)}, got an empty patch`);
  if (HEREDOC_OPENERS.has(lines[first]!.trim()) && last > first && lines[last]!.trim().endsWith('EOF')) {
    first = lines.findIndex((line, index) => index > first && line.trim() !== '');
    last = findLastIndex(lines, (line, index) => index < last && line.trim() !== '');
    if (first === -1 || last < first) throw new PatchParseError(1, `expected ${quoteLine(BEGIN)} inside the heredoc`);
  }
  if (lines[first]!.trim() !== BEGIN) {
    throw new PatchParseError(first + 1, `expected ${quoteLine(BEGIN)} as the first line, got ${quoteLine(lines[first]!)}`);
  }
  if (last === first || lines[last]!.trim() !== END) {
    throw new PatchParseError(last + 1, `expected ${quoteLine(END)} as the last line, got ${quoteLine(lines[last]!)}`);
  }
  const ops = new Parser(lines, first + 1, last).fileOps();
  if (ops.length === 0) throw new PatchParseError(last + 1, `expected a file operation (${ADD}, ${DELETE} or ${UPDATE}) before ${quoteLine(END)}`);
  return { ops };
}

function findLastIndex<T>(items: T[], test: (item: T, index: number) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (test(items[index]!, index)) return index;
  return -1;
}

function isMarker(line: string): boolean {
  const trimmed = line.trim();
  return MARKERS.some((marker) => trimmed.startsWith(marker));
}

/** `*** Add File: path` → `path`; undefined when the line is another marker. */
function markerPath(line: string, marker: string, lineNumber: number): string | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith(marker)) return undefined;
  const path = trimmed.slice(marker.length).trim();
  if (path === '') throw new PatchParseError(lineNumber, `expected a path after ${quoteLine(marker)}`);
  return path;
}

class Parser {
  private at: number;

  /** Parses `lines[from, end)`: the body between the Begin and End markers. */
  constructor(
    private readonly lines: string[],
    from: number,
    private readonly end: number,
  ) {
    this.at = from;
  }

  fileOps(): FileOp[] {
    const ops: FileOp[] = [];
    while (this.at < this.end) {
      const line = this.lines[this.at]!;
      const lineNumber = this.at + 1;
      if (line.trim() === '') {
        this.at++;
        continue;
      }
      let path: string | undefined;
      if ((path = markerPath(line, ADD, lineNumber)) !== undefined) {
        this.at++;
        ops.push({ type: 'add', path, contents: this.addedLines() });
      } else if ((path = markerPath(line, DELETE, lineNumber)) !== undefined) {
        this.at++;
        ops.push({ type: 'delete', path });
      } else if ((path = markerPath(line, UPDATE, lineNumber)) !== undefined) {
        this.at++;
        ops.push(this.update(path, lineNumber));
      } else if (line.trim().startsWith(MOVE)) {
        throw new PatchParseError(lineNumber, `expected ${quoteLine(MOVE)} only right after ${quoteLine(`${UPDATE} path`)}`);
      } else if (line.trim() === END) {
        throw new PatchParseError(lineNumber, `expected ${quoteLine(END)} only as the last line; more follows it`);
      } else {
        throw new PatchParseError(lineNumber, `expected a file operation (${quoteLine(`${ADD} path`)}, ${quoteLine(`${DELETE} path`)} or ${quoteLine(`${UPDATE} path`)}), got ${quoteLine(line)}`);
      }
    }
    return ops;
  }

  /** The `+` lines of an Add File, as the file's contents (each line ends with a newline). */
  private addedLines(): string {
    let contents = '';
    while (this.at < this.end) {
      const line = this.lines[this.at]!;
      if (line.startsWith('+')) {
        contents += `${line.slice(1)}\n`;
        this.at++;
        continue;
      }
      if (line.trim() === '' && this.nextNonBlankStartsWithPlus()) {
        throw new PatchParseError(this.at + 1, `expected '+' before every line of an added file (an empty line is written '+'), got an empty line`);
      }
      if (line.trim() !== '' && !isMarker(line)) {
        throw new PatchParseError(this.at + 1, `expected '+' before every line of an added file, got ${quoteLine(line)}`);
      }
      break;
    }
    return contents;
  }

  private nextNonBlankStartsWithPlus(): boolean {
    for (let index = this.at; index < this.end; index++) {
      const line = this.lines[index]!;
      if (line.trim() !== '') return line.startsWith('+');
    }
    return false;
  }

  private update(path: string, headerLine: number): FileOp {
    let movePath: string | undefined;
    const next = this.lines[this.at];
    if (this.at < this.end && next !== undefined && (movePath = markerPath(next, MOVE, this.at + 1)) !== undefined) this.at++;
    const hunks = this.hunks();
    if (hunks.length === 0 && movePath === undefined) {
      throw new PatchParseError(headerLine, `expected hunks ('@@' then lines starting with ' ', '-' or '+') or ${quoteLine(`${MOVE} path`)} after ${quoteLine(`${UPDATE} ${path}`)}`);
    }
    return movePath === undefined ? { type: 'update', path, hunks } : { type: 'update', path, movePath, hunks };
  }

  private hunks(): Hunk[] {
    const hunks: Hunk[] = [];
    let current: Hunk | undefined;
    // Bare empty lines at the end of the current hunk: they separate it from the next hunk rather
    // than stand for empty context lines, so closing the hunk drops them.
    let blankTail = 0;
    const close = () => {
      if (current === undefined) return;
      current.lines.splice(current.lines.length - blankTail);
      blankTail = 0;
      if (current.lines.length === 0) throw new PatchParseError(current.patchLine, `expected lines starting with ' ', '-' or '+' after ${quoteLine(this.lines[current.patchLine - 1]!.trim())}`);
      hunks.push(current);
      current = undefined;
    };
    while (this.at < this.end) {
      const line = this.lines[this.at]!;
      const trimmed = line.trim();
      const lineNumber = this.at + 1;
      // Inside hunks, markers and `@@` start at the first column (as in Codex): a line that
      // starts with a space is context, whatever follows.
      if (line.trimEnd() === END_OF_FILE) {
        if (current === undefined || current.lines.length === blankTail) throw new PatchParseError(lineNumber, `expected ${quoteLine(END_OF_FILE)} only after a hunk's lines`);
        current.endOfFile = true;
        close();
      } else if (line.startsWith('*') && isMarker(line)) {
        break;
      } else if (line.trimEnd() === '@@' || line.startsWith('@@ ')) {
        const header = trimmed.slice(2).trim();
        const range = UNIFIED_RANGE.exec(header);
        if (current !== undefined && current.lines.length === 0) {
          if (header !== '' && range === null) current.headers.push(header);
        } else {
          close();
          current = { headers: header === '' || range !== null ? [] : [header], lines: [], endOfFile: false, patchLine: lineNumber };
          if (range !== null) current.oldStart = Number(range[1]);
        }
      } else if (trimmed === '' && !line.startsWith(' ')) {
        // An empty line inside a hunk is an empty context line; between hunks it is nothing.
        if (current !== undefined) {
          current.lines.push({ op: ' ', text: '' });
          blankTail++;
        }
      } else if (line.startsWith(' ') || line.startsWith('-') || line.startsWith('+')) {
        if (current === undefined) {
          if (hunks.length > 0) throw new PatchParseError(lineNumber, `expected '@@' to start the next hunk, got ${quoteLine(line)}`);
          current = { headers: [], lines: [], endOfFile: false, patchLine: lineNumber };
        }
        current.lines.push({ op: line[0] as ' ' | '-' | '+', text: line.slice(1) });
        blankTail = 0;
      } else {
        const hint = trimmed.startsWith('*') || trimmed.startsWith('@') ? '' : ' (a context line keeps its leading space)';
        throw new PatchParseError(lineNumber, `expected a hunk line starting with ' ' (context), '-' (removed) or '+' (added), an '@@' header, or a '***' marker; got ${quoteLine(line)}${hint}`);
      }
      this.at++;
    }
    close();
    return hunks;
  }
}
