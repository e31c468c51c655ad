// Where skills are found: the repository's folders from the cwd up to its root (nearest first),
// not above the root; outside a repository the cwd alone; a SKILL.md reached twice (a symlinked
// folder) counts once; hidden folders and folders too deep are not walked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverSkills, skillRoots } from '../../src/skills/discover.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-skills-')));
  dirs.push(dir);
  return dir;
}

function skill(dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'SKILL.md'), `---\nname: ${name}\ndescription: The ${name} skill.\n---\n`);
  return path.join(dir, 'SKILL.md');
}

const names = async (cwd: string, homes: { keelHome: string; userHome: string }, extra: string[] = []) =>
  (await discoverSkills(await skillRoots(cwd, homes, extra))).skills.map((found) => `${found.scope}:${found.name}`);

describe('skill discovery', () => {
  it('walks from the cwd up to the repository root, nearest first, then the user roots, then extra roots', async () => {
    const top = tempDir();
    const repo = path.join(top, 'repo');
    const pkg = path.join(repo, 'packages', 'web');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    skill(path.join(top, '.agents', 'skills', 'above-root'), 'above-root');
    skill(path.join(repo, '.codex', 'skills', 'root'), 'root');
    skill(path.join(repo, '.claude', 'skills', 'b-root'), 'b-root');
    skill(path.join(pkg, '.agents', 'skills', 'web'), 'web');
    const keelHome = path.join(top, 'keel');
    const userHome = path.join(top, 'user');
    skill(path.join(keelHome, 'skills', 'mine'), 'mine');
    skill(path.join(userHome, '.agents', 'skills', 'ours'), 'ours');
    const extra = path.join(top, 'extra');
    skill(path.join(extra, 'deep', 'er', 'x'), 'deep');
    expect(await names(pkg, { keelHome, userHome }, [extra])).toEqual(['repo:web', 'repo:root', 'repo:b-root', 'user:mine', 'user:ours', 'user:deep']);
    // Outside a repository: the cwd's own folders only.
    expect(await names(path.join(top, 'elsewhere'), { keelHome, userHome })).toEqual(['user:mine', 'user:ours']);
  });

  it('a folder linked twice counts once; hidden and too-deep folders are skipped', async () => {
    const top = tempDir();
    const root = path.join(top, 'root');
    const real = skill(path.join(root, 'real'), 'real');
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    skill(path.join(root, '.hidden', 'h'), 'hidden');
    skill(path.join(root, 'a', 'b', 'c', 'd', 'e', 'f', 'g'), 'too-deep');
    skill(path.join(root, 'a', 'b', 'c', 'd', 'e', 'f'), 'deep-enough');
    const found = await discoverSkills([{ path: root, scope: 'user' }]);
    expect(found).toEqual({
      skills: [
        { name: 'deep-enough', description: 'The deep-enough skill.', shortDescription: null, path: path.join(root, 'a/b/c/d/e/f/SKILL.md'), scope: 'user' },
        // Found first as `link` (the walk goes in name order), then not again as `real`.
        { name: 'real', description: 'The real skill.', shortDescription: null, path: path.join(root, 'link/SKILL.md'), scope: 'user' },
      ],
      errors: [],
    });
    expect(fs.realpathSync(found.skills[1]!.path)).toBe(real);
  });
});
