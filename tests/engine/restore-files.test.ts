// Restoring the workspace from reverted file changes, on real temp directories: each file put back
// to its oldest before-image only if it is still as the last change left it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileUndo } from '../../src/core/events.js';
import { restoreFiles, restoreFilesNow } from '../../src/engine/restore-files.js';
import { workspace } from '../helpers/workspace.js';
import { readTree } from '../tools/patch/tree.js';

function setUp(files: Record<string, string>) {
  const root = workspace(files);
  const at = (name: string) => path.join(root, name);
  const change = (name: string, before: string | null, after: string | null, moveTo?: string): FileUndo => ({
    path: at(name),
    movePath: moveTo === undefined ? null : at(moveTo),
    before,
    after,
  });
  return { root, at, change };
}

describe('restoreFiles', () => {
  it('puts back a file still as the change left it', async () => {
    const { root, at, change } = setUp({ 'a.txt': 'two\n' });
    expect(await restoreFiles([change('a.txt', 'one\n', 'two\n')])).toEqual([{ path: at('a.txt'), status: 'restored' }]);
    expect(readTree(root)).toEqual({ 'a.txt': 'one\n' });
  });

  it('skips a file edited since the change, and leaves it as it is', async () => {
    const { root, at, change } = setUp({ 'a.txt': 'edited\n' });
    expect(await restoreFiles([change('a.txt', 'one\n', 'two\n')])).toEqual([
      { path: at('a.txt'), status: 'skipped', reason: 'it changed since the reverted turn; left as it is' },
    ]);
    expect(readTree(root)).toEqual({ 'a.txt': 'edited\n' });
  });

  it('reports a file deleted since the change as missing and writes nothing', async () => {
    const { root, at, change } = setUp({});
    expect(await restoreFiles([change('a.txt', 'one\n', 'two\n')])).toEqual([
      { path: at('a.txt'), status: 'missing', reason: 'it was deleted since the reverted turn' },
    ]);
    expect(readTree(root)).toEqual({});
  });

  it('deletes a file the change created', async () => {
    const { root, at, change } = setUp({ 'keep.txt': 'k\n', 'new/n.txt': 'n\n' });
    expect(await restoreFiles([change('new/n.txt', null, 'n\n')])).toEqual([{ path: at('new/n.txt'), status: 'restored' }]);
    expect(readTree(root)).toEqual({ 'keep.txt': 'k\n', new: '<dir>' });
  });

  it('recreates a file the change deleted, unless one was made there since', async () => {
    const { root, at, change } = setUp({ 'b.txt': 'made since\n' });
    expect(await restoreFiles([change('a.txt', 'was\n', null), change('b.txt', 'was b\n', null)])).toEqual([
      { path: at('a.txt'), status: 'restored' },
      { path: at('b.txt'), status: 'skipped', reason: 'it changed since the reverted turn; left as it is' },
    ]);
    expect(readTree(root)).toEqual({ 'a.txt': 'was\n', 'b.txt': 'made since\n' });
  });

  it('puts a file changed twice back to its oldest before-image', async () => {
    const { root, at, change } = setUp({ 'a.txt': 'v3\n' });
    expect(await restoreFiles([change('a.txt', 'v1\n', 'v2\n'), change('a.txt', 'v2\n', 'v3\n')])).toEqual([{ path: at('a.txt'), status: 'restored' }]);
    expect(readTree(root)).toEqual({ 'a.txt': 'v1\n' });
  });

  it('compares with the newest after-image: a file left as an earlier change had it is skipped', async () => {
    const { root, at, change } = setUp({ 'a.txt': 'v2\n' });
    expect(await restoreFiles([change('a.txt', 'v1\n', 'v2\n'), change('a.txt', 'v2\n', 'v3\n')])).toEqual([
      { path: at('a.txt'), status: 'skipped', reason: 'it changed since the reverted turn; left as it is' },
    ]);
    expect(readTree(root)).toEqual({ 'a.txt': 'v2\n' });
  });

  it('moves a moved file back, reported under its original path', async () => {
    const { root, at, change } = setUp({ 'moved/a.txt': 'A\n' });
    expect(await restoreFiles([change('a.txt', 'a\n', 'A\n', 'moved/a.txt')])).toEqual([{ path: at('a.txt'), status: 'restored' }]);
    expect(readTree(root)).toEqual({ 'a.txt': 'a\n', moved: '<dir>' });
  });

  it('follows a file through a move and a later edit, and names where it went when it cannot', async () => {
    const { root, at, change } = setUp({ 'b.txt': 'B edited\n' });
    const changes = [change('a.txt', 'a\n', 'B\n', 'b.txt'), change('b.txt', 'B\n', 'B2\n')];
    expect(await restoreFiles(changes)).toEqual([
      { path: at('a.txt'), status: 'skipped', reason: `${at('b.txt')} (where it was moved) changed since the reverted turn; left as it is` },
    ]);
    expect(readTree(root)).toEqual({ 'b.txt': 'B edited\n' });
  });

  it('does not move a file back over one made at its old path since', async () => {
    const { root, at, change } = setUp({ 'a.txt': 'new a\n', 'b.txt': 'B\n' });
    expect(await restoreFiles([change('a.txt', 'a\n', 'B\n', 'b.txt')])).toEqual([
      { path: at('a.txt'), status: 'skipped', reason: 'a file was created at this path since the reverted turn; left as it is' },
    ]);
    expect(readTree(root)).toEqual({ 'a.txt': 'new a\n', 'b.txt': 'B\n' });
  });

  it('walks newest first: a path freed by a move and filled again is emptied before the file moves back', async () => {
    const { root, at, change } = setUp({ 'a.txt': 'fresh\n', 'b.txt': 'old a\n' });
    const changes = [change('a.txt', 'old a\n', 'old a\n', 'b.txt'), change('a.txt', null, 'fresh\n')];
    expect(await restoreFiles(changes)).toEqual([{ path: at('a.txt'), status: 'restored' }]);
    expect(readTree(root)).toEqual({ 'a.txt': 'old a\n' });
  });

  it('reports every file once, sorted by path, and restores the rest when one is skipped', async () => {
    const { root, at, change } = setUp({ 'a.txt': 'a2\n', 'b.txt': 'b2\n', 'c.txt': 'c edited\n' });
    const changes = [change('c.txt', 'c1\n', 'c2\n'), change('b.txt', 'b1\n', 'b2\n'), change('a.txt', 'a1\n', 'a2\n'), change('b.txt', 'b2\n', 'b2\n')];
    expect(await restoreFiles(changes)).toEqual([
      { path: at('a.txt'), status: 'restored' },
      { path: at('b.txt'), status: 'restored' },
      { path: at('c.txt'), status: 'skipped', reason: 'it changed since the reverted turn; left as it is' },
    ]);
    expect(readTree(root)).toEqual({ 'a.txt': 'a1\n', 'b.txt': 'b1\n', 'c.txt': 'c edited\n' });
  });

  it('finishes a restore a crash cut short: files already back count as restored, the rest are put back', async () => {
    // a was restored; the moved b was written back at its old path but not yet removed where it went; c was not reached.
    const { root, at, change } = setUp({ 'a.txt': 'a1\n', 'b.txt': 'b1\n', 'moved/b.txt': 'b2\n', 'c.txt': 'c2\n' });
    const changes = [change('a.txt', 'a1\n', 'a2\n'), change('b.txt', 'b1\n', 'b2\n', 'moved/b.txt'), change('c.txt', 'c1\n', 'c2\n')];
    const restored = [at('a.txt'), at('b.txt'), at('c.txt')].map((file) => ({ path: file, status: 'restored' }));
    expect(restoreFilesNow(changes)).toEqual(restored);
    expect(readTree(root)).toEqual({ 'a.txt': 'a1\n', 'b.txt': 'b1\n', 'c.txt': 'c1\n', moved: '<dir>' });
    expect(await restoreFiles(changes)).toEqual(restored);
    expect(readTree(root)).toEqual({ 'a.txt': 'a1\n', 'b.txt': 'b1\n', 'c.txt': 'c1\n', moved: '<dir>' });
  });

  it('keeps a file\'s mode when it writes it back', async () => {
    const { at, change } = setUp({ 'run.sh': 'echo two\n' });
    fs.chmodSync(at('run.sh'), 0o750);
    expect(await restoreFiles([change('run.sh', 'echo one\n', 'echo two\n')])).toEqual([{ path: at('run.sh'), status: 'restored' }]);
    expect(fs.statSync(at('run.sh')).mode & 0o777).toBe(0o750);
  });

  it('does nothing for no changes', async () => {
    expect(await restoreFiles([])).toEqual([]);
  });
});
