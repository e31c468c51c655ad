// Real directory trees for the patch tests: copy a fixture's tree into a temp directory, read a
// tree back whole (file → content, directories listed too), and hash it to prove it untouched.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh temp directory (its real path, so it matches what the engine reports). */
export function tempRoot(): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), 'keel-patch-')));
}

/** `source`'s files copied into a fresh temp directory; an absent source gives an empty one. */
export function treeFrom(source: string): string {
  const root = tempRoot();
  if (existsSync(source)) cpSync(source, root, { recursive: true });
  return root;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Every file under `root` (relative path → content; not UTF-8 as `base64:…`) and every directory (→ '<dir>'). */
export function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        out[relative] = '<dir>';
        walk(full);
      } else {
        const bytes = readFileSync(full);
        try {
          out[relative] = utf8.decode(bytes);
        } catch {
          out[relative] = `base64:${bytes.toString('base64')}`;
        }
      }
    }
  };
  walk(root);
  return out;
}

/** One hash of the whole tree: paths, kinds and bytes. */
export function treeHash(root: string): string {
  const hash = createHash('sha256');
  for (const [file, content] of Object.entries(readTree(root))) hash.update(`${file}\0${content}\0`);
  return hash.digest('hex');
}
