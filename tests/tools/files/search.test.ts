// One table of searches, run through ripgrep and through the pure-Node fallback: both must give
// exactly the expected results — the same files left out (.gitignore at the root, nested, above the
// search root and in a nested repository; .git/info/exclude; .ignore; hidden; binary; symbolic
// links), the same globs, the same order, caps and counts.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/kernel/errors.js';
import { searchFiles, type SearchOptions } from '../../../src/tools/files/search.js';
import type { SearchMatch, SearchResult } from '../../../src/tools/files/search-types.js';
import { cleanTreesAfterEach, makeTree, signal, type TreeSpec } from './tree.js';

cleanTreesAfterEach();

const LONG = `needle ${'x'.repeat(600)}`;

const repo: TreeSpec = {
  '.git/info/exclude': 'excluded.txt\n',
  '.gitignore': '*.log\nbuild/\n!keep.log\n/rooted.txt\n',
  'a.ts': 'const needle = 1;\nNEEDLE upper\n',
  'a-b.txt': 'needle dash\n',
  'a.txt': 'needle dot\nno match\nthe needle again\n',
  'a/b.txt': 'needle in a/\n',
  'app.log': 'needle log\n',
  'keep.log': 'needle kept\n',
  'build/out.ts': 'needle build\n',
  'rooted.txt': 'needle rooted\n',
  'sub/rooted.txt': 'needle sub rooted\n',
  'excluded.txt': 'needle excluded\n',
  '.hidden.ts': 'needle hidden\n',
  '.config/x.ts': 'needle hidden dir\n',
  'bin.dat': Buffer.from('needle\0binary\n'),
  'src/.gitignore': '*.gen.ts\n!keep.gen.ts\n',
  'src/.ignore': 'deep/skip.ts\n',
  'src/x.gen.ts': 'needle generated\n',
  'src/keep.gen.ts': 'needle keep generated\n',
  'src/deep/y.ts': 'needle deep\nfunction needleWord() {}\n',
  'src/deep/skip.ts': 'needle skip\n',
  'src/z.log': 'needle z log\n',
  'nested/.git/': '',
  'nested/n.log': 'needle nested log\n',
  'crlf.txt': 'needle crlf\r\nsecond\r\n',
  'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('needle utf16\n', 'utf16le')]),
  'bom.txt': '\uFEFFneedle bom\n',
  'long.txt': `${LONG}\n`,
  'link.ts': { symlink: 'a.ts' },
};

const m = (path: string, line: number, text: string): SearchMatch => ({ path, line, text });

/** What `needle` finds in `repo`, in order. */
const allNeedles = [
  m('a/b.txt', 1, 'needle in a/'),
  m('a-b.txt', 1, 'needle dash'),
  m('a.ts', 1, 'const needle = 1;'),
  m('a.txt', 1, 'needle dot'),
  m('a.txt', 3, 'the needle again'),
  m('bom.txt', 1, 'needle bom'),
  m('crlf.txt', 1, 'needle crlf'),
  m('keep.log', 1, 'needle kept'),
  m('long.txt', 1, `${LONG.slice(0, 500)}…`),
  m('nested/n.log', 1, 'needle nested log'),
  m('src/deep/y.ts', 1, 'needle deep'),
  m('src/deep/y.ts', 2, 'function needleWord() {}'),
  m('src/keep.gen.ts', 1, 'needle keep generated'),
  m('sub/rooted.txt', 1, 'needle sub rooted'),
  m('utf16.txt', 1, 'needle utf16'),
];

interface Case {
  name: string;
  tree?: TreeSpec;
  /** Under the tree's root. */
  path?: string;
  options: Omit<SearchOptions, 'signal' | 'path' | 'backend'>;
  matches: SearchMatch[];
  total?: number;
  lowerBound?: boolean;
  /** The result's root, under the tree's root. */
  root?: string;
}

