// listDirectory and globFiles: the walk's order and what it leaves out (the same rules as search),
// depth, caps with a count of the rest, and the text the model reads.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatGlobResult, formatListing } from '../../../src/tools/files/format.js';
import { globFiles } from '../../../src/tools/files/glob-files.js';
import { listDirectory } from '../../../src/tools/files/list-directory.js';
import { cleanTreesAfterEach, makeTree, signal, type TreeSpec } from './tree.js';

cleanTreesAfterEach();

const project: TreeSpec = {
  '.git/': '',
  '.gitignore': 'node_modules/\n*.log\n',
  '.env': 'SECRET=1\n',
  'README.md': '# x\n',
  'debug.log': 'x\n',
  'node_modules/dep/index.js': 'x\n',
  'src/index.ts': 'x\n',
  'src/util/a.ts': 'x\n',
  'src/util/a.test.ts': 'x\n',
  'src/link.ts': { symlink: 'index.ts' },
  'tests/a.test.ts': 'x\n',
};

describe('listDirectory', () => {
  it('lists one level by default, by name, leaving out ignored and hidden entries and .git', async () => {
    const root = makeTree(project);
    const listing = await listDirectory(root, { signal: signal() });
    expect(listing).toEqual({
      root,
      entries: [
        { path: 'README.md', name: 'README.md', depth: 1, kind: 'file' },
        { path: 'src', name: 'src', depth: 1, kind: 'directory' },
        { path: 'tests', name: 'tests', depth: 1, kind: 'directory' },
      ],
      total: 3,
      totalIsLowerBound: false,
    });
    expect(formatListing(listing)).toBe('README.md\nsrc/\ntests/');
  });

  it('goes deeper as a tree, marks links, and includes hidden and ignored entries when asked', async () => {
    const root = makeTree(project);
    const listing = await listDirectory(root, { depth: 3, includeHidden: true, includeIgnored: true, signal: signal() });
    expect(formatListing(listing)).toBe(
      [
        '.env',
        '.gitignore',
        'README.md',
        'debug.log',
        'node_modules/',
        '  dep/',
        '    index.js',
        'src/',
        '  index.ts',
        '  link.ts@',
        '  util/',
        '    a.test.ts',
        '    a.ts',
        'tests/',
        '  a.test.ts',
      ].join('\n'),
    );
  });

  it('caps the entries and counts the rest', async () => {
    const root = makeTree(project);
    const listing = await listDirectory(root, { depth: 5, limit: 2, signal: signal() });
    expect(listing.entries.map((entry) => entry.path)).toEqual(['README.md', 'src']);
    expect(listing.total).toBe(9);
    expect(formatListing(listing)).toBe('README.md\nsrc/\n… 7 more entries not shown');
  });

  it('refuses a file and a missing path, naming them', async () => {
    const root = makeTree(project);
    await expect(listDirectory(path.join(root, 'README.md'), { signal: signal() })).rejects.toMatchObject({ kind: 'conflict', message: `${root}/README.md is not a directory` });
    await expect(listDirectory(path.join(root, 'nope'), { signal: signal() })).rejects.toMatchObject({ kind: 'notFound', message: `cannot list ${root}/nope: no such file or directory (ENOENT)` });
  });

  it('an empty directory', async () => {
    const root = makeTree({});
    expect(formatListing(await listDirectory(root, { signal: signal() }))).toBe('(empty directory)');
  });
});

describe('globFiles', () => {
  it.each<[string, string, string[]]>([
    ['a name pattern matches at any depth', '*.test.ts', ['src/util/a.test.ts', 'tests/a.test.ts']],
    ['an anchored pattern matches from the root', 'src/*.ts', ['src/index.ts', 'src/link.ts']],
    ['`**` spans directories', 'src/**/*.ts', ['src/index.ts', 'src/link.ts', 'src/util/a.test.ts', 'src/util/a.ts']],
    ['ignored files are left out', '*.log', []],
    ['classes and `?`', '?.[tj]s', ['src/util/a.ts']],
    ['a path with no wildcard', 'README.md', ['README.md']],
    ['a leading `/` anchors at the root', '/src/*.ts', ['src/index.ts', 'src/link.ts']],
    ['a negated class, `[!…]` as in git and ripgrep', 'src/[!i]*.ts', ['src/link.ts']],
    ['`{a,b}` alternates, as ripgrep --glob does', '{index,a}.ts', ['src/index.ts', 'src/util/a.ts']],
    ['a trailing `/` names directories, which are not listed', 'src/', []],
  ])('%s', async (_name, pattern, paths) => {
    const root = makeTree(project);
    expect(await globFiles(pattern, root, { signal: signal() })).toEqual({ root, paths, total: paths.length, totalIsLowerBound: false });
  });

  it('caps and counts, and shows paths relative to a base', async () => {
    const root = makeTree(project);
    const result = await globFiles('**/*.ts', root, { limit: 1, signal: signal() });
    expect(result).toEqual({ root, paths: ['src/index.ts'], total: 5, totalIsLowerBound: false });
    expect(formatGlobResult(result, { base: path.join(root, 'tests') })).toBe('../src/index.ts\n… 4 more files not shown; narrow the pattern');
  });

  it('finds hidden and ignored files when asked', async () => {
    const root = makeTree(project);
    expect((await globFiles('*.log', root, { includeIgnored: true, signal: signal() })).paths).toEqual(['debug.log']);
    expect((await globFiles('.env', root, { includeHidden: true, signal: signal() })).paths).toEqual(['.env']);
  });
});
