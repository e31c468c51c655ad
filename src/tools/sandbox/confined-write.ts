// Keel's own writes (patches, the text editor, restored files), confined to the sandbox's writable
// roots at the moment of writing. Checking a path and then writing it by name is a race: a command
// can swap a directory for a symbolic link in between and the write lands where the link points.
// So a confined write opens the writable root that holds the path's real location, then walks down
// to the parent directory one component at a time, each opened with O_NOFOLLOW|O_DIRECTORY relative
// to the directory before it, and does its work relative to that last descriptor. A symbolic link
// met on the way — put there after the check — refuses the write; nothing is written or left
// anywhere.
//
// Node has no openat(2), but Linux gives its semantics: `/proc/self/fd/<fd>/<name>` resolves `name`
// in the directory the descriptor holds, whatever has since happened to the path it was opened by
// (the descriptor's magic link is not resolved again by name). Without a confinement (no sandbox,
// or a write the user approved outside the roots) the same operations run on the plain path.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SandboxPolicy } from '../../core/protocol-types.js';
import { checkWrite } from './path-check.js';
import { writableRoots, type SandboxContext } from './policy.js';
import { isWithin, realLocation } from './real-path.js';

/** Where Keel's own writes may land: the writable roots of `policy`, as path-check.ts judges them. */
export interface WriteConfinement {
  policy: SandboxPolicy;
  context: SandboxContext;
}

/** A write the confinement refused at the moment of writing; nothing was written. */
export class ConfinementError extends Error {
  readonly code = 'EKEELCONFINED';
}

const DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY;
const STEP = DIRECTORY | constants.O_NOFOLLOW;

/** A path relative to an open directory, as openat(2) would take it. */
const at = (dir: fs.FileHandle, name: string) => `/proc/self/fd/${dir.fd}/${name}`;

/** The parent directory of a path, open, and the path's last component in it. */
interface Parent {
  dir: fs.FileHandle;
  name: string;
  /** Directories this call created, outermost first (absolute). */
  created: string[];
}

interface ParentOptions {
  /** Create missing directories on the way (for a write). */
  create: boolean;
  /** A symbolic link as the last component is followed (a write through it writes its target), not acted on itself. */
  followLast: boolean;
}

/**
 * Opens `file`'s parent: confined, by a no-follow walk from the outermost writable root that holds
 * its real location, after the same check the gate ran (which may now refuse: the path moved).
 */
async function openParent(file: string, confinement: WriteConfinement | null, options: ParentOptions): Promise<Parent> {
  const roots = confinement === null ? null : writableRoots(confinement.policy, confinement.context);
  if (confinement === null || roots === null) return openPlainParent(file, options);
  const absolute = path.resolve(confinement.context.cwd, file);
  const verdict = checkWrite(confinement.policy, confinement.context, [absolute]);
  if (!verdict.ok) throw new ConfinementError(`refused: ${verdict.reason}`);
  const realParent = realLocation(path.dirname(absolute));
  const real = options.followLast ? realLocation(absolute) : realParent === null ? null : path.join(realParent, path.basename(absolute));
  if (real === null) throw new ConfinementError(`refused: writing ${absolute} goes through too many symbolic links`);
  // The outermost root: everything below it may be swapped by a sandboxed command, nothing above.
  const root = roots.filter((candidate) => isWithin(real, candidate)).sort((a, b) => a.length - b.length)[0];
  if (root === undefined || real === root) throw new ConfinementError(`refused: writing ${absolute} is outside the sandbox's writable roots`);
  const parts = path.relative(root, real).split(path.sep);
  const name = parts.pop()!;
  let dir = await fs.open(root, STEP);
  const created: string[] = [];
  let reached = root;
  try {
    for (const part of parts) {
      reached = path.join(reached, part);
      const next = await openStep(dir, part, reached, options.create, created, absolute);
      await dir.close();
      dir = next;
    }
  } catch (error) {
    await dir.close();
    throw error;
  }
  return { dir, name, created };
}

async function openStep(dir: fs.FileHandle, part: string, reached: string, create: boolean, created: string[], absolute: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(at(dir, part), STEP);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'ELOOP') {
      throw new ConfinementError(`refused: writing ${absolute}: ${reached} is not a directory (a symbolic link or a file is in its place, put there since the path was checked or before); nothing was written`);
    }
    if (code !== 'ENOENT' || !create) throw error;
  }
  try {
    await fs.mkdir(at(dir, part));
    created.push(reached);
  } catch (error) {
    // Someone made it in between: opened (no-follow) below like any other.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return openStep(dir, part, reached, false, created, absolute);
}