const cases: Case[] = [
  { name: 'honours every ignore file, hidden entries, binary files and symbolic links', options: { pattern: 'needle' }, matches: allNeedles },
  {
    name: 'ignores case when asked',
    options: { pattern: 'NEEDLE', caseInsensitive: true, maxResults: 4 },
    matches: [...allNeedles.slice(0, 3), m('a.ts', 2, 'NEEDLE upper')],
    total: allNeedles.length + 1,
  },
  { name: 'is case-sensitive by default', options: { pattern: 'NEEDLE' }, matches: [m('a.ts', 2, 'NEEDLE upper')] },
  {
    name: 'reads anchors, classes, alternation and word boundaries alike',
    options: { pattern: '^(needle (dot|dash)|the needle \\w+)$|\\bneedle[A-Z]\\w*\\(' },
    matches: [m('a-b.txt', 1, 'needle dash'), m('a.txt', 1, 'needle dot'), m('a.txt', 3, 'the needle again'), m('src/deep/y.ts', 2, 'function needleWord() {}')],
  },
  { name: 'a `$` does not match before a CR (no --crlf)', options: { pattern: 'crlf$' }, matches: [] },
  {
    name: 'a glob picks files over .gitignore and hiding (as ripgrep --glob does), not inside ignored or hidden directories',
    options: { pattern: 'needle', glob: '*.ts' },
    matches: [
      m('.hidden.ts', 1, 'needle hidden'),
      m('a.ts', 1, 'const needle = 1;'),
      m('src/deep/skip.ts', 1, 'needle skip'),
      m('src/deep/y.ts', 1, 'needle deep'),
      m('src/deep/y.ts', 2, 'function needleWord() {}'),
      m('src/keep.gen.ts', 1, 'needle keep generated'),
      m('src/x.gen.ts', 1, 'needle generated'),
    ],
  },
  {
    name: 'a `!glob` leaves out, the last glob that matches decides (a glob picks a .gitignored file)',
    options: { pattern: 'needle', glob: ['src/**', '!*.gen.ts', '!src/deep/**'] },
    matches: [m('src/z.log', 1, 'needle z log')],
  },
  {
    name: 'an anchored glob with a negation after it',
    options: { pattern: 'needle', glob: ['src/**', '!**/skip.ts'] },
    matches: [
      m('src/deep/y.ts', 1, 'needle deep'),
      m('src/deep/y.ts', 2, 'function needleWord() {}'),
      m('src/keep.gen.ts', 1, 'needle keep generated'),
      m('src/x.gen.ts', 1, 'needle generated'),
      m('src/z.log', 1, 'needle z log'),
    ],
  },
  {
    name: 'includes hidden entries when asked (never .git)',
    options: { pattern: 'needle (hidden|excluded)|exclude', includeHidden: true },
    matches: [m('.config/x.ts', 1, 'needle hidden dir'), m('.hidden.ts', 1, 'needle hidden')],
  },
  {
    name: 'searched from a subdirectory, the .gitignore above it still counts',
    path: 'src',
    options: { pattern: 'needle' },
    root: 'src',
    matches: [m('deep/y.ts', 1, 'needle deep'), m('deep/y.ts', 2, 'function needleWord() {}'), m('keep.gen.ts', 1, 'needle keep generated')],
  },
  {
    name: 'caps the matches and counts the rest',
    options: { pattern: 'needle', maxResults: 2 },
    matches: allNeedles.slice(0, 2),
    total: allNeedles.length,
  },
  {
    name: 'stops counting at the count limit',
    options: { pattern: 'needle', maxResults: 1, countLimit: 3 },
    matches: allNeedles.slice(0, 1),
    total: 3,
    lowerBound: true,
  },
  {
    name: 'a file named as the path is searched whatever the ignore rules say',
    path: 'app.log',
    options: { pattern: 'needle' },
    root: '',
    matches: [m('app.log', 1, 'needle log')],
  },
  { name: 'a binary file named as the path finds nothing', path: 'bin.dat', options: { pattern: 'needle' }, root: '', matches: [] },
  {
    name: 'outside a git work tree .gitignore does not count, .ignore and .rgignore do',
    tree: { '.gitignore': '*.txt\n', '.ignore': 'b.md\n', '.rgignore': 'c.md\n', 'a.txt': 'needle a\n', 'b.md': 'needle b\n', 'c.md': 'needle c\n', 'd.md': 'needle d\n' },
    options: { pattern: 'needle' },
    matches: [m('a.txt', 1, 'needle a'), m('d.md', 1, 'needle d')],
  },
  {
    name: 'a .gitignore directory pattern prunes the directory: a `!` inside cannot bring a file back',
    tree: { '.git/': '', '.gitignore': 'out/\n!out/keep.txt\n', 'out/keep.txt': 'needle\n', 'in/x.txt': 'needle\n' },
    options: { pattern: 'needle' },
    matches: [m('in/x.txt', 1, 'needle')],
  },
  {
    name: 'git pattern syntax: `**`, classes, `?`, escapes, trailing spaces, comments',
    tree: {
      '.git/': '',
      '.gitignore': '# comment\n**/gen/**\nlogs/**/*.txt\nfile[0-9].md\n?.c\n\\#hash\nspace.txt   \n',
      'a/gen/x.js': 'needle\n',
      'logs/a/b/c.txt': 'needle\n',
      'logs/a/keep.md': 'needle\n',
      'file1.md': 'needle\n',
      'fileA.md': 'needle\n',
      'x.c': 'needle\n',
      'xy.c': 'needle\n',
      '#hash': 'needle\n',
      'space.txt': 'needle\n',
    },
    options: { pattern: 'needle' },
    matches: [m('fileA.md', 1, 'needle'), m('logs/a/keep.md', 1, 'needle'), m('xy.c', 1, 'needle')],
  },
  // A rule judges the path itself, not its parents (ripgrep prunes instead): where git — and the npm
  // `ignore` package, which follows git — would call build/x.txt ignored through build/, ripgrep
  // searches it. The search promises ripgrep's results, so the parsing stays Keel's own.
  {
    name: 'an .ignore `!` re-admits a directory .gitignore leaves out, and its files with it',
    tree: { '.git/': '', '.gitignore': 'build/\n', '.ignore': '!build/\n', 'build/x.txt': 'needle\n', 'build/sub/y.txt': 'needle\n' },
    options: { pattern: 'needle' },
    matches: [m('build/sub/y.txt', 1, 'needle'), m('build/x.txt', 1, 'needle')],
  },
  {
    name: 'searched from inside a directory .gitignore leaves out, its files are searched',
    tree: { '.git/': '', '.gitignore': 'build/\n', 'build/sub/y.txt': 'needle\n' },
    path: 'build/sub',
    root: 'build/sub',
    options: { pattern: 'needle' },
    matches: [m('y.txt', 1, 'needle')],
  },
];

