// The `.git` of repositories nested inside a writable root (a vendored clone, a submodule, a
// worktree), which a sandboxed command must not write either: a hook or a `core.fsmonitor` planted
// there runs later, outside the sandbox, when the user runs git in that repository. Codex protects
// only each root's own `.git`; Keel finds the nested ones when a command starts, by walking the
// roots the policy names (the workspace; not the implicit /tmp and $TMPDIR, which hold anyone's
// scratch trees and would cost seconds) breadth first, without following links and without
// entering a `.git` or `node_modules` (package managers leave no repositories there, and it is
// where most of a JavaScript tree's directories are). The walk reads at most MAX_DIRS directories
// per command: Keel's own tree, 450 directories besides node_modules, took 30 ms warm on an idle
// core here (250 ms at a load average of 20); a tree larger than that is protected as far as the
// walk got. Keel's own writes need no walk: path-check.ts refuses any path with a `.git`
// component inside a root.
import fs from 'node:fs';
import path from 'node:path';

export const MAX_DIRS = 4_000;
const NOT_ENTERED = new Set(['.git', 'node_modules']);

/** Every `.git` (directory or file) below `roots`, and the git directory a `.git` file names, breadth first. */
export function nestedGitPaths(roots: readonly string[], maxDirs = MAX_DIRS): string[] {
  const found = new Set<string>();
  const queue = [...roots];
  let read = 0;
  while (queue.length > 0 && read < maxDirs) {
    const dir = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    read++;
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.name === '.git' && (entry.isDirectory() || entry.isFile())) {
        found.add(full);
        if (entry.isFile()) {
          const gitDir = pointedGitDir(full);
          if (gitDir !== null) found.add(gitDir);
        }
      }
      if (entry.isDirectory() && !NOT_ENTERED.has(entry.name)) queue.push(full);
    }
  }
  return [...found];
}

/** The directory a `.git` file names (`gitdir: <path>`), real, when it exists. */
function pointedGitDir(file: string): string | null {
  try {
    const match = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(file, 'utf8').slice(0, 4096));
    return match === null ? null : fs.realpathSync(path.resolve(path.dirname(file), match[1]!));
  } catch {
    return null;
  }
}
