// The line diff and unified diff text: exact hunks for the usual shapes, and a seeded property —
// any two texts' diff, parsed back and applied to the first, gives the second.
import { describe, expect, it } from 'vitest';
import { applyHunks } from '../../../src/tools/patch/apply-hunks.js';
import { diffLines, linesWithEndings, unifiedDiff, unifiedHunks } from '../../../src/tools/patch/diff.js';
import { parseUnifiedDiff } from '../../../src/tools/patch/parse-unified.js';
import { rng } from '../../helpers/rng.js';

const numbered = (count: number) => Array.from({ length: count }, (_, index) => `${index + 1}\n`).join('');

describe('unifiedHunks', () => {
  it.each<[string, string, string, string]>([
    ['equal texts', 'a\nb\n', 'a\nb\n', ''],
    ['a changed middle line, 3 lines of context', numbered(9), numbered(9).replace('5\n', 'five\n'), '@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n'],
    ['an added line at the start', 'a\nb\n', 'new\na\nb\n', '@@ -1,2 +1,3 @@\n+new\n a\n b\n'],
    ['a removed last line', 'a\nb\nc\n', 'a\nb\n', '@@ -1,3 +1,2 @@\n a\n b\n-c\n'],
    ['from empty', '', 'x\ny\n', '@@ -0,0 +1,2 @@\n+x\n+y\n'],
    ['to empty', 'x\n', '', '@@ -1 +0,0 @@\n-x\n'],
    ['changes 7 lines apart share a hunk', numbered(12), numbered(12).replace('2\n', 'two\n').replace('9\n', 'nine\n'), '@@ -1,12 +1,12 @@\n 1\n-2\n+two\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+nine\n 10\n 11\n 12\n'],
    ['changes 8 lines apart get two hunks', numbered(14), numbered(14).replace('2\n', 'two\n').replace('10\n', 'ten\n'), '@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n@@ -7,7 +7,7 @@\n 7\n 8\n 9\n-10\n+ten\n 11\n 12\n 13\n'],
    ['a last line gaining its newline', 'a\nb', 'a\nb\n', '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n'],
    ['a last line changed, neither with a newline', 'a\nb', 'a\nc', '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n'],
    ['CRLF lines shown without their CR', 'a\r\nb\r\n', 'a\r\nc\r\n', '@@ -1,2 +1,2 @@\n a\n-b\n+c\n'],
    ['unicode', 'αβγ\n日本\n', 'αβγ\n日本語 🙂\n', '@@ -1,2 +1,2 @@\n αβγ\n-日本\n+日本語 🙂\n'],
  ])('%s', (_name, before, after, expected) => {
    expect(unifiedHunks(before, after)).toBe(expected);
  });
});

describe('unifiedDiff', () => {
  it('a file header with labels, /dev/null for a missing side', () => {
    expect(unifiedDiff('a\n', 'b\n', 'a/x.txt', 'b/x.txt')).toBe('--- a/x.txt\n+++ b/x.txt\n@@ -1 +1 @@\n-a\n+b\n');
    expect(unifiedDiff(null, 'b\n', 'a/x.txt', 'b/x.txt')).toBe('--- /dev/null\n+++ b/x.txt\n@@ -0,0 +1 @@\n+b\n');
    expect(unifiedDiff('a\n', null, 'a/x.txt', 'b/x.txt')).toBe('--- a/x.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n');
    expect(unifiedDiff('a\n', 'a\n', 'a/x.txt', 'b/x.txt')).toBe('');
    expect(unifiedDiff('a\n', 'a\n', 'a/x.txt', 'b/y.txt', true)).toBe('--- a/x.txt\n+++ b/y.txt\n');
    expect(unifiedDiff(null, '', 'a/x.txt', 'b/x.txt')).toBe('--- /dev/null\n+++ b/x.txt\n');
  });
});

describe('diffLines', () => {
  it('finds a shortest edit script', () => {
    const ops = diffLines(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c']);
    expect(ops.filter((op) => op.type !== 'equal').length).toBe(5); // Myers' paper example: D = 5
    expect(ops.filter((op) => op.type !== 'insert').map((op) => op.line)).toEqual(['a', 'b', 'c', 'a', 'b', 'b', 'a']);
    expect(ops.filter((op) => op.type !== 'delete').map((op) => op.line)).toEqual(['c', 'b', 'a', 'b', 'a', 'c']);
  });

  it('shows a wholesale rewrite of very different files as removed then added, quickly', () => {
    const a = Array.from({ length: 5_000 }, (_, index) => `a${index}\n`);
    const b = Array.from({ length: 5_000 }, (_, index) => `b${index}\n`);
    const started = performance.now();
    const ops = diffLines(a, b);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(ops.map((op) => op.type)).toEqual([...a.map(() => 'delete'), ...b.map(() => 'insert')]);
  });

  it('keeps line endings in the comparison', () => {
    expect(diffLines(linesWithEndings('a\r\n'), linesWithEndings('a\n'))).toEqual([
      { type: 'delete', line: 'a\r\n' },
      { type: 'insert', line: 'a\n' },
    ]);
  });
});

describe('unified diff round trip (seeded)', () => {
  const seed = Number(process.env.KEEL_PATCH_SEED ?? 20_240_601);
  it(`diff(a, b) parsed and applied to a gives b (seed ${seed}, 500 pairs)`, () => {
    const random = rng(seed);
    const words = ['alpha', 'beta', 'gamma', '', '  indented', 'delta', 'beta'];
    const text = () => {
      const count = random.int(25);
      let out = Array.from({ length: count }, () => random.pick(words)).join('\n');
      if (count > 0 && random.int(4) !== 0) out += '\n';
      return out;
    };
    for (let round = 0; round < 500; round++) {
      const before = text();
      const after = random.int(3) === 0 ? before.replace(/beta/g, 'BETA') : text();
      const diff = unifiedDiff(before, after, 'a/f', 'b/f');
      if (diff === '') {
        expect(after).toBe(before);
        continue;
      }
      const [op] = parseUnifiedDiff(diff).ops;
      if (op?.type !== 'update') throw new Error(`round ${round}: expected an update, got ${JSON.stringify(op)}`);
      const result = applyHunks(before, op.hunks, op.eofNewline);
      expect(result, `round ${round}\n${JSON.stringify({ before, after, diff })}`).toEqual({ ok: true, content: after });
    }
  });
});