const backends = ['ripgrep', 'node'] as const;

async function run(testCase: Case, backend: (typeof backends)[number]): Promise<{ result: SearchResult; root: string }> {
  const root = makeTree(testCase.tree ?? repo);
  const target = testCase.path === undefined ? root : `${root}/${testCase.path}`;
  const result = await searchFiles({ ...testCase.options, path: target, backend, signal: signal() });
  return { result, root };
}

describe.each(backends)('searchFiles through %s', (backend) => {
  it.each(cases)('$name', async (testCase) => {
    const { result, root } = await run(testCase, backend);
    const resultRoot = testCase.root === undefined ? root : testCase.root === '' ? root : `${root}/${testCase.root}`;
    expect(result).toEqual({
      root: resultRoot,
      matches: testCase.matches,
      totalMatches: testCase.total ?? testCase.matches.length,
      totalIsLowerBound: testCase.lowerBound ?? false,
      backend: testCase.path !== undefined && testCase.root === '' ? 'node' : backend,
    });
  });

  it('refuses a pattern that is not a regular expression, naming the field', async () => {
    const root = makeTree({ 'a.txt': 'x\n' });
    const error = await searchFiles({ pattern: '(unclosed', path: root, backend, signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'invalid', field: 'pattern' });
    expect((error as Error).message).toMatch(/^invalid regular expression: /);
  });

  it('stops when its signal aborts', async () => {
    const root = makeTree({ 'a.txt': 'needle\n' });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(searchFiles({ pattern: 'needle', path: root, backend, signal: controller.signal })).rejects.toThrow('stop');
  });
});

describe('searchFiles', () => {
  it('names a missing path and the cause', async () => {
    await expect(searchFiles({ pattern: 'x', path: '/nonexistent/keel', signal: signal() })).rejects.toMatchObject({
      kind: 'notFound',
      message: 'cannot search /nonexistent/keel: no such file or directory (ENOENT)',
    });
  });

  it('refuses a relative path', async () => {
    await expect(searchFiles({ pattern: 'x', path: 'src', signal: signal() })).rejects.toMatchObject({ kind: 'invalid', field: 'path' });
  });

  it('falls back to Node when ripgrep is not on PATH, and says it needs it when asked for ripgrep', async () => {
    const root = makeTree({ 'a.txt': 'needle\n' });
    const result = await searchFiles({ pattern: 'needle', path: root, searchPath: '/nonexistent', signal: signal() });
    expect(result.backend).toBe('node');
    await expect(searchFiles({ pattern: 'needle', path: root, searchPath: '/nonexistent', backend: 'ripgrep', signal: signal() })).rejects.toMatchObject({
      kind: 'unavailable',
      message: 'ripgrep (rg) is not on PATH',
    });
  });
});
