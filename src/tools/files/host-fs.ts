// The file operations a client asks for by absolute path (the fs/* methods), with Codex's
// semantics and Keel's guards: reads and writes touch regular files only (a FIFO or a device is
// refused before anything blocks on it), reads are bounded, removing `/` is refused, and a
// directory is never copied into itself. Errors name the path and the cause (fs-errors.ts).
import { constants, type Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../kernel/errors.js';
import { errnoOf, fsError, refused } from './fs-errors.js';
import { openRegularFile, readAt } from './regular-file.js';

/** The largest file fs/readFile returns: its base64 (4/3 as long) still fits a 64 MiB line with room to spare. */
const READ_FILE_MAX_BYTES = 32 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;

export async function readWholeFile(file: string, signal: AbortSignal, maxBytes = READ_FILE_MAX_BYTES): Promise<Buffer> {
  const { handle, stat } = await openRegularFile(file);
  try {
    if (stat.size > maxBytes) throw refused(file, `is ${stat.size} bytes, over the ${maxBytes}-byte maximum for a read`);
    const chunks: Buffer[] = [];
    let position = 0;
    for (;;) {
      signal.throwIfAborted();
      const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, maxBytes + 1 - position));
      const read = await readAt(handle, chunk, position);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      position += read;
      // The file grew past the maximum while it was read.
      if (position > maxBytes) throw refused(file, `grew past the ${maxBytes}-byte maximum for a read`);
    }
    return Buffer.concat(chunks);
  } catch (error) {
    throw fsError('read', file, error);
  } finally {
    await handle.close();
  }
}

/** Creates or replaces the file's contents (following a symbolic link, as a plain write does); the parent must exist. */
export async function writeWholeFile(file: string, data: Uint8Array): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_NONBLOCK, 0o666);
  } catch (error) {
    throw fsError('write', file, error);
  }
  try {
    if (!(await handle.stat()).isFile()) throw refused(file, 'is not a regular file');
    await handle.truncate(0);
    await handle.writeFile(data);
  } catch (error) {
    throw fsError('write', file, error);
  } finally {
    await handle.close();
  }
}

export async function createDirectory(dir: string, recursive: boolean): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive });
  } catch (error) {
    throw fsError('create directory', dir, error);
  }
}

export interface Metadata {
  isDirectory: boolean;
  isFile: boolean;
  isSymlink: boolean;
  createdAtMs: number;
  modifiedAtMs: number;
}

/** What the path resolves to; `isSymlink` says whether the path itself is a link (a dangling one is neither file nor directory). */
export async function getMetadata(file: string): Promise<Metadata> {
  let link;
  try {
    link = await fs.lstat(file);
  } catch (error) {
    throw fsError('read metadata of', file, error);
  }
  let target = link;
  if (link.isSymbolicLink()) {
    try {
      target = await fs.stat(file);
    } catch {
      return { isDirectory: false, isFile: false, isSymlink: true, createdAtMs: Math.floor(link.birthtimeMs), modifiedAtMs: Math.floor(link.mtimeMs) };
    }
  }
  return {
    isDirectory: target.isDirectory(),
    isFile: target.isFile(),
    isSymlink: link.isSymbolicLink(),
    createdAtMs: Math.max(0, Math.floor(target.birthtimeMs)),
    modifiedAtMs: Math.max(0, Math.floor(target.mtimeMs)),
  };
}

export interface DirectoryEntry {
  fileName: string;
  isDirectory: boolean;
  isFile: boolean;
}

/** The directory's own entries by name; a symbolic link is reported as what it points to. */
export async function readDirectoryEntries(dir: string, signal: AbortSignal): Promise<DirectoryEntry[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw fsError('read directory', dir, error);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: DirectoryEntry[] = [];
  for (const entry of entries) {
    signal.throwIfAborted();
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(path.join(dir, entry.name)).catch(() => null);
      isDirectory = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    out.push({ fileName: entry.name, isDirectory, isFile });
  }
  return out;
}

/** Removes a file, a link (not what it points to) or a directory (its contents too when `recursive`); `force`: a missing path is fine. */
export async function removePath(target: string, options: { recursive: boolean; force: boolean }): Promise<void> {
  if (path.dirname(target) === target) throw new DomainError('invalid', `refusing to remove the root directory ${target}`, 'path');
  let stat;
  try {
    stat = await fs.lstat(target);
  } catch (error) {
    if (options.force && errnoOf(error) === 'ENOENT') return;
    throw fsError('remove', target, error);
  }
  try {
    if (!stat.isDirectory()) await fs.unlink(target);
    else if (options.recursive) await fs.rm(target, { recursive: true, force: true });
    else await fs.rmdir(target);
  } catch (error) {
    throw fsError('remove', target, error);
  }
}

async function copyTree(source: string, destination: string, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  await fs.mkdir(destination, { recursive: true });
  const entries = await fs.readdir(source, { withFileTypes: true });
  for (const entry of entries) {
    const from = path.join(source, entry.name);
    const to = path.join(destination, entry.name);
    if (entry.isDirectory()) await copyTree(from, to, signal);
    else if (entry.isFile()) await fs.copyFile(from, to);
    else if (entry.isSymbolicLink()) await fs.symlink(await fs.readlink(from), to);
    // FIFOs, sockets and devices inside a tree are skipped, as Codex skips them.
  }
}

/** The path with symbolic links resolved as far as it exists (for a destination that may not). */
async function resolveExisting(target: string): Promise<string> {
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    try {
      return path.join(await fs.realpath(existing), ...missing.reverse());
    } catch {
      if (path.dirname(existing) === existing) return target;
      missing.push(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
}

/** Copies a file (replacing the destination), a link (as a link), or with `recursive` a directory tree (merged into the destination). */
export async function copyPath(source: string, destination: string, options: { recursive: boolean; signal: AbortSignal }): Promise<void> {
  let stat;
  try {
    stat = await fs.lstat(source);
  } catch (error) {
    throw fsError('copy', source, error);
  }
  try {
    if (stat.isDirectory()) {
      if (!options.recursive) throw new DomainError('invalid', `${source} is a directory: copying it needs recursive: true`, 'recursive');
      const [from, to] = await Promise.all([fs.realpath(source), resolveExisting(destination)]);
      if (to === from || to.startsWith(`${from}/`)) throw new DomainError('invalid', `cannot copy ${source} into itself (${destination})`, 'destinationPath');
      await copyTree(source, destination, options.signal);
    } else if (stat.isSymbolicLink()) {
      await fs.symlink(await fs.readlink(source), destination);
    } else if (stat.isFile()) {
      await fs.copyFile(source, destination);
    } else {
      throw refused(source, 'is not a regular file, a directory or a symbolic link');
    }
  } catch (error) {
    throw fsError(`copy ${source} to`, destination, error);
  }
}
