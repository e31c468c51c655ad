// Reads a file a client named as turn input (a `localImage`) so that it can never hang or flood a
// turn: symlinks are resolved, only a regular file is read (a FIFO, a device such as /dev/zero or a
// socket is refused before anything blocks on it: the file is opened non-blocking and checked on
// its own handle, so it cannot be swapped in between), at most `maxBytes` are read, and the read
// stops when the turn is aborted (interrupt, turn timeout). With `hidden` (view_image), a file that
// really lies in Keel's home or its store once open is refused (files/hidden-paths.ts).
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { DomainError } from '../kernel/errors.js';
import { refuseHiddenHandle, type HiddenPaths } from './files/hidden-paths.js';

/** Largest local image sent to a model (OpenAI's own per-image limit). */
export const INPUT_FILE_MAX_BYTES = 20 * 1024 * 1024;

export type InputFile = { bytes: Buffer; path: string } | { refused: string; path: string };

export async function readInputFile(file: string, signal: AbortSignal, maxBytes = INPUT_FILE_MAX_BYTES, hidden?: HiddenPaths): Promise<InputFile> {
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch (error) {
    return { path: file, refused: `could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { path: real, refused: `could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  try {
    await refuseHiddenHandle(real, handle, hidden);
    const stat = await handle.stat();
    if (!stat.isFile()) return { path: real, refused: 'is not a regular file' };
    if (stat.size > maxBytes) return { path: real, refused: `is ${stat.size} bytes, over the ${maxBytes}-byte limit for input files` };
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < bytes.length) {
      signal.throwIfAborted();
      const { bytesRead } = await handle.read(bytes, read, Math.min(1 << 20, bytes.length - read), read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { path: real, bytes: bytes.subarray(0, read) };
  } catch (error) {
    if (error instanceof DomainError) return { path: real, refused: error.message.slice(real.length + 1) };
    throw error;
  } finally {
    await handle.close();
  }
}
