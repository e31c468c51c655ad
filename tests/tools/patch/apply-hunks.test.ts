// Seeking and applying hunks in memory: the matching passes, line endings, the final newline,
// ambiguity, and the failure's data.
import { describe, expect, it } from 'vitest';
import { applyHunks } from '../../../src/tools/patch/apply-hunks.js';
import { splitLines } from '../../../src/tools/patch/lines.js';
import { nearestMatch, seekLines } from '../../../src/tools/patch/seek.js';
import type { Hunk, HunkLine } from '../../../src/tools/patch/types.js';

/** A hunk from `' a'`, `'-b'`, `'+c'` lines. */
function hunk(lines: string[], extra: Partial<Hunk> = {}): Hunk {
  return { headers: [], lines: lines.map((line): HunkLine => ({ op: line[0] as HunkLine['op'], text: line.slice(1) })), endOfFile: false, patchLine: 1, ...extra };
}

function applied(content: string, hunks: Hunk[], eofNewline?: boolean): string {
  const result = applyHunks(content, hunks, eofNewline);
  if (!result.ok) throw new Error(JSON.stringify(result.failure));
  return result.content;
}

describe('splitLines', () => {
  it('keeps each ending and picks the first as the file style', () => {
    expect(splitLines('a\r\nb\nc')).toEqual({ texts: ['a', 'b', 'c'], endings: ['\r\n', '\n', ''], eol: '\r\n' });
    expect(splitLines('')).toEqual({ texts: [], endings: [], eol: '\n' });
    expect(splitLines('\n')).toEqual({ texts: [''], endings: ['\n'], eol: '\n' });
  });
});

describe('seekLines', () => {
  it.each<[string, string[], string[], number, number | undefined]>([
    ['exact', ['a', 'b', 'c'], ['b', 'c'], 0, 1],
    ['from the cursor on', ['x', 'y', 'x'], ['x'], 1, 2],
    ['ignoring trailing whitespace', ['a  ', 'b\t'], ['a', 'b'], 0, 0],
    ['ignoring indentation', ['\t\tif x:', '    y'], ['if x:', 'y'], 0, 0],
    ['an exact match later beats a tolerant one earlier', ['  a', 'a'], ['a'], 0, 1],
    ['a trailing-whitespace match beats an indentation one', ['  a', 'a '], ['a'], 0, 1],
    ['no Unicode punctuation folding', ['say “hi” — now'], ['say "hi" - now'], 0, undefined],
    ['longer than the file', ['a'], ['a', 'b'], 0, undefined],
    ['not found', ['a', 'b'], ['c'], 0, undefined],
  ])('%s', (_name, lines, pattern, from, expected) => {
    expect(seekLines(lines, pattern, from)).toBe(expected);
  });

  it('at the end of the file only, with endOfFile', () => {
    expect(seekLines(['x', 'end', 'x', 'end'], ['end'], 0, { endOfFile: true })).toBe(3);
    expect(seekLines(['end', 'x'], ['end'], 0, { endOfFile: true })).toBeUndefined();
  });

  it('the match nearest a line hint among equals', () => {
    const lines = ['k', 'a', 'k', 'a', 'k', 'a'];
    expect(seekLines(lines, ['a'], 0, { near: 4 })).toBe(3);
    expect(seekLines(lines, ['a'], 0, { near: 0 })).toBe(1);
    expect(seekLines(lines, ['a'], 0, { near: 99 })).toBe(5);
  });
});

describe('nearestMatch', () => {
  it('the stretch with most equal lines and its first difference', () => {
    expect(nearestMatch(['a', 'b', 'c', 'a', 'x', 'c'], ['a', 'x', 'd'])).toEqual({ line: 4, matching: 2, firstDifference: { line: 6, expected: 'd', actual: 'c' } });
  });
  it('past the end of the file', () => {
    expect(nearestMatch(['a', 'b'], ['b', 'c'])).toEqual({ line: 2, matching: 1, firstDifference: { line: 3, expected: 'c', actual: null } });
  });
  it('failing equal lines, the line sharing most words', () => {
    expect(nearestMatch(['import os', 'def greet(name):', '    pass'], ['def greet(self, loud):'])).toEqual({ line: 2, matching: 0, firstDifference: { line: 2, expected: 'def greet(self, loud):', actual: 'def greet(name):' } });
  });
  it('nothing alike', () => {
    expect(nearestMatch(['a', 'b'], ['zz'])).toBeUndefined();
  });
});

