// The check Keel's own tools (apply_patch, file edits, file reads) run before touching a path,
// since they write in-process where no bubblewrap confines them. A path is judged by where it
// really lands (real-path.ts): a symlink inside the workspace that points outside is outside.
import path from 'node:path';
import type { SandboxPolicy } from '../../core/protocol-types.js';
import { hiddenPaths, protectedPaths, shownInsideHidden, writableRoots, type SandboxContext } from './policy.js';
import { isWithin, realLocation, realOrResolved } from './real-path.js';

export type PathVerdict = { ok: true } | { ok: false; path: string; reason: string };

const ALLOWED: PathVerdict = { ok: true };

/** Whether every one of `paths` (relative ones against ctx.cwd) may be written; the first refused one otherwise. */
export function checkWrite(policy: SandboxPolicy, ctx: SandboxContext, paths: readonly string[]): PathVerdict {
  const roots = writableRoots(policy, ctx);
  if (roots === null) return ALLOWED;
  const keelHome = realOrResolved(ctx.keelHome);
  const gitDirs = protectedPaths(roots, ctx).filter((protectedPath) => protectedPath !== keelHome);
  for (const given of paths) {
    const absolute = path.resolve(ctx.cwd, given);
    const real = realLocation(absolute);
    const subject = describe('writing', absolute, real);
    if (real === null) return refused(absolute, `${subject} goes through too many symbolic links`);
    const inRoot = roots.some((root) => isWithin(real, root));
    if (!inRoot) return refused(absolute, `${subject} is outside the sandbox's writable roots (${rootList(roots)})`);
    if (isWithin(real, keelHome)) return refused(absolute, `${subject} is inside Keel's home, which the sandbox protects`);
    if (gitDirs.some((gitDir) => isWithin(real, gitDir)) || insideGit([real, absolute], [...roots, path.resolve(ctx.cwd)])) return refused(absolute, `${subject} is inside .git, which the sandbox protects`);
  }
  return ALLOWED;
}

/**
 * Whether `given` may be read by Keel's own tools: anything but Keel's home (its credentials) and a
 * database kept outside it (hiddenPaths), under every policy — danger-full-access too, since no
 * task needs auth.json and a command's read of it there is unconfined anyway. `/proc` routes
 * (`/proc/self/root/…`, `/proc/<pid>/cwd/…`, `/proc/self/fd/N`) are followed as the kernel
 * follows them: their readlink names the real place.
 */
export function checkRead(_policy: SandboxPolicy, ctx: SandboxContext, given: string): PathVerdict {
  const absolute = path.resolve(ctx.cwd, given);
  const real = realLocation(absolute);
  const subject = describe('reading', absolute, real);
  if (real === null) return refused(absolute, `${subject} goes through too many symbolic links`);
  const [home, ...files] = hiddenPaths(ctx);
  if (isWithin(real, home!) && !shownInsideHidden(real, home!)) return refused(absolute, `${subject} is inside Keel's home, which is hidden from the model`);
  if (files.some((file) => isWithin(real, file))) return refused(absolute, `${subject} is Keel's thread store, which is hidden from the model`);
  return ALLOWED;
}

/**
 * Whether any of `paths` has a `.git` component below a root it lies in: the repository of the root
 * or one nested in it, existing or not (a planted hook or config would run outside the sandbox).
 */
function insideGit(paths: readonly string[], roots: readonly string[]): boolean {
  return paths.some((each) => roots.some((root) => isWithin(each, root) && path.relative(root, each).split(path.sep).includes('.git')));
}

/** "writing /a/b", naming the real location too when a symlink or `..` moved it. */
function describe(action: string, absolute: string, real: string | null): string {
  return real === null || real === absolute ? `${action} ${absolute}` : `${action} ${absolute} (really ${real})`;
}

function rootList(roots: readonly string[]): string {
  return roots.length === 0 ? 'none: the sandbox is read-only' : roots.join(', ');
}

function refused(absolute: string, reason: string): PathVerdict {
  return { ok: false, path: absolute, reason };
}
