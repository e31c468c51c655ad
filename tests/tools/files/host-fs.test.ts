// The operations behind fs/*: their guards (FIFOs, devices, the root, copying into itself), what a
// symbolic link counts as, and errors that name the path and the cause.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyPath, createDirectory, getMetadata, readDirectoryEntries, readWholeFile, removePath, writeWholeFile } from '../../../src/tools/files/host-fs.js';
import { cleanTreesAfterEach, makeTree, signal } from './tree.js';

cleanTreesAfterEach();

describe('reads and writes', () => {
  it('reads bytes whole, refuses a file over the maximum, a FIFO and a device', async () => {
    const root = makeTree({ 'a.bin': Buffer.from([0, 1, 2, 255]) });
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    expect(await readWholeFile(path.join(root, 'a.bin'), signal())).toEqual(Buffer.from([0, 1, 2, 255]));
    await expect(readWholeFile(path.join(root, 'a.bin'), signal(), 3)).rejects.toMatchObject({ kind: 'conflict', message: `${root}/a.bin is 4 bytes, over the 3-byte maximum for a read` });
    await expect(readWholeFile(path.join(root, 'pipe'), signal())).rejects.toMatchObject({ kind: 'conflict', message: `${root}/pipe is not a regular file` });
    await expect(readWholeFile('/dev/zero', signal())).rejects.toMatchObject({ kind: 'conflict', message: '/dev/zero is not a regular file' });
  });

  it('writes a new file, replaces an old one through a link, refuses a FIFO without blocking and a missing parent', async () => {
    const root = makeTree({ 'old.txt': 'a much longer old content', 'link.txt': { symlink: 'old.txt' } });
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    await writeWholeFile(path.join(root, 'new.txt'), Buffer.from('new'));
    await writeWholeFile(path.join(root, 'link.txt'), Buffer.from('short'));
    expect(fs.readFileSync(path.join(root, 'new.txt'), 'utf8')).toBe('new');
    expect(fs.readFileSync(path.join(root, 'old.txt'), 'utf8')).toBe('short');
    expect(fs.lstatSync(path.join(root, 'link.txt')).isSymbolicLink()).toBe(true);
    await expect(writeWholeFile(path.join(root, 'pipe'), Buffer.from('x'))).rejects.toMatchObject({ kind: 'conflict', message: `cannot write ${root}/pipe: no such device or address (a FIFO with no reader?) (ENXIO)` });
    await expect(writeWholeFile(path.join(root, 'no/such.txt'), Buffer.from('x'))).rejects.toMatchObject({ kind: 'notFound', message: `cannot write ${root}/no/such.txt: no such file or directory (ENOENT)` });
    await expect(writeWholeFile(root, Buffer.from('x'))).rejects.toMatchObject({ kind: 'conflict', message: `cannot write ${root}: is a directory (EISDIR)` });
  });
});

describe('directories and metadata', () => {
  it('creates directories with or without parents', async () => {
    const root = makeTree({});
    await createDirectory(path.join(root, 'a/b/c'), true);
    await createDirectory(path.join(root, 'a/b/c'), true);
    expect(fs.statSync(path.join(root, 'a/b/c')).isDirectory()).toBe(true);
    await expect(createDirectory(path.join(root, 'x/y'), false)).rejects.toMatchObject({ kind: 'notFound', message: `cannot create directory ${root}/x/y: no such file or directory (ENOENT)` });
    await expect(createDirectory(path.join(root, 'a'), false)).rejects.toMatchObject({ kind: 'conflict', message: `cannot create directory ${root}/a: already exists (EEXIST)` });
  });

  it('lists entries by name, a link as what it points to', async () => {
    const root = makeTree({ 'b.txt': 'x', 'a/': '', 'to-a': { symlink: 'a' }, 'to-b': { symlink: 'b.txt' }, dangling: { symlink: 'nowhere' } });
    expect(await readDirectoryEntries(root, signal())).toEqual([
      { fileName: 'a', isDirectory: true, isFile: false },
      { fileName: 'b.txt', isDirectory: false, isFile: true },
      { fileName: 'dangling', isDirectory: false, isFile: false },
      { fileName: 'to-a', isDirectory: true, isFile: false },
      { fileName: 'to-b', isDirectory: false, isFile: true },
    ]);
  });

  it('reports what a path resolves to and whether it is itself a link', async () => {
    const root = makeTree({ 'f.txt': 'x', 'to-f': { symlink: 'f.txt' }, dangling: { symlink: 'nowhere' } });
    const mtime = Math.floor(fs.statSync(path.join(root, 'f.txt')).mtimeMs);
    expect(await getMetadata(path.join(root, 'f.txt'))).toEqual({ isDirectory: false, isFile: true, isSymlink: false, createdAtMs: expect.any(Number), modifiedAtMs: mtime });
    expect(await getMetadata(path.join(root, 'to-f'))).toMatchObject({ isDirectory: false, isFile: true, isSymlink: true, modifiedAtMs: mtime });
    expect(await getMetadata(path.join(root, 'dangling'))).toMatchObject({ isDirectory: false, isFile: false, isSymlink: true });
    expect(await getMetadata(root)).toMatchObject({ isDirectory: true, isFile: false, isSymlink: false });
  });
});

