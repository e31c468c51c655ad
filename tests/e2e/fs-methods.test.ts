// fs/* and fuzzyFileSearch over stdio, on real temporary trees: each method's answer whole, its
// errors (codes and messages that name the path and the cause), fs/watch's notifications (waited
// for, never slept for) and their end at fs/unwatch, and quick-open with a cancellation token.
// The conformance hook checks every line against Codex's schema.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, initialized, spawnKeel, type IncomingMessage, type KeelProcess } from '../helpers/keel-process.js';

let keel: KeelProcess | undefined;
const temps: string[] = [];
function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-fs-')));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await keel?.close();
  keel = undefined;
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function started(): Promise<KeelProcess> {
  keel = spawnKeel();
  await initialized(keel);
  return keel;
}

const invalidParams = (field: string, message: string) => ({
  code: -32602,
  message: `Invalid params: ${field}: ${message}`,
  data: { issues: [{ path: field, message }] },
});

describe('fs/* methods', () => {
  it('write, read back, metadata, a directory, its listing, a copy and removal', async () => {
    const k = await started();
    const dir = tempDir();
    const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0a]);

    expect(await k.request('fs/createDirectory', { path: `${dir}/a/b` })).toEqual({});
    expect(await k.request('fs/writeFile', { path: `${dir}/a/b/data.bin`, dataBase64: bytes.toString('base64') })).toEqual({});
    expect(await k.request('fs/readFile', { path: `${dir}/a/b/data.bin` })).toEqual({ dataBase64: bytes.toString('base64') });
    expect(fs.readFileSync(`${dir}/a/b/data.bin`)).toEqual(bytes);

    const stat = fs.statSync(`${dir}/a/b/data.bin`);
    expect(await k.request('fs/getMetadata', { path: `${dir}/a/b/data.bin` })).toEqual({
      isDirectory: false,
      isFile: true,
      isSymlink: false,
      createdAtMs: Math.floor(stat.birthtimeMs),
      modifiedAtMs: Math.floor(stat.mtimeMs),
    });
    fs.symlinkSync('b', `${dir}/a/to-b`);
    expect(await k.request('fs/getMetadata', { path: `${dir}/a/to-b` })).toMatchObject({ isDirectory: true, isFile: false, isSymlink: true });

    fs.writeFileSync(`${dir}/a/z.txt`, 'z');
    expect(await k.request('fs/readDirectory', { path: `${dir}/a` })).toEqual({
      entries: [
        { fileName: 'b', isDirectory: true, isFile: false },
        { fileName: 'to-b', isDirectory: true, isFile: false },
        { fileName: 'z.txt', isDirectory: false, isFile: true },
      ],
    });

    expect(await k.request('fs/copy', { sourcePath: `${dir}/a`, destinationPath: `${dir}/copy`, recursive: true })).toEqual({});
    expect(fs.readFileSync(`${dir}/copy/b/data.bin`)).toEqual(bytes);
    expect(fs.readlinkSync(`${dir}/copy/to-b`)).toBe('b');
    expect(await k.request('fs/copy', { sourcePath: `${dir}/a/z.txt`, destinationPath: `${dir}/z2.txt` })).toEqual({});
    expect(fs.readFileSync(`${dir}/z2.txt`, 'utf8')).toBe('z');

    expect(await k.request('fs/remove', { path: `${dir}/copy` })).toEqual({});
    expect(await k.request('fs/remove', { path: `${dir}/copy` })).toEqual({});
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'z2.txt']);
    // Paths are normalised, as Codex's AbsolutePathBuf: `..` and a trailing slash.
    expect(await k.request('fs/readFile', { path: `${dir}/a/b/../z.txt/` })).toEqual({ dataBase64: Buffer.from('z').toString('base64') });
  });

  it('runs requests sent without waiting in the order they arrived', async () => {
    const k = await started();
    const dir = tempDir();
    const big = Buffer.alloc(8 * 1024 * 1024, 'a').toString('base64');
    const lines = [
      { id: 201, method: 'fs/writeFile', params: { path: `${dir}/f.txt`, dataBase64: big } },
      { id: 202, method: 'fs/readFile', params: { path: `${dir}/f.txt` } },
      { id: 203, method: 'fs/copy', params: { sourcePath: `${dir}/f.txt`, destinationPath: `${dir}/g.txt` } },
      { id: 204, method: 'fs/remove', params: { path: `${dir}/f.txt` } },
      { id: 205, method: 'fs/getMetadata', params: { path: `${dir}/f.txt` } },
      { id: 206, method: 'fs/getMetadata', params: { path: `${dir}/g.txt` } },
    ];
    await k.sendLines(lines.map((line) => JSON.stringify(line)));
    // 8 MiB written, read, copied: on a loaded CI machine (browsers and ACP agents beside it) that took over 10 s.
    const answers = await Promise.all(lines.map((line) => k.response(line.id, 45_000)));
    // The 8 MiB read back is compared, not printed.
    const summary = (result: Record<string, unknown>) => ('dataBase64' in result ? { readBack: result.dataBase64 === big } : result);
    expect(answers.map((answer) => answer.error?.message ?? summary(answer.result as Record<string, unknown>))).toEqual([
      {},
      { readBack: true },
      {},
      {},
      `cannot read metadata of ${dir}/f.txt: no such file or directory (ENOENT)`,
      expect.objectContaining({ isFile: true }),
    ]);
  }, 60_000);

  it('answers errors that name the path and the cause', async () => {
    const k = await started();
    const dir = tempDir();
    fs.mkdirSync(`${dir}/full/x`, { recursive: true });
    execFileSync('mkfifo', [`${dir}/pipe`]);

    expect(await errorOf(k.request('fs/readFile', { path: 'relative/file' }))).toEqual(invalidParams('path', 'not an absolute path'));
    expect(await errorOf(k.request('fs/readFile', { path: `${dir}/missing` }))).toEqual({ code: -32600, message: `cannot read ${dir}/missing: no such file or directory (ENOENT)` });
    expect(await errorOf(k.request('fs/readFile', { path: dir }))).toEqual({ code: -32600, message: `${dir} is a directory` });
    expect(await errorOf(k.request('fs/readFile', { path: `${dir}/pipe` }))).toEqual({ code: -32600, message: `${dir}/pipe is not a regular file` });
    expect(await errorOf(k.request('fs/readFile', { path: '/dev/zero' }))).toEqual({ code: -32600, message: '/dev/zero is not a regular file' });
    expect(await errorOf(k.request('fs/writeFile', { path: `${dir}/w.txt`, dataBase64: 'not base64!' }))).toEqual(invalidParams('dataBase64', 'not base64 (standard alphabet, padded)'));
    expect(await errorOf(k.request('fs/writeFile', { path: `${dir}/pipe`, dataBase64: '' }))).toEqual({
      code: -32600,
      message: `cannot write ${dir}/pipe: no such device or address (a FIFO with no reader?) (ENXIO)`,
    });
    expect(await errorOf(k.request('fs/createDirectory', { path: `${dir}/full`, recursive: false }))).toEqual({ code: -32600, message: `cannot create directory ${dir}/full: already exists (EEXIST)` });
    expect(await errorOf(k.request('fs/readDirectory', { path: `${dir}/nope` }))).toEqual({ code: -32600, message: `cannot read directory ${dir}/nope: no such file or directory (ENOENT)` });
    expect(await errorOf(k.request('fs/remove', { path: `${dir}/full`, recursive: false }))).toEqual({ code: -32600, message: `cannot remove ${dir}/full: directory not empty (ENOTEMPTY)` });
    expect(await errorOf(k.request('fs/remove', { path: `${dir}/nope`, force: false }))).toEqual({ code: -32600, message: `cannot remove ${dir}/nope: no such file or directory (ENOENT)` });
    expect(await errorOf(k.request('fs/remove', { path: '/' }))).toEqual(invalidParams('path', 'refusing to remove the root directory /'));
    expect(await errorOf(k.request('fs/copy', { sourcePath: `${dir}/full`, destinationPath: `${dir}/other` }))).toEqual(
      invalidParams('recursive', `${dir}/full is a directory: copying it needs recursive: true`),
    );
    expect(await errorOf(k.request('fs/copy', { sourcePath: `${dir}/full`, destinationPath: `${dir}/full/x/in`, recursive: true }))).toEqual(
      invalidParams('destinationPath', `cannot copy ${dir}/full into itself (${dir}/full/x/in)`),
    );
    expect(await errorOf(k.request('fs/getMetadata', { path: `${dir}/nope` }))).toEqual({ code: -32600, message: `cannot read metadata of ${dir}/nope: no such file or directory (ENOENT)` });
  });
});

