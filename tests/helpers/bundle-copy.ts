// The built server copied where any user can read it, for tests that run Keel as another user
// (`nobody`): a clone under a 0700 directory (a home) is out of that user's reach, so the bundle
// there cannot even be opened. The copy holds what Keel loads at run time: dist/*.cjs (the entry,
// the server, its lazy and vendor bundles) and the one external package, better-sqlite3, with its
// native addon and the packages that find it (bindings, file-uri-to-path).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { repoRoot } from './conformance.js';

/** Per package, the parts loaded at run time (better-sqlite3's sources and build objects are 27 MB more). */
const RUNTIME_FILES: Record<string, string[]> = {
  'better-sqlite3': ['package.json', 'lib', 'build/Release/better_sqlite3.node'],
  bindings: ['.'],
  'file-uri-to-path': ['.'],
};

let copied: string | undefined;

/** The path of keel.cjs in a world-readable copy of the bundle (made once per test file, removed after it). */
export function readableBundle(): string {
  if (copied !== undefined) return path.join(copied, 'dist', 'keel.cjs');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bundle-'));
  copied = root;
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'dist'));
  for (const file of fs.readdirSync(path.join(repoRoot, 'dist')).filter((name) => name.endsWith('.cjs'))) {
    fs.copyFileSync(path.join(repoRoot, 'dist', file), path.join(root, 'dist', file));
  }
  for (const [name, parts] of Object.entries(RUNTIME_FILES)) {
    const from = fs.realpathSync(path.join(repoRoot, 'node_modules', name));
    for (const part of parts) fs.cpSync(path.join(from, part), path.join(root, 'node_modules', name, part), { recursive: true });
  }
  openToAll(root);
  return path.join(root, 'dist', 'keel.cjs');
}

/** a+rX on the whole tree (mkdtemp makes 0700). */
function openToAll(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) openToAll(file);
    else fs.chmodSync(file, fs.statSync(file).mode | 0o444);
  }
}
