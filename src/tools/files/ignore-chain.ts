// Which ignore files speak for a path, as ripgrep decides it (so that the pure-Node search gives
// ripgrep's results). Each directory from `/` down to the path's own may hold `.rgignore`,
// `.ignore` and `.gitignore`, and a repository root `.git/info/exclude`. Of each kind the deepest
// file with a verdict decides, and the kinds rank in that order. `.gitignore` and `exclude` count
// only inside a git work tree (some directory on the way holds `.git`), and only up to the nearest
// such root: a nested repository does not inherit its parent's rules. Global git excludes
// (core.excludesFile) are not read; ripgrep is told the same (`--no-ignore-global`).
import fs from 'node:fs/promises';
import path from 'node:path';
import { IgnoreRules, type IgnoreVerdict } from './ignore-rules.js';

interface DirectoryRules {
  dir: string;
  rgignore: IgnoreRules | null;
  ignore: IgnoreRules | null;
  gitignore: IgnoreRules | null;
  exclude: IgnoreRules | null;
  hasGit: boolean;
}

async function readRules(file: string): Promise<IgnoreRules | null> {
  try {
    const rules = IgnoreRules.parse(await fs.readFile(file, 'utf8'));
    return rules.size > 0 ? rules : null;
  } catch {
    // Missing or unreadable: no rules, as for ripgrep.
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The rules of one directory. `names`, when the caller has listed the directory already, saves
 * looking for files that are not there.
 */
async function directoryRules(dir: string, names?: ReadonlySet<string>): Promise<DirectoryRules> {
  const has = (name: string) => (names === undefined ? true : names.has(name));
  const [rgignore, ignore, gitignore, hasGit] = await Promise.all([
    has('.rgignore') ? readRules(path.join(dir, '.rgignore')) : null,
    has('.ignore') ? readRules(path.join(dir, '.ignore')) : null,
    has('.gitignore') ? readRules(path.join(dir, '.gitignore')) : null,
    names === undefined ? exists(path.join(dir, '.git')) : names.has('.git'),
  ]);
  const exclude = hasGit ? await readRules(path.join(dir, '.git', 'info', 'exclude')) : null;
  return { dir, rgignore, ignore, gitignore, exclude, hasGit };
}

function relativeTo(dir: string, file: string): string {
  const relative = path.relative(dir, file);
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

export class IgnoreChain {
  private constructor(
    /** Outermost first. */
    private readonly nodes: readonly DirectoryRules[],
    private readonly inGitTree: boolean,
  ) {}

  /** No rules at all (a walk that includes ignored entries). */
  static readonly none = new IgnoreChain([], false);

  /** The rules of every directory above `root` (not `root` itself: the walk adds it with its listing). */
  static async above(root: string): Promise<IgnoreChain> {
    if (path.dirname(root) === root) return IgnoreChain.none;
    const dirs: string[] = [];
    for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
      dirs.unshift(dir);
      if (path.dirname(dir) === dir) break;
    }
    const nodes = await Promise.all(dirs.map((dir) => directoryRules(dir)));
    return new IgnoreChain(nodes, nodes.some((node) => node.hasGit));
  }

  /** The chain inside `dir`, a child of the last directory (or the root), given its entry names. */
  async enter(dir: string, names: ReadonlySet<string>): Promise<IgnoreChain> {
    const node = await directoryRules(dir, names);
    const quiet = node.rgignore === null && node.ignore === null && node.gitignore === null && node.exclude === null && !node.hasGit;
    // A directory without rules adds nothing to look at; sharing the chain keeps deep walks cheap.
    if (quiet) return this;
    return new IgnoreChain([...this.nodes, node], this.inGitTree || node.hasGit);
  }

  verdict(file: string, isDir: boolean): IgnoreVerdict {
    let rgignore: IgnoreVerdict = null;
    let ignore: IgnoreVerdict = null;
    let gitignore: IgnoreVerdict = null;
    let exclude: IgnoreVerdict = null;
    let pastGitRoot = !this.inGitTree;
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      const relative = relativeTo(node.dir, file);
      if (rgignore === null && node.rgignore) rgignore = node.rgignore.verdict(relative, isDir);
      if (ignore === null && node.ignore) ignore = node.ignore.verdict(relative, isDir);
      if (!pastGitRoot) {
        if (gitignore === null && node.gitignore) gitignore = node.gitignore.verdict(relative, isDir);
        if (exclude === null && node.exclude) exclude = node.exclude.verdict(relative, isDir);
      }
      if (node.hasGit) pastGitRoot = true;
    }
    return rgignore ?? ignore ?? gitignore ?? exclude;
  }
}
