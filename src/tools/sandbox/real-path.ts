// Where a path really lands: each component is followed as the kernel would follow it — symlinked
// directories and files (dangling ones too: a write through them creates their target), and `..`
// taken after a symlink is resolved, not lexically. Components that do not exist yet are joined
// as written, so a path to a file about to be created resolves too.
import fs from 'node:fs';
import path from 'node:path';

/** Linux's limit on symlinks followed in one lookup (ELOOP beyond it). */
const MAX_SYMLINKS = 40;

/** The real absolute location of `absolutePath`; null when it loops through too many symlinks. */
export function realLocation(absolutePath: string): string | null {
  // A stack of components still to walk, the next one last: a symlink's target is pushed onto it.
  const pending = components(absolutePath);
  let current = '/';
  let followed = 0;
  while (pending.length > 0) {
    const part = pending.pop()!;
    if (part === '.') continue;
    if (part === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    const target = readLink(next);
    if (target === null) {
      current = next;
      continue;
    }
    if (++followed > MAX_SYMLINKS) return null;
    if (path.isAbsolute(target)) current = '/';
    pending.push(...components(target));
  }
  return current;
}

/** The real location where it exists, else the path itself (resolved lexically). */
export function realOrResolved(somePath: string): string {
  const resolved = path.resolve(somePath);
  try {
    return fs.realpathSync.native(resolved);
  } catch {
    return resolved;
  }
}

/** Whether `candidate` is `root` or inside it (both absolute and normalised). */
export function isWithin(candidate: string, root: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return candidate.startsWith(prefix);
}

function components(somePath: string): string[] {
  return somePath.split('/').filter((part) => part !== '').reverse();
}

/** The target of `somePath` when it is a symlink; null when it is anything else or does not exist. */
function readLink(somePath: string): string | null {
  try {
    return fs.lstatSync(somePath).isSymbolicLink() ? fs.readlinkSync(somePath) : null;
  } catch {
    return null;
  }
}
