// Opens a file for reading only if it is a regular file: opened non-blocking and checked on its own
// handle (so nothing can be swapped in between), a FIFO, a device such as /dev/zero or a socket is
// refused before anything blocks on it or reads without end. Symbolic links are followed; with
// `hidden`, a file that really lies in one of those places is refused once open (hidden-paths.ts).
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { fsError, refused } from './fs-errors.js';
import { refuseHiddenHandle, type HiddenPaths } from './hidden-paths.js';

export interface OpenFile {
  handle: fs.FileHandle;
  stat: Stats;
}

export async function openRegularFile(file: string, hidden?: HiddenPaths): Promise<OpenFile> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fsError('read', file, error);
  }
  try {
    await refuseHiddenHandle(file, handle, hidden);
    const stat = await handle.stat();
    if (stat.isDirectory()) throw refused(file, 'is a directory');
    if (!stat.isFile()) throw refused(file, 'is not a regular file');
    return { handle, stat };
  } catch (error) {
    await handle.close();
    throw fsError('read', file, error);
  }
}

/** Reads `handle` from `position` into `buffer`; resolves with the bytes read (0 at the end). */
export async function readAt(handle: fs.FileHandle, buffer: Buffer, position: number): Promise<number> {
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
  return bytesRead;
}
