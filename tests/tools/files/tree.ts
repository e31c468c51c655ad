// Real temporary file trees for the files library's tests, described as one object: a path ending
// in `/` is a directory, `{ symlink }` a symbolic link, anything else a file's contents. A `.git/`
// entry is all ripgrep (and Keel) look for to know a git work tree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

export type TreeSpec = Record<string, string | Buffer | { symlink: string }>;

const made: string[] = [];

/** Removes the trees made by the test that just ran. Call once per test file. */
export function cleanTreesAfterEach(): void {
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

export function makeTree(spec: TreeSpec, into?: string): string {
  const root = into ?? fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-files-')));
  if (into === undefined) made.push(root);
  for (const [relative, content] of Object.entries(spec)) {
    const target = path.join(root, relative);
    if (relative.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) fs.symlinkSync(content.symlink, target);
    else fs.writeFileSync(target, content);
  }
  return root;
}

export const signal = () => new AbortController().signal;
