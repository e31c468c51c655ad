// Reverting from before-images, and the summary the model reads after a patch applied.
import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlanned } from '../../../src/tools/patch/apply-planned.js';
import { formatPatchSuccess } from '../../../src/tools/patch/format-success.js';
import { planPatchText } from '../../../src/tools/patch/parse-any.js';
import { revertChanges } from '../../../src/tools/patch/revert.js';
import type { PlannedChange } from '../../../src/tools/patch/types.js';
import { tempRoot, treeHash } from './tree.js';

const text = [
  '*** Begin Patch',
  '*** Add File: new/n.txt',
  '+n',
  '*** Add File: over.txt',
  '+replaced',
  '*** Delete File: gone.txt',
  '*** Update File: a.txt',
  '@@',
  '-a',
  '+A',
  '*** Update File: a.txt',
  '*** Move to: moved/a.txt',
  '@@',
  '+more',
  '*** End Patch',
].join('\n');

function tree(): string {
  const root = tempRoot();
  for (const [file, content] of Object.entries({ 'a.txt': 'a\n', 'gone.txt': 'bye\n', 'over.txt': 'was here\n' })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

async function applied(root: string): Promise<PlannedChange[]> {
  const planned = await planPatchText(text, root);
  if (!planned.ok) throw new Error(JSON.stringify(planned.failure));
  expect(await applyPlanned(planned.changes)).toEqual({ ok: true });
  return planned.changes;
}

describe('revertChanges', () => {
  it('undoes every kind of change, newest first, as planned changes', async () => {
    const root = tree();
    const changes = await applied(root);
    expect(revertChanges(changes, root)).toEqual([
      { path: `${root}/moved/a.txt`, kind: 'update', movePath: `${root}/a.txt`, before: 'A\nmore\n', after: 'A\n', diff: '--- a/moved/a.txt\n+++ b/a.txt\n@@ -1,2 +1 @@\n A\n-more\n' },
      { path: `${root}/a.txt`, kind: 'update', before: 'A\n', after: 'a\n', diff: '--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-A\n+a\n' },
      { path: `${root}/gone.txt`, kind: 'add', before: null, after: 'bye\n', diff: '--- /dev/null\n+++ b/gone.txt\n@@ -0,0 +1 @@\n+bye\n' },
      { path: `${root}/over.txt`, kind: 'update', before: 'replaced\n', after: 'was here\n', diff: '--- a/over.txt\n+++ b/over.txt\n@@ -1 +1 @@\n-replaced\n+was here\n' },
      { path: `${root}/new/n.txt`, kind: 'delete', before: 'n\n', after: null, diff: '--- a/new/n.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-n\n' },
    ]);
  });

  it('applied, gives back the tree as it was (but for directories the patch made)', async () => {
    const root = tree();
    const before = treeHash(root);
    const changes = await applied(root);
    expect(await applyPlanned(revertChanges(changes, root))).toEqual({ ok: true });
    rmdirSync(path.join(root, 'new'));
    rmdirSync(path.join(root, 'moved'));
    expect(treeHash(root)).toBe(before);
  });

  it('is refused, nothing written, when a file changed since', async () => {
    const root = tree();
    const changes = await applied(root);
    writeFileSync(path.join(root, 'over.txt'), 'edited since\n');
    expect(await applyPlanned(revertChanges(changes, root))).toEqual({ ok: false, failure: { kind: 'stale', path: `${root}/over.txt` } });
  });
});

describe('formatPatchSuccess', () => {
  it("lists each file as Codex does: A, M (where a move went), D", async () => {
    const root = tree();
    expect(formatPatchSuccess(await applied(root), root)).toBe('Success. Updated the following files:\nA new/n.txt\nA over.txt\nD gone.txt\nM a.txt\nM moved/a.txt\n');
  });
});
