// Where skills are found for a working directory, and the scan of those places. Roots, in order:
// the repository's — `.agents/skills`, `.codex/skills` and `.claude/skills` (Codex's and Claude
// Code's folders) in every directory from the cwd up to the repository root (the nearest directory
// holding `.git`; the cwd alone outside a repository), nearest first — then the user's
// `$KEEL_HOME/skills` (the one part of Keel's home the sandbox shows, read-only) and
// `~/.agents/skills` (Codex's user folder), then the extra roots a client set
// (skills/extraRoots/set). Each root is
// walked for SKILL.md files (a skill is the directory holding one); hidden directories are skipped
// and the walk is bounded, so a huge tree cannot stall a turn.
import fs from 'node:fs/promises';
import path from 'node:path';
import { readSkillFile, SKILL_FILE, type Skill, type SkillError, type SkillScope } from './skill-file.js';

export const REPO_SKILL_DIRS = ['.agents/skills', '.codex/skills', '.claude/skills'] as const;
const MAX_DEPTH = 6;
const MAX_DIRECTORIES_PER_ROOT = 2000;

export interface SkillRoot {
  path: string;
  scope: SkillScope;
}

export interface Discovered {
  skills: Skill[];
  errors: SkillError[];
}

const exists = async (file: string) => (await fs.stat(file).catch(() => null)) !== null;

/** The directories from `cwd` up to its repository root, nearest first (the cwd alone outside a repository). */
export async function repoDirectories(cwd: string): Promise<string[]> {
  const chain: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    chain.push(dir);
    if (await exists(path.join(dir, '.git'))) return chain;
    if (path.dirname(dir) === dir) return [path.resolve(cwd)];
  }
}

/** `~/.agents/skills`: the user's skills outside Keel's home. */
export const userAgentsSkills = (userHome: string) => path.join(userHome, '.agents', 'skills');

export async function skillRoots(cwd: string, homes: { keelHome: string; userHome: string }, extraRoots: readonly string[]): Promise<SkillRoot[]> {
  const repo = (await repoDirectories(cwd)).flatMap((dir) => REPO_SKILL_DIRS.map((sub): SkillRoot => ({ path: path.join(dir, sub), scope: 'repo' })));
  const user: SkillRoot[] = [path.join(homes.keelHome, 'skills'), userAgentsSkills(homes.userHome)].map((root) => ({ path: root, scope: 'user' }));
  return [...repo, ...user, ...extraRoots.map((root): SkillRoot => ({ path: path.resolve(root), scope: 'user' }))];
}

/** The SKILL.md files under `root`, breadth first, sorted within a directory. */
async function skillFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  let level = [root];
  let visited = 0;
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visited > MAX_DIRECTORIES_PER_ROOT) return found;
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.name === SKILL_FILE && (entry.isFile() || entry.isSymbolicLink())) found.push(full);
        else if (!entry.name.startsWith('.') && (entry.isDirectory() || (entry.isSymbolicLink() && (await fs.stat(full).catch(() => null))?.isDirectory()))) next.push(full);
      }
    }
    level = next;
  }
  return found;
}

/** Every skill under the roots (a SKILL.md reached twice counts once), and every file that failed. */
export async function discoverSkills(roots: readonly SkillRoot[]): Promise<Discovered> {
  const seen = new Set<string>();
  const out: Discovered = { skills: [], errors: [] };
  for (const root of roots) {
    if (!(await fs.stat(root.path).catch(() => null))?.isDirectory()) continue;
    const files = await skillFiles(root.path);
    const reals = await Promise.all(files.map((file) => fs.realpath(file).catch(() => file)));
    // The first path in walk order wins, whatever order the realpaths resolved in.
    const fresh: string[] = [];
    files.forEach((file, i) => {
      if (seen.has(reals[i]!)) return;
      seen.add(reals[i]!);
      fresh.push(file);
    });
    const read = await Promise.all(fresh.map((file) => readSkillFile(file, root.scope)));
    const inRoot: Skill[] = [];
    for (const each of read) {
      if (each.ok) inRoot.push(each.skill);
      else out.errors.push(each.error);
    }
    out.skills.push(...inRoot.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.path < b.path ? -1 : 1)));
  }
  return out;
}