describe('remove and copy', () => {
  it('removes files, links (not their targets) and trees; force forgives a missing path; the root is refused', async () => {
    const root = makeTree({ 'f.txt': 'x', 'd/e/g.txt': 'x', 'to-d': { symlink: 'd' }, 'empty/': '' });
    await removePath(path.join(root, 'to-d'), { recursive: true, force: true });
    expect(fs.existsSync(path.join(root, 'd/e/g.txt'))).toBe(true);
    await expect(removePath(path.join(root, 'd'), { recursive: false, force: true })).rejects.toMatchObject({ kind: 'conflict', message: `cannot remove ${root}/d: directory not empty (ENOTEMPTY)` });
    await removePath(path.join(root, 'empty'), { recursive: false, force: true });
    await removePath(path.join(root, 'd'), { recursive: true, force: true });
    await removePath(path.join(root, 'f.txt'), { recursive: true, force: false });
    await removePath(path.join(root, 'gone'), { recursive: true, force: true });
    await expect(removePath(path.join(root, 'gone'), { recursive: true, force: false })).rejects.toMatchObject({ kind: 'notFound', message: `cannot remove ${root}/gone: no such file or directory (ENOENT)` });
    expect(fs.readdirSync(root)).toEqual([]);
    await expect(removePath('/', { recursive: true, force: true })).rejects.toMatchObject({ kind: 'invalid', field: 'path', message: 'refusing to remove the root directory /' });
  });

  it('copies a file over another, a link as a link, a tree with recursive (merging), never into itself', async () => {
    const root = makeTree({ 'f.txt': 'new', 'g.txt': 'old', 'to-f': { symlink: 'f.txt' }, 'd/a.txt': 'a', 'd/sub/b.txt': 'b', 'd/link': { symlink: 'a.txt' }, 'out/keep.txt': 'kept' });
    execFileSync('mkfifo', [path.join(root, 'd/pipe')]);
    const copy = (from: string, to: string, recursive = false) => copyPath(path.join(root, from), path.join(root, to), { recursive, signal: signal() });
    await copy('f.txt', 'g.txt');
    expect(fs.readFileSync(path.join(root, 'g.txt'), 'utf8')).toBe('new');
    await copy('to-f', 'to-f2');
    expect(fs.readlinkSync(path.join(root, 'to-f2'))).toBe('f.txt');
    await expect(copy('d', 'out')).rejects.toMatchObject({ kind: 'invalid', field: 'recursive', message: `${root}/d is a directory: copying it needs recursive: true` });
    await copy('d', 'out', true);
    expect(fs.readdirSync(path.join(root, 'out')).sort()).toEqual(['a.txt', 'keep.txt', 'link', 'sub']);
    expect(fs.readFileSync(path.join(root, 'out/sub/b.txt'), 'utf8')).toBe('b');
    expect(fs.readlinkSync(path.join(root, 'out/link'))).toBe('a.txt');
    await expect(copy('d', 'd/sub/inner', true)).rejects.toMatchObject({ kind: 'invalid', field: 'destinationPath', message: `cannot copy ${root}/d into itself (${root}/d/sub/inner)` });
    await expect(copy('d', 'd', true)).rejects.toMatchObject({ kind: 'invalid', field: 'destinationPath' });
    await expect(copy('missing', 'x')).rejects.toMatchObject({ kind: 'notFound', message: `cannot copy ${root}/missing: no such file or directory (ENOENT)` });
    await expect(copy('d/pipe', 'x')).rejects.toMatchObject({ kind: 'conflict', message: `${root}/d/pipe is not a regular file, a directory or a symbolic link` });
  });
});