describe('fs/watch', () => {
  const changed = (watchId: string) => (m: IncomingMessage) => m.method === 'fs/changed' && (m.params as { watchId: string }).watchId === watchId;

  it('sends fs/changed for a directory and a file to the caller, and nothing for a watch after fs/unwatch', async () => {
    const k = await started();
    const dir = tempDir();
    fs.writeFileSync(`${dir}/f.txt`, 'x');

    expect(await k.request('fs/watch', { watchId: 'dir', path: `${dir}/` })).toEqual({ path: dir });
    expect(await k.request('fs/watch', { watchId: 'file', path: `${dir}/f.txt` })).toEqual({ path: `${dir}/f.txt` });
    expect(await errorOf(k.request('fs/watch', { watchId: 'dir', path: dir }))).toEqual({ code: -32600, message: 'watchId already exists: dir' });

    fs.writeFileSync(`${dir}/new.txt`, 'n');
    fs.appendFileSync(`${dir}/f.txt`, 'y');
    const dirChange = await k.waitFor(changed('dir'));
    expect(dirChange.params).toEqual({ watchId: 'dir', changedPaths: [`${dir}/f.txt`, `${dir}/new.txt`] });
    expect((await k.waitFor(changed('file'))).params).toEqual({ watchId: 'file', changedPaths: [`${dir}/f.txt`] });

    expect(await k.request('fs/unwatch', { watchId: 'file' })).toEqual({});
    expect(await k.request('fs/unwatch', { watchId: 'never-was' })).toEqual({});
    const unwatchedAt = k.messages.length;
    fs.appendFileSync(`${dir}/f.txt`, 'z');
    // The directory's watch sees this change: once it reports, the file's watch would have too.
    expect((await k.waitFor(changed('dir'))).params).toEqual({ watchId: 'dir', changedPaths: [`${dir}/f.txt`] });
    expect(k.messages.slice(unwatchedAt).filter(changed('file'))).toEqual([]);
  });

  it('watches a path that does not exist yet, and reports it when it appears', async () => {
    const k = await started();
    const dir = tempDir();
    expect(await k.request('fs/watch', { watchId: 'later', path: `${dir}/later/file.txt` })).toEqual({ path: `${dir}/later/file.txt` });
    fs.mkdirSync(`${dir}/later`);
    fs.writeFileSync(`${dir}/later/file.txt`, 'here');
    expect((await k.waitFor(changed('later'))).params).toEqual({ watchId: 'later', changedPaths: [`${dir}/later/file.txt`] });
  });

  it('ends every watch when Keel shuts down', async () => {
    const k = await started();
    const dir = tempDir();
    await k.request('fs/watch', { watchId: 'w', path: dir });
    expect(await k.close()).toBe(0);
  });
});