/** The unconfined parent: by its path, links followed, as a plain write would. */
async function openPlainParent(file: string, options: ParentOptions): Promise<Parent> {
  const target = options.followLast ? await fs.realpath(file).catch(() => file) : file;
  const parent = path.dirname(target);
  const created: string[] = [];
  if (options.create) {
    const first = await fs.mkdir(parent, { recursive: true });
    if (first !== undefined) for (let each = parent; each.length >= first.length; each = path.dirname(each)) created.unshift(each);
  }
  return { dir: await fs.open(parent, DIRECTORY), name: path.basename(target), created };
}

async function withParent<T>(file: string, confinement: WriteConfinement | null, options: ParentOptions, act: (parent: Parent) => Promise<T>): Promise<T> {
  const parent = await openParent(file, confinement, options);
  try {
    return await act(parent);
  } finally {
    await parent.dir.close();
  }
}

/**
 * The temp files of Keel's writes are `.<name>.keel-patch-<hex>` beside their target; recovery
 * removes those a killed write left (engine/recover-writes.ts).
 */
export const WRITE_TEMP_MARK = '.keel-patch-';

/** New content written and flushed beside its file, not yet in place: `commitFile` renames it over the file, `discardFile` removes it. */
export interface PreparedWrite {
  file: string;
  temp: string;
  /** Directories made for it, outermost first (absolute). */
  created: string[];
}

/**
 * Writes `content` to `file` whole or not at all: a temporary file beside it (created exclusively,
 * never through a link), flushed to disk, then renamed over it. Missing directories are created.
 * Returns the directories it created, outermost first. `mode`: the file's mode (else the umask's).
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array, confinement: WriteConfinement | null, mode?: number): Promise<string[]> {
  const prepared = await prepareFile(file, content, confinement, mode);
  try {
    await commitFile(prepared, confinement);
  } catch (error) {
    await discardFile(prepared, confinement);
    throw error;
  }
  return prepared.created;
}

/**
 * The first half of `writeFileAtomic`: the content in a flushed temp file beside `file` (many can be
 * prepared at once, so their fsyncs overlap). Nothing is left when it fails.
 */
export function prepareFile(file: string, content: string | Uint8Array, confinement: WriteConfinement | null, mode?: number): Promise<PreparedWrite> {
  return withParent(file, confinement, { create: true, followLast: true }, async ({ dir, name, created }) => {
    const temp = `.${name}${WRITE_TEMP_MARK}${randomBytes(6).toString('hex')}`;
    const handle = await fs.open(at(dir, temp), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
    try {
      try {
        await handle.writeFile(content);
        if (mode !== undefined) await handle.chmod(mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await fs.rm(at(dir, temp), { force: true });
      throw error;
    }
    return { file, temp, created };
  });
}

/** Renames a prepared temp file over its file, the parent reached again by the same confined walk (a link swapped in since refuses it). */
export function commitFile(prepared: PreparedWrite, confinement: WriteConfinement | null): Promise<void> {
  return withParent(prepared.file, confinement, { create: false, followLast: true }, ({ dir, name }) => fs.rename(at(dir, prepared.temp), at(dir, name)));
}

/** Removes a prepared temp file that will not be committed. */
export async function discardFile(prepared: PreparedWrite, confinement: WriteConfinement | null): Promise<void> {
  await withParent(prepared.file, confinement, { create: false, followLast: true }, ({ dir }) => fs.rm(at(dir, prepared.temp), { force: true })).catch(() => undefined);
}

/** Removes the file (a link itself, never what it points to). */
export function removeFile(file: string, confinement: WriteConfinement | null): Promise<void> {
  return withParent(file, confinement, { create: false, followLast: false }, ({ dir, name }) => fs.unlink(at(dir, name)));
}

/** Removes an empty directory; false when it is not there or not empty. */
export function removeEmptyDir(dir: string, confinement: WriteConfinement | null): Promise<boolean> {
  return withParent(dir, confinement, { create: false, followLast: false }, async ({ dir: parent, name }) => {
    await fs.rmdir(at(parent, name));
    return true;
  }).catch(() => false);
}
