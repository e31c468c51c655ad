// Places a walk, search or read must never show (Keel's home and its database: the gate names them,
// as real paths), but for what the sandbox policy shows inside them (its skills: shownInsideHidden). A walk compares each entry's real path — the walk descends only real directories,
// so an entry's real path is its directory's real path and its name. A read checks, after opening,
// where the kernel says the open file really is (/proc/self/fd/N), so a symlink swapped in between
// the gate's check and the open, or a /proc magic link realpath cannot see through, still lands
// nowhere hidden.
import fs from 'node:fs/promises';
import { shownInsideHidden } from '../sandbox/policy.js';
import { isWithin } from '../sandbox/real-path.js';
import { refused } from './fs-errors.js';

export type HiddenPaths = readonly string[];

/** Whether the real path `real` is one of `hidden` or inside one. */
export function isHiddenPath(real: string, hidden: HiddenPaths | undefined): boolean {
  return hidden !== undefined && hidden.some((place) => isWithin(real, place) && !shownInsideHidden(real, place));
}

/** Throws, naming `file`, when the open `handle` is really inside a hidden place. */
export async function refuseHiddenHandle(file: string, handle: fs.FileHandle, hidden: HiddenPaths | undefined): Promise<void> {
  if (hidden === undefined || hidden.length === 0) return;
  let real: string;
  try {
    real = await fs.readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    // No /proc to ask: the gate's check of the path is all there is.
    return;
  }
  if (isHiddenPath(real, hidden)) throw refused(file, `is really ${real}, inside Keel's home or its store, which are hidden from the model`);
}
