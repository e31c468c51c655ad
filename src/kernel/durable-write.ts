// Replacing a file so that no crash can leave it cut: the new content goes to a temp file beside
// it, is flushed to disk (fsync), and only then renamed over the file — a rename is atomic, so the
// path holds the old content or the new, never part of either. An existing file's mode is kept.
// Synchronous for recovery, which runs while a thread loads (synchronous); where many files are
// written at once (a restore), sandbox/confined-write.ts does the same asynchronously, so their
// fsyncs overlap.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The temp files of `writeFileDurablySync` are named `.<name>.keel-write-<hex>` beside their target. */
export const TEMP_MARK = '.keel-write-';

export function writeFileDurablySync(file: string, content: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const mode = modeOf(file);
  const temp = path.join(dir, `.${path.basename(file)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
  try {
    const fd = fs.openSync(temp, 'wx', mode ?? 0o666);
    try {
      fs.writeFileSync(fd, content);
      if (mode !== undefined) fs.fchmodSync(fd, mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Removes the temp files killed writes left beside `files` (marks: how their writers name them), one listing per directory. */
export function removeLeftTemps(files: readonly string[], marks: readonly string[]): void {
  const byDir = new Map<string, Set<string>>();
  for (const file of files) {
    const names = byDir.get(path.dirname(file)) ?? new Set<string>();
    names.add(path.basename(file));
    byDir.set(path.dirname(file), names);
  }
  for (const [dir, names] of byDir) {
    let entries: string[];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const mark = marks.find((m) => entry.startsWith('.') && entry.includes(m));
      if (mark !== undefined && names.has(entry.slice(1, entry.lastIndexOf(mark)))) fs.rmSync(path.join(dir, entry), { force: true });
    }
  }
}

/** The file's permission bits; undefined when it is not there. A replaced file keeps them. */
export function modeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}