describe('applyHunks', () => {
  it('keeps CRLF on untouched and context lines and gives added lines the file style', () => {
    expect(applied('a\r\nb\r\nc\r\n', [hunk([' a', '-b', '+B', '+B2'])])).toBe('a\r\nB\r\nB2\r\nc\r\n');
  });

  it('keeps a mixed file mixed: every untouched line its own ending, new lines the first ending', () => {
    expect(applied('a\nb\r\nc\n', [hunk([' b', '+new'])])).toBe('a\nb\r\nnew\nc\n');
  });

  it('keeps a missing final newline, also when lines are added after the last', () => {
    expect(applied('a\nb', [hunk([' b', '+c'])])).toBe('a\nb\nc');
    expect(applied('a\nb', [hunk(['-b', '+B'])])).toBe('a\nB');
    expect(applied('a\nb', [hunk(['-b'])])).toBe('a');
  });

  it('sets or drops the final newline when the patch says so', () => {
    expect(applied('a\nb', [hunk(['-b', '+b'])], true)).toBe('a\nb\n');
    expect(applied('a\nb\n', [hunk(['-b', '+c'])], false)).toBe('a\nc');
  });

  it('keeps context lines as the file has them when matched ignoring whitespace', () => {
    expect(applied('def f():  \n\tx = 1\n', [hunk([' def f():', '-    x = 1', '+    x = 2'])])).toBe('def f():  \n    x = 2\n');
  });

  it('applies at the first match after the previous hunk when lines repeat (no ambiguity failure)', () => {
    expect(applied('x\nx\nx\n', [hunk(['-x', '+1']), hunk(['-x', '+2'])])).toBe('1\n2\nx\n');
  });

  it('applies a unified hunk at the match nearest its line number', () => {
    expect(applied('x\ny\nx\ny\n', [hunk([' x', '-y', '+Y'], { oldStart: 3 })])).toBe('x\ny\nx\nY\n');
  });

  it('seeks @@ headers in order before the lines', () => {
    expect(applied('f:\n  v\ng:\n  v\n', [hunk(['-  v', '+  w'], { headers: ['g:'] })])).toBe('f:\n  v\ng:\n  w\n');
  });

  it('puts a pure addition after its header, or at its line, or else at the end', () => {
    expect(applied('a\nb\nc\n', [hunk(['+x'], { headers: ['a'] })])).toBe('a\nx\nb\nc\n');
    expect(applied('a\nb\nc\n', [hunk(['+x'], { oldStart: 2 })])).toBe('a\nb\nx\nc\n');
    expect(applied('a\nb\nc\n', [hunk(['+x']), hunk(['-a', '+A'])])).toBe('A\nb\nc\nx\n');
    expect(applied('', [hunk(['+x'])])).toBe('x\n');
  });

  it('retries without a trailing empty context line standing for the final newline', () => {
    expect(applied('a\nb\n', [hunk(['-b', '+c', ' '])])).toBe('a\nc\n');
  });

  it('matches End of File lines only at the end', () => {
    expect(applied('end\nx\nend\n', [hunk(['-end', '+fin'], { endOfFile: true })])).toBe('end\nx\nfin\n');
  });

  it('fails with the hunk, where it was sought, the nearest match and the lines around it', () => {
    const lines = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`);
    const result = applyHunks(`${lines.join('\n')}\n`, [hunk([' line 2', '-line 3', '+three'], { patchLine: 4 }), hunk([' line 20', '-line 21 changed', '+x'], { patchLine: 8 })]);
    expect(result).toEqual({
      ok: false,
      failure: {
        hunk: 2,
        hunks: 2,
        patchLine: 8,
        sought: 'lines',
        expected: ['line 20', 'line 21 changed'],
        hunkText: '@@\n line 20\n-line 21 changed\n+x',
        searchedFrom: 4,
        nearest: { line: 20, matching: 1, firstDifference: { line: 21, expected: 'line 21 changed', actual: 'line 21' } },
        excerpt: { start: 17, lines: ['line 17', 'line 18', 'line 19', 'line 20', 'line 21', 'line 22', 'line 23', 'line 24'] },
        endOfFile: false,
      },
    });
  });
});
