// Paths in a patch are relative to the working directory (or absolute); the engine works on
// absolute, normalised paths and shows them relative to that directory again in diffs.
import path from 'node:path';

/** The absolute, normalised path a patch path names (whether it stays inside `cwd` is the sandbox's call). */
export function resolvePatchPath(cwd: string, patchPath: string): string {
  return path.resolve(cwd, patchPath);
}

/** `absolute` relative to `root` with forward slashes when it lies inside it; otherwise itself. */
export function displayPath(root: string, absolute: string): string {
  const relative = path.relative(root, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return absolute;
  return relative.split(path.sep).join('/');
}

/** A diff label: `a/src/x.ts` for a path inside `root`, the absolute path as is otherwise. */
export function diffLabel(side: 'a' | 'b', root: string, absolute: string): string {
  const shown = displayPath(root, absolute);
  return shown === absolute ? absolute : `${side}/${shown}`;
}

/** Every directory above `absolute`, nearest first, up to the filesystem root. */
export function ancestors(absolute: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
    out.push(dir);
    if (path.dirname(dir) === dir) return out;
  }
}
