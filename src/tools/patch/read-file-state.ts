// The disk as the planner sees it: one path's state, read with node:fs. Text means valid UTF-8
// without NUL bytes; a byte-order mark is kept as part of the text so it is written back as it was.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileState } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export async function readFileState(absolutePath: string): Promise<FileState> {
  try {
    const info = await stat(absolutePath);
    if (info.isDirectory()) return { kind: 'directory' };
    if (!info.isFile()) return { kind: 'unreadable', message: 'not a regular file' };
    const bytes = await readFile(absolutePath);
    if (bytes.includes(0)) return { kind: 'notText' };
    try {
      return { kind: 'file', content: utf8.decode(bytes) };
    } catch {
      return { kind: 'notText' };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ENOTDIR') return { kind: 'notDirectory', ancestor: await fileAncestor(absolutePath) };
    return { kind: 'unreadable', message: (error as Error).message };
  }
}

/** The nearest directory above `absolutePath` that is in fact a file. */
async function fileAncestor(absolutePath: string): Promise<string> {
  let dir = path.dirname(absolutePath);
  for (; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      if ((await stat(dir)).isFile()) return dir;
    } catch {
      // Not this one: keep climbing.
    }
  }
  return dir;
}
