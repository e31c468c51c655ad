// planPatch: whole planned changes (paths absolute, before-images, diffs), the operations run in
// order over the disk as the earlier ones leave it, and the refusals that need no fixture tree.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../../src/tools/patch/parse-patch.js';
import { planPatch } from '../../../src/tools/patch/plan.js';
import { readFileState } from '../../../src/tools/patch/read-file-state.js';
import type { FileState, PlanResult } from '../../../src/tools/patch/types.js';
import { readTree, tempRoot } from './tree.js';

const patch = (...lines: string[]) => parsePatch(['*** Begin Patch', ...lines, '*** End Patch'].join('\n'));

/** A tree of files from a record, in a fresh temp directory. */
function tree(files: Record<string, string | Buffer>): string {
  const root = tempRoot();
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe('planPatch', () => {
  it('plans every kind of change as whole objects, and writes nothing', async () => {
    const root = tree({ 'a.txt': 'one\ntwo\n', 'gone.txt': 'bye\n', 'old.txt': 'x\n', 'over.txt': 'was here\n' });
    const result = await planPatch(
      patch('*** Add File: new/n.txt', '+hi', '*** Delete File: gone.txt', '*** Update File: a.txt', '@@', '-two', '+2', '*** Update File: old.txt', '*** Move to: moved/old.txt', '@@', '-x', '+y', '*** Add File: over.txt', '+replaced'),
      root,
    );
    expect(result).toEqual<PlanResult>({
      ok: true,
      changes: [
        { path: `${root}/new/n.txt`, kind: 'add', before: null, after: 'hi\n', diff: '--- /dev/null\n+++ b/new/n.txt\n@@ -0,0 +1 @@\n+hi\n' },
        { path: `${root}/gone.txt`, kind: 'delete', before: 'bye\n', after: null, diff: '--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n' },
        { path: `${root}/a.txt`, kind: 'update', before: 'one\ntwo\n', after: 'one\n2\n', diff: '--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n' },
        { path: `${root}/old.txt`, kind: 'update', movePath: `${root}/moved/old.txt`, before: 'x\n', after: 'y\n', diff: '--- a/old.txt\n+++ b/moved/old.txt\n@@ -1 +1 @@\n-x\n+y\n' },
        { path: `${root}/over.txt`, kind: 'add', before: 'was here\n', after: 'replaced\n', diff: '--- a/over.txt\n+++ b/over.txt\n@@ -1 +1 @@\n-was here\n+replaced\n' },
      ],
    });
    expect(readTree(root)).toEqual({ 'a.txt': 'one\ntwo\n', 'gone.txt': 'bye\n', 'old.txt': 'x\n', 'over.txt': 'was here\n' });
  });

  it('a pure move keeps its header as its diff', async () => {
    const root = tree({ 'a.txt': 'x\n' });
    expect(await planPatch(patch('*** Update File: a.txt', '*** Move to: b.txt'), root)).toEqual({
      ok: true,
      changes: [{ path: `${root}/a.txt`, kind: 'update', movePath: `${root}/b.txt`, before: 'x\n', after: 'x\n', diff: '--- a/a.txt\n+++ b/b.txt\n' }],
    });
  });

  it('runs operations in order: a second update sees the first, a re-added file sees the delete', async () => {
    const root = tree({ 'a.txt': '1\n', 'b.txt': 'old\n' });
    const result = await planPatch(patch('*** Update File: a.txt', '@@', '-1', '+2', '*** Update File: a.txt', '@@', '-2', '+3', '*** Delete File: b.txt', '*** Add File: b.txt', '+new'), root);
    expect(result.ok && result.changes.map(({ kind, before, after }) => ({ kind, before, after }))).toEqual([
      { kind: 'update', before: '1\n', after: '2\n' },
      { kind: 'update', before: '2\n', after: '3\n' },
      { kind: 'delete', before: 'old\n', after: null },
      { kind: 'add', before: null, after: 'new\n' },
    ]);
  });

  it('resolves paths against cwd, normalised; a path outside it is planned (the sandbox decides) and shown absolute', async () => {
    const root = tree({ 'sub/x.txt': 'x\n', 'outside.txt': 'o\n' });
    const result = await planPatch(patch('*** Update File: ./y/../x.txt', '@@', '-x', '+X', '*** Update File: ../outside.txt', '@@', '-o', '+O'), path.join(root, 'sub'));
    expect(result).toEqual({
      ok: true,
      changes: [
        { path: `${root}/sub/x.txt`, kind: 'update', before: 'x\n', after: 'X\n', diff: '--- a/x.txt\n+++ b/x.txt\n@@ -1 +1 @@\n-x\n+X\n' },
        { path: `${root}/outside.txt`, kind: 'update', before: 'o\n', after: 'O\n', diff: `--- ${root}/outside.txt\n+++ ${root}/outside.txt\n@@ -1 +1 @@\n-o\n+O\n` },
      ],
    });
  });

  it('sees the directories and files earlier operations create or delete', async () => {
    const root = tree({ blocker: 'a file\n' });
    expect(await planPatch(patch('*** Add File: d/f.txt', '+x', '*** Add File: d', '+y'), root)).toEqual({ ok: false, failure: { kind: 'isDirectory', path: `${root}/d`, op: 'add' } });
    expect(await planPatch(patch('*** Add File: x', '+1', '*** Add File: x/y', '+2'), root)).toEqual({ ok: false, failure: { kind: 'parentNotDirectory', path: `${root}/x/y`, ancestor: `${root}/x` } });
    const cleared = await planPatch(patch('*** Delete File: blocker', '*** Add File: blocker/inside.txt', '+now a directory'), root);
    expect(cleared.ok).toBe(true);
  });

  it('refuses to overwrite or move onto a file that is not text', async () => {
    const root = tree({ 'blob.bin': Buffer.from([0, 1, 2]), 'a.txt': 'a\n' });
    expect(await planPatch(patch('*** Add File: blob.bin', '+text'), root)).toEqual({ ok: false, failure: { kind: 'notText', path: `${root}/blob.bin`, op: 'add' } });
    expect(await planPatch(patch('*** Delete File: blob.bin'), root)).toEqual({ ok: false, failure: { kind: 'notText', path: `${root}/blob.bin`, op: 'delete' } });
    expect(await planPatch(patch('*** Update File: a.txt', '*** Move to: blob.bin'), root)).toEqual({ ok: false, failure: { kind: 'moveTargetExists', path: `${root}/a.txt`, movePath: `${root}/blob.bin` } });
  });

  it('reports a file it cannot read (from the readFile it is given)', async () => {
    const denied = (file: string): FileState => (file.endsWith('secret.txt') ? { kind: 'unreadable', message: 'EACCES: permission denied' } : { kind: 'missing' });
    expect(await planPatch(patch('*** Delete File: secret.txt'), '/work', denied)).toEqual({ ok: false, failure: { kind: 'unreadable', path: '/work/secret.txt', message: 'EACCES: permission denied' } });
  });

  it('a missing parent is just missing for update and delete', async () => {
    const root = tree({ file: 'x\n' });
    expect(await planPatch(patch('*** Delete File: file/inner'), root)).toEqual({ ok: false, failure: { kind: 'missingFile', path: `${root}/file/inner`, op: 'delete' } });
    expect(await planPatch(patch('*** Update File: file/inner', '@@', '+x'), root)).toEqual({ ok: false, failure: { kind: 'missingFile', path: `${root}/file/inner`, op: 'update' } });
  });
});

describe('readFileState', () => {
  it('reads text as is (a byte-order mark kept), and tells missing, directories, binary and blocked paths apart', async () => {
    const root = tree({ 'bom.txt': '\uFEFFhello\n', 'nul.bin': Buffer.from('a\0b'), 'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'file.txt': 'x' });
    expect(await readFileState(`${root}/bom.txt`)).toEqual({ kind: 'file', content: '\uFEFFhello\n' });
    expect(await readFileState(`${root}/nul.bin`)).toEqual({ kind: 'notText' });
    expect(await readFileState(`${root}/latin1.txt`)).toEqual({ kind: 'notText' });
    expect(await readFileState(`${root}/none.txt`)).toEqual({ kind: 'missing' });
    expect(await readFileState(root)).toEqual({ kind: 'directory' });
    expect(await readFileState(`${root}/file.txt/a/b`)).toEqual({ kind: 'notDirectory', ancestor: `${root}/file.txt` });
    expect(await readFileState('/dev/null')).toEqual({ kind: 'unreadable', message: 'not a regular file' });
  });
});
