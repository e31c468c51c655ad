// parsePatch as a table: `*** Begin Patch` text → the whole Patch, or the error's line and words.
import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../../src/tools/patch/parse-patch.js';
import { PatchParseError } from '../../../src/tools/patch/patch-error.js';
import type { Patch } from '../../../src/tools/patch/types.js';

const patch = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

describe('parsePatch', () => {
  it.each<[string, string, Patch]>([
    ['an added file: every line after its +', patch('*** Add File: src/a.txt', '+one', '+', '+  three'), { ops: [{ type: 'add', path: 'src/a.txt', contents: 'one\n\n  three\n' }] }],
    ['an empty added file', patch('*** Add File: empty.txt'), { ops: [{ type: 'add', path: 'empty.txt', contents: '' }] }],
    ['a deleted file', patch('*** Delete File: old.txt'), { ops: [{ type: 'delete', path: 'old.txt' }] }],
    [
      'an update: context, removed and added lines',
      patch('*** Update File: a.py', '@@', ' keep', '-old', '+new'),
      { ops: [{ type: 'update', path: 'a.py', hunks: [{ headers: [], lines: [{ op: ' ', text: 'keep' }, { op: '-', text: 'old' }, { op: '+', text: 'new' }], endOfFile: false, patchLine: 3 }] }] },
    ],
    [
      'headers to seek, several in a row',
      patch('*** Update File: a.py', '@@ class A:', '@@     def run(self):', '-x', '+y'),
      { ops: [{ type: 'update', path: 'a.py', hunks: [{ headers: ['class A:', 'def run(self):'], lines: [{ op: '-', text: 'x' }, { op: '+', text: 'y' }], endOfFile: false, patchLine: 3 }] }] },
    ],
    [
      'several hunks, the first without @@, the last ending the file',
      patch('*** Update File: a', ' a', '-b', '@@', '-y', '+z', '*** End of File'),
      {
        ops: [
          {
            type: 'update',
            path: 'a',
            hunks: [
              { headers: [], lines: [{ op: ' ', text: 'a' }, { op: '-', text: 'b' }], endOfFile: false, patchLine: 3 },
              { headers: [], lines: [{ op: '-', text: 'y' }, { op: '+', text: 'z' }], endOfFile: true, patchLine: 5 },
            ],
          },
        ],
      },
    ],
    [
      'an empty line inside a hunk is empty context; one that ends a hunk is a separator',
      patch('*** Update File: a', '@@', ' a', '', ' b', '', '@@', '-c'),
      {
        ops: [
          {
            type: 'update',
            path: 'a',
            hunks: [
              { headers: [], lines: [{ op: ' ', text: 'a' }, { op: ' ', text: '' }, { op: ' ', text: 'b' }], endOfFile: false, patchLine: 3 },
              { headers: [], lines: [{ op: '-', text: 'c' }], endOfFile: false, patchLine: 8 },
            ],
          },
        ],
      },
    ],
    [
      "a space-prefixed '@@' or marker line inside a hunk is context",
      patch('*** Update File: a', '@@', ' @@ -1 +1 @@', ' *** End of File', '-x'),
      { ops: [{ type: 'update', path: 'a', hunks: [{ headers: [], lines: [{ op: ' ', text: '@@ -1 +1 @@' }, { op: ' ', text: '*** End of File' }, { op: '-', text: 'x' }], endOfFile: false, patchLine: 3 }] }] },
    ],
    [
      'a move with edits',
      patch('*** Update File: a.txt', '*** Move to: b/a.txt', '@@', '-x', '+y'),
      { ops: [{ type: 'update', path: 'a.txt', movePath: 'b/a.txt', hunks: [{ headers: [], lines: [{ op: '-', text: 'x' }, { op: '+', text: 'y' }], endOfFile: false, patchLine: 4 }] }] },
    ],
    ['a pure move', patch('*** Update File: a.txt', '*** Move to: b.txt'), { ops: [{ type: 'update', path: 'a.txt', movePath: 'b.txt', hunks: [] }] }],
    [
      "a unified `@@ -l,n +l,n @@` header is a bare @@ with the line as a hint",
      patch('*** Update File: a', '@@ -12,2 +12,2 @@', ' k', '-x', '+y'),
      { ops: [{ type: 'update', path: 'a', hunks: [{ headers: [], lines: [{ op: ' ', text: 'k' }, { op: '-', text: 'x' }, { op: '+', text: 'y' }], endOfFile: false, oldStart: 12, patchLine: 3 }] }] },
    ],
    [
      'several operations in order',
      patch('*** Add File: n', '+1', '*** Delete File: d', '*** Update File: u', '@@', '+x'),
      { ops: [{ type: 'add', path: 'n', contents: '1\n' }, { type: 'delete', path: 'd' }, { type: 'update', path: 'u', hunks: [{ headers: [], lines: [{ op: '+', text: 'x' }], endOfFile: false, patchLine: 6 }] }] },
    ],
    ['whitespace around markers, CRLF lines, blank lines around the patch', '\n  *** Begin Patch  \r\n*** Delete File: a \r\n *** End Patch\r\n\n', { ops: [{ type: 'delete', path: 'a' }] }],
    ["a leftover <<'EOF' … EOF wrapper", `<<'EOF'\n${patch('*** Delete File: a')}\nEOF\n`, { ops: [{ type: 'delete', path: 'a' }] }],
    ['an absolute path is kept as written', patch('*** Delete File: /tmp/x.txt'), { ops: [{ type: 'delete', path: '/tmp/x.txt' }] }],
  ])('%s', (_name, text, expected) => {
    expect(parsePatch(text)).toEqual(expected);
  });

  it.each<[string, string, number, string]>([
    ['an empty text', '  \n', 1, 'expected "*** Begin Patch", got an empty patch'],
    ['no Begin Patch', '*** Update File: a\n*** End Patch', 1, 'expected "*** Begin Patch" as the first line, got "*** Update File: a"'],
    ['no End Patch', '*** Begin Patch\n*** Delete File: a\n', 2, 'expected "*** End Patch" as the last line, got "*** Delete File: a"'],
    ['only Begin Patch', '*** Begin Patch', 1, 'expected "*** End Patch" as the last line, got "*** Begin Patch"'],
    ['no file operation', patch(), 2, 'expected a file operation (*** Add File:, *** Delete File: or *** Update File:) before "*** End Patch"'],
    ['an unknown header', patch('*** Rename File: a'), 2, 'expected a file operation ("*** Add File: path", "*** Delete File: path" or "*** Update File: path"), got "*** Rename File: a"'],
    ['a header without a path', patch('*** Delete File:   '), 2, 'expected a path after "*** Delete File:"'],
    ['an added line without +', patch('*** Add File: a', '+one', 'two'), 4, 'expected \'+\' before every line of an added file, got "two"'],
    ['an empty line inside an added file', patch('*** Add File: a', '+one', '', '+three'), 4, "expected '+' before every line of an added file (an empty line is written '+'), got an empty line"],
    ['an update with nothing in it', patch('*** Update File: a.py', '*** Delete File: b'), 2, 'expected hunks (\'@@\' then lines starting with \' \', \'-\' or \'+\') or "*** Move to: path" after "*** Update File: a.py"'],
    ['an @@ without lines', patch('*** Update File: a', '@@ def f():', '*** Delete File: b'), 3, 'expected lines starting with \' \', \'-\' or \'+\' after "@@ def f():"'],
    ['a context line without its space', patch('*** Update File: a', '@@', ' a', 'b'), 5, 'expected a hunk line starting with \' \' (context), \'-\' (removed) or \'+\' (added), an \'@@\' header, or a \'***\' marker; got "b" (a context line keeps its leading space)'],
    ['hunk lines after End of File without @@', patch('*** Update File: a', '@@', '-a', '*** End of File', '+b'), 6, 'expected \'@@\' to start the next hunk, got "+b"'],
    ['End of File before any line', patch('*** Update File: a', '@@', '*** End of File'), 4, 'expected "*** End of File" only after a hunk\'s lines'],
    ['Move to away from its Update File', patch('*** Delete File: a', '*** Move to: b'), 3, 'expected "*** Move to:" only right after "*** Update File: path"'],
    ['text after End Patch', `${patch('*** Delete File: a')}\n*** End Patch`, 3, 'expected "*** End Patch" only as the last line; more follows it'],
  ])('refuses %s', (_name, text, line, reason) => {
    let error: unknown;
    try {
      parsePatch(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PatchParseError);
    expect({ line: (error as PatchParseError).line, reason: (error as PatchParseError).reason, message: (error as Error).message }).toEqual({ line, reason, message: `line ${line}: ${reason}` });
  });
});
