// The turn's aggregate diff: successive changes of a file combined (first before-image → latest
// content), whole texts; and the round trip — a turn of real patches, its aggregate diff applied
// to the tree as it was before the turn, gives the tree as it is after.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateDiff } from '../../../src/tools/patch/aggregate.js';
import { applyPlanned } from '../../../src/tools/patch/apply-planned.js';
import { planPatchText } from '../../../src/tools/patch/parse-any.js';
import type { PlannedChange } from '../../../src/tools/patch/types.js';
import { readTree, tempRoot } from './tree.js';

const root = '/work/repo';
const update = (file: string, before: string, after: string, movePath?: string): PlannedChange => ({ path: `${root}/${file}`, kind: 'update', before, after, diff: '', ...(movePath === undefined ? {} : { movePath: `${root}/${movePath}` }) });
const add = (file: string, after: string, before: string | null = null): PlannedChange => ({ path: `${root}/${file}`, kind: 'add', before, after, diff: '' });
const remove = (file: string, before: string): PlannedChange => ({ path: `${root}/${file}`, kind: 'delete', before, after: null, diff: '' });

describe('aggregateDiff', () => {
  it.each<[string, PlannedChange[], string]>([
    ['nothing changed', [], ''],
    ['one update', [update('a.txt', 'a\n', 'b\n')], 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n'],
    ['two updates of one file: one diff from the first before to the last after', [update('a.txt', '1\n2\n3\n', '1\nTWO\n3\n'), update('a.txt', '1\nTWO\n3\n', '1\nTWO\nTHREE\n')], 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n 1\n-2\n-3\n+TWO\n+THREE\n'],
    ['changed and changed back: nothing', [update('a.txt', 'a\n', 'b\n'), update('a.txt', 'b\n', 'a\n')], ''],
    ['added then deleted: nothing', [add('tmp.txt', 'x\n'), remove('tmp.txt', 'x\n')], ''],
    ['added', [add('new/n.txt', 'n\n')], 'diff --git a/new/n.txt b/new/n.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new/n.txt\n@@ -0,0 +1 @@\n+n\n'],
    ['an empty file added', [add('empty', '')], 'diff --git a/empty b/empty\nnew file mode 100644\n'],
    ['deleted', [remove('old.txt', 'o\n')], 'diff --git a/old.txt b/old.txt\ndeleted file mode 100644\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-o\n'],
    ['added over an existing file: a change of it', [add('a.txt', 'new\n', 'old\n')], 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n'],
    ['deleted then added again: a change of it', [remove('a.txt', 'old\n'), add('a.txt', 'new\n')], 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n'],
    ['a pure move: a rename', [update('a.txt', 'x\n', 'x\n', 'b.txt')], 'diff --git a/a.txt b/b.txt\nrename from a.txt\nrename to b.txt\n'],
    [
      'edited, moved, edited again: one rename with all the edits',
      [update('a.txt', '1\n2\n', '1\nB\n'), update('a.txt', '1\nB\n', '1\nB\n', 'd/b.txt'), update('d/b.txt', '1\nB\n', 'A\nB\n')],
      'diff --git a/a.txt b/d/b.txt\nrename from a.txt\nrename to d/b.txt\n--- a/a.txt\n+++ b/d/b.txt\n@@ -1,2 +1,2 @@\n-1\n-2\n+A\n+B\n',
    ],
    [
      'moved onto a file deleted first: the target changed, the source deleted',
      [remove('final.md', 'old final\n'), update('draft.md', 'draft\n', 'final\n', 'final.md')],
      'diff --git a/draft.md b/draft.md\ndeleted file mode 100644\n--- a/draft.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-draft\ndiff --git a/final.md b/final.md\n--- a/final.md\n+++ b/final.md\n@@ -1 +1 @@\n-old final\n+final\n',
    ],
    ['files in path order', [update('z.txt', 'z\n', 'Z\n'), add('a.txt', 'a\n')], 'diff --git a/a.txt b/a.txt\nnew file mode 100644\n--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1 @@\n+a\ndiff --git a/z.txt b/z.txt\n--- a/z.txt\n+++ b/z.txt\n@@ -1 +1 @@\n-z\n+Z\n'],
    ['a file outside the root: absolute paths', [{ path: '/etc/hosts', kind: 'update', before: 'a\n', after: 'b\n', diff: '' }], 'diff --git /etc/hosts /etc/hosts\n--- /etc/hosts\n+++ /etc/hosts\n@@ -1 +1 @@\n-a\n+b\n'],
  ])('%s', (_name, changes, expected) => {
    expect(aggregateDiff(changes, root)).toBe(expected);
  });

  it("applied to the tree before the turn, gives the tree after the turn's patches", async () => {
    const turn = tempRoot();
    const files: Record<string, string> = { 'app.py': 'import os\n\ndef main():\n    print("hi")\n', 'docs/readme.md': '# Readme\ntext\n', 'old.txt': 'obsolete\n', 'crlf.txt': 'a\r\nb\r\n' };
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(turn, file)), { recursive: true });
      writeFileSync(path.join(turn, file), content);
    }
    const baseline = tempRoot();
    cpSync(turn, baseline, { recursive: true });

    const patches = [
      ['*** Begin Patch', '*** Update File: app.py', '@@ def main():', '-    print("hi")', '+    print("hello")', '*** Add File: src/util.py', '+def util():', '+    return 1', '*** End Patch'],
      ['*** Begin Patch', '*** Update File: docs/readme.md', '*** Move to: README.md', '@@', '-# Readme', '+# Keel', '*** Delete File: old.txt', '*** Update File: crlf.txt', '@@', ' a', '+between', '*** End Patch'],
      ['*** Begin Patch', '*** Update File: app.py', '@@', ' import os', '+import sys', '*** Update File: README.md', '@@', ' text', '+more text', '*** End Patch'],
    ];
    const changes: PlannedChange[] = [];
    for (const lines of patches) {
      const planned = await planPatchText(lines.join('\n'), turn);
      if (!planned.ok) throw new Error(JSON.stringify(planned.failure));
      expect(await applyPlanned(planned.changes)).toEqual({ ok: true });
      changes.push(...planned.changes);
    }

    const diff = aggregateDiff(changes, turn);
    const replayed = await planPatchText(diff, baseline);
    if (!replayed.ok) throw new Error(`${JSON.stringify(replayed.failure)}\n${diff}`);
    expect(await applyPlanned(replayed.changes)).toEqual({ ok: true });
    expect(readTree(baseline)).toEqual(readTree(turn));
  });
});
