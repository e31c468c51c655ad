// All or nothing, in real temp directories: a multi-file patch whose second file fails leaves the
// tree byte for byte as it was; a write that fails midway puts back what was written; a file
// edited between planning and writing refuses the whole patch; writes keep modes and symlinks.
import { chmodSync, lstatSync, mkdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlanned } from '../../../src/tools/patch/apply-planned.js';
import { planPatchText } from '../../../src/tools/patch/parse-any.js';
import type { PlannedChange } from '../../../src/tools/patch/types.js';
import { readTree, tempRoot, treeHash } from './tree.js';

function tree(files: Record<string, string>): string {
  const root = tempRoot();
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

async function plan(text: string, root: string): Promise<PlannedChange[]> {
  const planned = await planPatchText(text, root);
  if (!planned.ok) throw new Error(JSON.stringify(planned.failure));
  return planned.changes;
}

const files = { 'one.txt': 'one\n', 'two.txt': 'two\n', 'three.txt': 'three\n', 'src/deep/four.txt': 'four\n' };

describe('atomic patches', () => {
  it('a multi-file patch whose second file fails leaves the whole tree untouched', async () => {
    const root = tree(files);
    const before = treeHash(root);
    const result = await planPatchText(
      ['*** Begin Patch', '*** Update File: one.txt', '@@', '-one', '+ONE', '*** Update File: two.txt', '@@', '-not there', '+2', '*** Add File: new/five.txt', '+five', '*** Delete File: three.txt', '*** End Patch'].join('\n'),
      root,
    );
    expect(result).toEqual({
      ok: false,
      failure: {
        kind: 'contextNotFound',
        path: `${root}/two.txt`,
        hunk: 1,
        hunks: 1,
        patchLine: 7,
        sought: 'lines',
        expected: ['not there'],
        hunkText: '@@\n-not there\n+2',
        searchedFrom: 1,
        excerpt: { start: 1, lines: ['two'] },
        endOfFile: false,
      },
    });
    expect(treeHash(root)).toBe(before);
    expect(readTree(root)).toEqual({ 'one.txt': 'one\n', src: '<dir>', 'src/deep': '<dir>', 'src/deep/four.txt': 'four\n', 'three.txt': 'three\n', 'two.txt': 'two\n' });
  });

  it('a write that fails midway puts back every file already written, with its mode, and removes the directories it made', async () => {
    const root = tree(files);
    chmodSync(path.join(root, 'three.txt'), 0o755);
    const changes = await plan(
      [
        '*** Begin Patch',
        '*** Update File: one.txt',
        '@@',
        '-one',
        '+ONE',
        '*** Add File: made/by/patch/new.txt',
        '+new',
        '*** Delete File: three.txt',
        '*** Update File: src/deep/four.txt',
        '*** Move to: moved/four.txt',
        '*** Add File: blocked/five.txt',
        '+five',
        '*** Update File: two.txt',
        '@@',
        '-two',
        '+TWO',
        '*** End Patch',
      ].join('\n'),
      root,
    );
    // Between planning and writing, a file appears where the patch needs a directory.
    writeFileSync(path.join(root, 'blocked'), 'in the way\n');
    const before = treeHash(root);

    const result = await applyPlanned(changes);

    expect(result).toEqual({
      ok: false,
      failure: {
        kind: 'writeFailed',
        path: `${root}/blocked/five.txt`,
        message: `EEXIST: file already exists, mkdir '${root}/blocked'`,
        restored: [`${root}/one.txt`, `${root}/made/by/patch/new.txt`, `${root}/three.txt`, `${root}/moved/four.txt`, `${root}/src/deep/four.txt`, `${root}/blocked/five.txt`],
        notRestored: [],
      },
    });
    expect(treeHash(root)).toBe(before);
    expect(readTree(root)).toEqual({ blocked: 'in the way\n', 'one.txt': 'one\n', src: '<dir>', 'src/deep': '<dir>', 'src/deep/four.txt': 'four\n', 'three.txt': 'three\n', 'two.txt': 'two\n' });
    expect(statSync(path.join(root, 'three.txt')).mode & 0o777).toBe(0o755);
  });

  it('refuses the whole patch, writing nothing, when a file changed after planning', async () => {
    const root = tree(files);
    const changes = await plan(['*** Begin Patch', '*** Update File: one.txt', '@@', '-one', '+ONE', '*** Update File: two.txt', '@@', '-two', '+TWO', '*** End Patch'].join('\n'), root);
    writeFileSync(path.join(root, 'two.txt'), 'two, edited by someone else\n');
    const before = treeHash(root);
    expect(await applyPlanned(changes)).toEqual({ ok: false, failure: { kind: 'stale', path: `${root}/two.txt` } });
    expect(treeHash(root)).toBe(before);
  });

  it('refuses when a file to add appeared after planning', async () => {
    const root = tree(files);
    const changes = await plan(['*** Begin Patch', '*** Add File: late.txt', '+mine', '*** End Patch'].join('\n'), root);
    writeFileSync(path.join(root, 'late.txt'), 'theirs\n');
    expect(await applyPlanned(changes)).toEqual({ ok: false, failure: { kind: 'stale', path: `${root}/late.txt` } });
    expect(readTree(root)['late.txt']).toBe('theirs\n');
  });

  it('writes every file, keeping modes, writing through symlinks, leaving no temp files', async () => {
    const root = tree({ ...files, 'target.txt': 'target\n' });
    chmodSync(path.join(root, 'one.txt'), 0o750);
    chmodSync(path.join(root, 'src/deep/four.txt'), 0o700);
    symlinkSync('target.txt', path.join(root, 'link.txt'));
    const changes = await plan(
      ['*** Begin Patch', '*** Update File: one.txt', '@@', '-one', '+ONE', '*** Update File: link.txt', '@@', '-target', '+through the link', '*** Update File: src/deep/four.txt', '*** Move to: four.txt', '*** Delete File: two.txt', '*** End Patch'].join('\n'),
      root,
    );
    expect(await applyPlanned(changes)).toEqual({ ok: true });
    expect(readTree(root)).toEqual({ 'four.txt': 'four\n', 'link.txt': 'through the link\n', 'one.txt': 'ONE\n', src: '<dir>', 'src/deep': '<dir>', 'target.txt': 'through the link\n', 'three.txt': 'three\n' });
    expect(statSync(path.join(root, 'one.txt')).mode & 0o777).toBe(0o750);
    expect(statSync(path.join(root, 'four.txt')).mode & 0o777).toBe(0o700);
    expect(lstatSync(path.join(root, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(root, 'link.txt'))).toBe('target.txt');
  });
});