describe('fuzzyFileSearch', () => {
  function project(): string {
    const dir = tempDir();
    for (const [file, text] of Object.entries({
      '.gitignore': 'dist/\n',
      'dist/main.js': 'x',
      'src/main.ts': 'x',
      'src/domain/main_loop.ts': 'x',
      'docs/guide.md': 'x',
      '.github/ci.yml': 'x',
    })) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    fs.mkdirSync(path.join(dir, '.git'));
    return dir;
  }

  it('answers the best matches under the roots, in Codex shape', async () => {
    const k = await started();
    const dir = project();
    expect(await k.request('fuzzyFileSearch', { query: 'main', roots: [dir], cancellationToken: null })).toEqual({
      files: [
        { root: dir, path: 'src/domain/main_loop.ts', match_type: 'file', file_name: 'main_loop.ts', score: 65645, indices: [11, 12, 13, 14] },
        { root: dir, path: 'src/main.ts', match_type: 'file', file_name: 'main.ts', score: 65645, indices: [4, 5, 6, 7] },
        { root: dir, path: 'src/domain', match_type: 'directory', file_name: 'domain', score: 65612, indices: [6, 7, 8, 9] },
      ],
    });
    expect(await k.request('fuzzyFileSearch', { query: 'ciyml', roots: [dir], cancellationToken: null })).toEqual({
      files: [{ root: dir, path: '.github/ci.yml', match_type: 'file', file_name: 'ci.yml', score: expect.any(Number), indices: [8, 9, 11, 12, 13] }],
    });
    expect(await k.request('fuzzyFileSearch', { query: '', roots: [dir], cancellationToken: null })).toEqual({ files: [] });
    expect(await k.request('fuzzyFileSearch', { query: 'main', roots: [], cancellationToken: null })).toEqual({ files: [] });
  });

  it('a later search with the same cancellation token cancels an earlier one still running: it answers no files', async () => {
    const k = await started();
    const dir = tempDir();
    // Deep enough that walking it takes many turns of the event loop.
    for (let i = 0; i < 300; i++) fs.mkdirSync(path.join(dir, ...Array.from({ length: 3 }, (_, depth) => `d${i}-${depth}`)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'needle.txt'), 'x');
    const line = (id: number) => JSON.stringify({ id, method: 'fuzzyFileSearch', params: { query: 'needle', roots: [dir], cancellationToken: 'quick-open' } });
    await k.sendLines([line(101), line(102)]);
    const [first, second] = await Promise.all([k.response(101), k.response(102)]);
    expect(first.result).toEqual({ files: [] });
    expect(second.result).toEqual({ files: [expect.objectContaining({ path: 'needle.txt', match_type: 'file' })] });
  });
});
