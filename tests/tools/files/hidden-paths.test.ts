// The places the gate hides (Keel's home, a database kept outside it) are skipped by every walk —
// listing, glob, search through ripgrep and through plain Node — wherever they are met, by real
// path; and a read that lands in one once open (a symlink swapped in after the check) is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { globFiles, listDirectory, readFileRange, searchFiles } from '../../../src/tools/files/index.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-hidden-')));
const home = path.join(base, 'home');
const db = path.join(base, 'work', 'threads.db');
for (const [file, text] of [['home/auth.json', 'sk-hidden-key\n'], ['home/skills/lint/SKILL.md', 'sk-skill-body\n'], ['work/a.txt', 'sk-visible\n'], ['work/threads.db', 'sk-in-db\n'], ['work/threads.db-wal', 'sk-in-wal\n']]) {
  fs.mkdirSync(path.dirname(path.join(base, file!)), { recursive: true });
  fs.writeFileSync(path.join(base, file!), text!);
}
fs.symlinkSync(base, path.join(base, 'work', 'up'));
const hidden = [home, db, `${db}-wal`];
const signal = new AbortController().signal;
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('hidden places', () => {
  it('are left out of listings and globs rooted above them', async () => {
    const listing = await listDirectory(base, { signal, depth: 3, hidden });
    expect(listing.entries.map((entry) => entry.path)).toEqual(['work', 'work/a.txt', 'work/up']);
    const glob = await globFiles('**/*', base, { signal, hidden, includeHidden: true });
    expect(glob.paths).toEqual(['work/a.txt', 'work/up']);
  });

  for (const backend of ['ripgrep', 'node'] as const) {
    it(`are never searched (${backend}), whatever glob picks them`, async () => {
      for (const glob of [[], ['*.json'], ['home/**'], ['threads.db*']]) {
        const result = await searchFiles({ signal, pattern: 'sk-', path: base, glob, backend, hidden, includeHidden: true });
        expect(result.matches.map((match) => match.path), glob.join()).toEqual(glob.length === 0 ? ['work/a.txt'] : []);
      }
    });
  }

  it("show what the home still shows (its skills), to a read and to walks rooted there", async () => {
    const skills = path.join(home, 'skills');
    expect(await readFileRange(path.join(skills, 'lint', 'SKILL.md'), { signal, hidden })).toMatchObject({ kind: 'text', lines: ['sk-skill-body'] });
    expect((await globFiles('**/*', skills, { signal, hidden })).paths).toEqual(['lint/SKILL.md']);
    for (const backend of ['ripgrep', 'node'] as const) {
      const result = await searchFiles({ signal, pattern: 'sk-', path: skills, backend, hidden });
      expect(result.matches.map((match) => match.path), backend).toEqual(['lint/SKILL.md']);
    }
  });

  it('refuse a read that lands in one once open', async () => {
    const swapped = path.join(base, 'work', 'swapped');
    fs.symlinkSync(path.join(home, 'auth.json'), swapped);
    await expect(readFileRange(swapped, { signal, hidden })).rejects.toThrow(/inside Keel's home or its store/);
    const result = await searchFiles({ signal, pattern: 'sk-', path: swapped, backend: 'node', hidden });
    expect(result.matches).toEqual([]);
  });
});
