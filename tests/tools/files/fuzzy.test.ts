// Fuzzy matching scored as quick-open: word starts, runs, the last path component first; and the
// search over roots (hidden entries in, ignored ones out, the deeper root owns an entry, a cap).
import { describe, expect, it } from 'vitest';
import { BASENAME_BONUS, FuzzyQuery } from '../../../src/tools/files/fuzzy-match.js';
import { fuzzyFileSearch } from '../../../src/tools/files/fuzzy-search.js';
import { cleanTreesAfterEach, makeTree, signal } from './tree.js';

cleanTreesAfterEach();

/** The candidates that match, best first (ties by path). */
function rank(query: string, candidates: string[]): string[] {
  const fuzzy = new FuzzyQuery(query);
  return candidates
    .map((candidate) => ({ candidate, match: fuzzy.match(candidate) }))
    .filter((x) => x.match !== null)
    .sort((a, b) => b.match!.score - a.match!.score || (a.candidate < b.candidate ? -1 : 1))
    .map((x) => x.candidate);
}

describe('FuzzyQuery', () => {
  it.each<[string, string, { score: number; indices: number[] } | null]>([
    // The scores Codex (nucleo) gives the same paths, from its recorded fuzzyFileSearch answer.
    ['mock', 'mock-requests-hello.jsonl', { score: 65645, indices: [0, 1, 2, 3] }],
    ['mock', 'homes/hello/.mockport', { score: 65640, indices: [13, 14, 15, 16] }],
    ['mock', 'homes/hello/skills/.system/imagegen/scripts/remove_chroma_key.py', { score: 65607, indices: [46, 47, 51, 58] }],
    ['mock', 'homes/probe-misc/.tmp/plugins.sync.lock', { score: 63, indices: [12, 36, 37, 38] }],
    ['mock', 'homes/errors-review/skills/.system/openai-docs/SKILL.md', { score: 55, indices: [33, 35, 44, 48] }],
    ['mock', 'homes/probe-misc/skills', { score: 45, indices: [2, 8, 15, 18] }],
    ['xyz', 'src/index.ts', null],
    ['', 'anything', null],
  ])('%s in %s', (query, candidate, expected) => {
    expect(new FuzzyQuery(query).match(candidate)).toEqual(expected);
  });

  it.each<[string, string, string[]]>([
    ['word starts beat scattered letters', 'fb', ['src/foo_bar.ts', 'src/fabric.ts']],
    ['camel case humps are word starts', 'gfs', ['src/getFileSize.ts', 'src/gifts.ts']],
    ['a run beats a spread', 'read', ['src/reader.ts', 'src/red_acid.ts']],
    ['the last path component beats a directory', 'util', ['a/utilities.ts', 'util/a.ts']],
    ['a match after a slash beats one inside a word', 'ma', ['x/main.ts', 'x/gamma.ts']],
  ])('%s', (_name, query, expected) => {
    expect(rank(query, [...expected].reverse())).toEqual(expected);
  });

  it('is case-insensitive for a lower-case query and case-sensitive otherwise', () => {
    expect(new FuzzyQuery('readme').match('README.md')).not.toBeNull();
    expect(new FuzzyQuery('README').match('readme.md')).toBeNull();
  });

  it('needs every space-separated part, and marks the characters of all of them', () => {
    const fuzzy = new FuzzyQuery('src test');
    expect(fuzzy.match('src/a.ts')).toBeNull();
    expect(fuzzy.match('src/a.test.ts')).toEqual({ score: expect.any(Number), indices: [0, 1, 2, 6, 7, 8, 9] });
  });

  it('counts indices in code points', () => {
    expect(new FuzzyQuery('b').match('😀/b')?.indices).toEqual([2]);
  });

  it('ranks any match in the last component above every other', () => {
    const inName = new FuzzyQuery('zz').match('a/b/c/d/e/f/g/h/ijklmnopqrstuvwxy_z_z')!.score;
    const spread = new FuzzyQuery('zz').match('zz/a')!.score;
    expect(inName).toBeGreaterThan(BASENAME_BONUS);
    expect(spread).toBeLessThan(BASENAME_BONUS);
  });
});

describe('fuzzyFileSearch', () => {
  const tree = {
    '.git/': '',
    '.gitignore': 'dist/\n',
    '.github/workflows/ci.yml': 'x',
    'dist/main.js': 'x',
    'src/main.ts': 'x',
    'src/domain/main_loop.ts': 'x',
    'docs/maintenance.md': 'x',
    'src/link': { symlink: 'domain' },
  };

  it('matches files and directories under a root, hidden ones too, ignored ones not, best first, ties by path', async () => {
    const root = makeTree(tree);
    const hits = await fuzzyFileSearch('main', [root], { signal: signal() });
    expect(hits.map(({ path, kind, fileName }) => ({ path, kind, fileName }))).toEqual([
      // `main` starts each name: equal scores (as Codex scores them), so by path.
      { path: 'docs/maintenance.md', kind: 'file', fileName: 'maintenance.md' },
      { path: 'src/domain/main_loop.ts', kind: 'file', fileName: 'main_loop.ts' },
      { path: 'src/main.ts', kind: 'file', fileName: 'main.ts' },
      { path: 'src/domain', kind: 'directory', fileName: 'domain' },
    ]);
    expect(hits[2]).toEqual({ root, path: 'src/main.ts', fileName: 'main.ts', kind: 'file', score: BASENAME_BONUS + 109, indices: [4, 5, 6, 7] });
    expect((await fuzzyFileSearch('ci', [root], { signal: signal() })).map((hit) => hit.path)).toContain('.github/workflows/ci.yml');
    expect((await fuzzyFileSearch('link', [root], { signal: signal() })).map(({ path, kind }) => ({ path, kind }))).toEqual([{ path: 'src/link', kind: 'directory' }]);
  });

  it('gives an entry under two roots to the deeper one, skips a missing root, and caps', async () => {
    const root = makeTree(tree);
    const hits = await fuzzyFileSearch('main', [root, `${root}/src`, '/nonexistent/keel'], { limit: 3, signal: signal() });
    expect(hits.map(({ root: r, path }) => ({ root: r, path }))).toEqual([
      { root, path: 'docs/maintenance.md' },
      { root: `${root}/src`, path: 'domain/main_loop.ts' },
      { root: `${root}/src`, path: 'main.ts' },
    ]);
  });

  it('answers an empty query with nothing, and stops when its signal aborts', async () => {
    const root = makeTree(tree);
    expect(await fuzzyFileSearch('  ', [root], { signal: signal() })).toEqual([]);
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(fuzzyFileSearch('main', [root], { signal: controller.signal })).rejects.toThrow('cancelled');
  });
});

describe('FuzzyQuery on large inputs', () => {
  it('scores the first alignment when the table would be too large, by the same rules', () => {
    // 104 × 4,007 cells: past the table's limit.
    const candidate = `${'x/'.repeat(2000)}main.ts`;
    const large = new FuzzyQuery(`${'x'.repeat(100)}main`).match(candidate)!;
    expect(large.indices).toEqual([...Array.from({ length: 100 }, (_, i) => 2 * i), 4000, 4001, 4002, 4003]);
    expect(large.score).toBeGreaterThanOrEqual(1);
  });
});
