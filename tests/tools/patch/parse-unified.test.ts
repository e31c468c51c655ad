// parseUnifiedDiff as a table: diff text → the same Patch model as `*** Begin Patch`.
import { describe, expect, it } from 'vitest';
import { PatchParseError } from '../../../src/tools/patch/patch-error.js';
import { parseUnifiedDiff } from '../../../src/tools/patch/parse-unified.js';
import type { Patch } from '../../../src/tools/patch/types.js';

const text = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('parseUnifiedDiff', () => {
  it.each<[string, string, Patch]>([
    [
      'a git diff of one file, two hunks, section headings ignored',
      text('diff --git a/src/x.ts b/src/x.ts', 'index 1111111..2222222 100644', '--- a/src/x.ts', '+++ b/src/x.ts', '@@ -1,2 +1,2 @@', ' a', '-b', '+B', '@@ -10 +10,2 @@ function f() {', ' k', '+l'),
      {
        ops: [
          {
            type: 'update',
            path: 'src/x.ts',
            hunks: [
              { headers: [], lines: [{ op: ' ', text: 'a' }, { op: '-', text: 'b' }, { op: '+', text: 'B' }], endOfFile: false, oldStart: 1, patchLine: 5 },
              { headers: [], lines: [{ op: ' ', text: 'k' }, { op: '+', text: 'l' }], endOfFile: false, oldStart: 10, patchLine: 9 },
            ],
          },
        ],
      },
    ],
    [
      'diff -u: plain paths with timestamps',
      text('--- notes.txt\t2024-01-01 00:00:00 +0000', '+++ notes.txt\t2024-01-02 00:00:00 +0000', '@@ -1 +1 @@', '-a', '+b'),
      { ops: [{ type: 'update', path: 'notes.txt', hunks: [{ headers: [], lines: [{ op: '-', text: 'a' }, { op: '+', text: 'b' }], endOfFile: false, oldStart: 1, patchLine: 3 }] }] },
    ],
    ['an added file from /dev/null', text('--- /dev/null', '+++ b/new.txt', '@@ -0,0 +1,2 @@', '+one', '+two'), { ops: [{ type: 'add', path: 'new.txt', contents: 'one\ntwo\n' }] }],
    ['an added file without a final newline', text('--- /dev/null', '+++ b/new.txt', '@@ -0,0 +1 @@', '+one', '\\ No newline at end of file'), { ops: [{ type: 'add', path: 'new.txt', contents: 'one' }] }],
    ['an empty added file: git headers only', text('diff --git a/empty b/empty', 'new file mode 100644', 'index 0000000..e69de29'), { ops: [{ type: 'add', path: 'empty', contents: '' }] }],
    ['a deleted file to /dev/null', text('--- a/old.txt', '+++ /dev/null', '@@ -1,2 +0,0 @@', '-one', '-two'), { ops: [{ type: 'delete', path: 'old.txt' }] }],
    ['a pure rename', text('diff --git a/a.txt b/b.txt', 'similarity index 100%', 'rename from a.txt', 'rename to b.txt'), { ops: [{ type: 'update', path: 'a.txt', movePath: 'b.txt', hunks: [] }] }],
    [
      'a rename with edits',
      text('diff --git a/a.txt b/d/b.txt', 'similarity index 80%', 'rename from a.txt', 'rename to d/b.txt', '--- a/a.txt', '+++ b/d/b.txt', '@@ -1 +1 @@', '-x', '+y'),
      { ops: [{ type: 'update', path: 'a.txt', movePath: 'd/b.txt', hunks: [{ headers: [], lines: [{ op: '-', text: 'x' }, { op: '+', text: 'y' }], endOfFile: false, oldStart: 1, patchLine: 7 }] }] },
    ],
    ['paths with spaces in a git header', text('diff --git a/my file.txt b/my file.txt', 'deleted file mode 100644'), { ops: [{ type: 'delete', path: 'my file.txt' }] }],
    [
      'a rename with spaces, read from rename from/to, with edits',
      text('diff --git a/my file.txt b/your file.txt', 'rename from my file.txt', 'rename to your file.txt', '--- a/my file.txt', '+++ b/your file.txt', '@@ -1 +1 @@', '-x', '+y'),
      { ops: [{ type: 'update', path: 'my file.txt', movePath: 'your file.txt', hunks: [{ headers: [], lines: [{ op: '-', text: 'x' }, { op: '+', text: 'y' }], endOfFile: false, oldStart: 1, patchLine: 6 }] }] },
    ],
    [
      'the new side without a final newline',
      text('--- a/t', '+++ b/t', '@@ -1 +1 @@', '-x', '+y', '\\ No newline at end of file'),
      { ops: [{ type: 'update', path: 't', hunks: [{ headers: [], lines: [{ op: '-', text: 'x' }, { op: '+', text: 'y' }], endOfFile: false, oldStart: 1, patchLine: 3 }], eofNewline: false }] },
    ],
    [
      'the old side without a final newline, the new with one',
      text('--- a/t', '+++ b/t', '@@ -1 +1 @@', '-x', '\\ No newline at end of file', '+x'),
      { ops: [{ type: 'update', path: 't', hunks: [{ headers: [], lines: [{ op: '-', text: 'x' }, { op: '+', text: 'x' }], endOfFile: false, oldStart: 1, patchLine: 3 }], eofNewline: true }] },
    ],
    [
      'a removed line that reads like a header, while the counts still expect it',
      text('--- a/t', '+++ b/t', '@@ -1,2 +1 @@', '--- x', '+++ y'),
      { ops: [{ type: 'update', path: 't', hunks: [{ headers: [], lines: [{ op: '-', text: '-- x' }, { op: '+', text: '++ y' }], endOfFile: false, oldStart: 1, patchLine: 3 }] }] },
    ],
    [
      'an empty line inside the counts is empty context; a miscounted hunk keeps its extra lines',
      text('--- a/t', '+++ b/t', '@@ -1,2 +1,2 @@', ' a', '', '-b', '+c'),
      { ops: [{ type: 'update', path: 't', hunks: [{ headers: [], lines: [{ op: ' ', text: 'a' }, { op: ' ', text: '' }, { op: '-', text: 'b' }, { op: '+', text: 'c' }], endOfFile: false, oldStart: 1, patchLine: 3 }] }] },
    ],
    [
      'two files, prose before and a signature after',
      text('Fix things.', '', '--- a/one', '+++ b/one', '@@ -1 +1 @@', '-1', '+one', '--- a/two', '+++ b/two', '@@ -1 +1 @@', '-2', '+two', '-- ', '2.43.0'),
      {
        ops: [
          { type: 'update', path: 'one', hunks: [{ headers: [], lines: [{ op: '-', text: '1' }, { op: '+', text: 'one' }], endOfFile: false, oldStart: 1, patchLine: 5 }] },
          { type: 'update', path: 'two', hunks: [{ headers: [], lines: [{ op: '-', text: '2' }, { op: '+', text: 'two' }], endOfFile: false, oldStart: 1, patchLine: 10 }] },
        ],
      },
    ],
    ['a quoted git path', text('--- "a/sp ace\\303\\251.txt"', '+++ "b/sp ace\\303\\251.txt"', '@@ -1 +1 @@', '-a', '+b'), { ops: [{ type: 'update', path: 'sp aceé.txt', hunks: [{ headers: [], lines: [{ op: '-', text: 'a' }, { op: '+', text: 'b' }], endOfFile: false, oldStart: 1, patchLine: 3 }] }] }],
    [
      'a mode change only changes nothing',
      text('diff --git a/x b/x', 'old mode 100644', 'new mode 100755', 'diff --git a/y b/y', '--- a/y', '+++ b/y', '@@ -1 +1 @@', '-a', '+b'),
      { ops: [{ type: 'update', path: 'y', hunks: [{ headers: [], lines: [{ op: '-', text: 'a' }, { op: '+', text: 'b' }], endOfFile: false, oldStart: 1, patchLine: 7 }] }] },
    ],
    [
      'an empty new file, then another file without a git header of its own',
      text('diff --git a/empty b/empty', 'new file mode 100644', '--- a/z', '+++ b/z', '@@ -1 +1 @@', '-a', '+b'),
      { ops: [{ type: 'add', path: 'empty', contents: '' }, { type: 'update', path: 'z', hunks: [{ headers: [], lines: [{ op: '-', text: 'a' }, { op: '+', text: 'b' }], endOfFile: false, oldStart: 1, patchLine: 5 }] }] },
    ],
  ])('%s', (_name, diff, expected) => {
    expect(parseUnifiedDiff(diff)).toEqual(expected);
  });

  it.each<[string, string, number, string]>([
    ['no file at all', text('just words'), 1, 'expected a unified diff ("--- a/path", "+++ b/path", then "@@ -l,n +l,n @@" hunks) that changes a file; found none'],
    ['--- without +++', text('--- a/x', '@@ -1 +1 @@'), 2, 'expected "+++ path" after "--- a/x"'],
    ['a hunk before any file', text('@@ -1 +1 @@', '-a'), 1, 'expected "--- path" and "+++ path" before the first hunk'],
    ['a malformed hunk header', text('--- a/x', '+++ b/x', '@@ -one +1 @@', '-a'), 3, 'expected "@@ -start,count +start,count @@", got "@@ -one +1 @@"'],
    ['a hunk header without lines', text('--- a/x', '+++ b/x', '@@ -1 +1 @@', 'trailing prose'), 3, 'expected lines starting with \' \', \'-\' or \'+\' after "@@ -1 +1 @@"'],
    ['both sides /dev/null', text('--- /dev/null', '+++ /dev/null', '@@ -0,0 +1 @@', '+a'), 1, 'expected a file path; both sides are /dev/null'],
    ['a new file with context lines', text('--- /dev/null', '+++ b/n', '@@ -0,0 +1,2 @@', ' a', '+b'), 1, 'expected only added lines in the diff of new file "n", got " a"'],
    ['a binary diff', text('diff --git a/i.png b/i.png', 'Binary files a/i.png and b/i.png differ'), 2, 'expected a text diff; binary diffs cannot be applied ("Binary files a/i.png and b/i.png differ")'],
    ['a copy', text('diff --git a/a b/b', 'copy from a', 'copy to b'), 2, 'expected a change, rename, addition or deletion; copies are not supported ("copy from a")'],
  ])('refuses %s', (_name, diff, line, reason) => {
    let error: unknown;
    try {
      parseUnifiedDiff(diff);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PatchParseError);
    expect({ line: (error as PatchParseError).line, reason: (error as PatchParseError).reason }).toEqual({ line, reason });
  });
});
