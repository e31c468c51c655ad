// Walks a directory tree depth first, in ripgrep's `--sort path` order (each directory's entries by
// name, a directory's contents right after it), leaving out what ripgrep leaves out: `.git`,
// entries the ignore files exclude (ignore-chain.ts), and hidden entries (names starting with `.`)
// unless asked or unless an ignore file or a glob picks them. Symbolic links are reported and never
// followed. Directories that cannot be read are skipped, as ripgrep skips them; the root itself
// must be readable. Checks its signal at each directory. The `hidden` places (Keel's home, its
// database) are left out wherever they are met, judged by real path (hidden-paths.ts).
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsError } from './fs-errors.js';
import { isHiddenPath, type HiddenPaths } from './hidden-paths.js';
import { IgnoreChain } from './ignore-chain.js';
import type { GlobOverrides } from './ignore-rules.js';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface WalkEntry {
  /** Absolute. */
  path: string;
  /** From the root, `/`-separated. */
  relative: string;
  name: string;
  /** 1 for the root's own entries. */
  depth: number;
  kind: EntryKind;
}

export interface WalkOptions {
  signal: AbortSignal;
  /** Entries whose names start with `.` (never `.git`). Default false. */
  includeHidden?: boolean;
  /** Entries the ignore files exclude. Default false. */
  includeIgnored?: boolean;
  /** ripgrep's `--glob`s, over every other rule. */
  overrides?: GlobOverrides;
  /** Deepest level to report (1: the root's entries only). Default unlimited. */
  maxDepth?: number;
  /** Real paths never to show or enter (Keel's home, its database): the gate names them. */
  hidden?: HiddenPaths;
}

function kindOf(entry: Dirent): EntryKind {
  if (entry.isDirectory()) return 'directory';
  if (entry.isFile()) return 'file';
  if (entry.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** By name, as ripgrep sorts (byte order; UTF-16 order agrees but for names with characters past U+FFFF). */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

interface Walk extends WalkOptions {
  maxDepth: number;
}

function included(entry: Dirent, relative: string, absolute: string, isDir: boolean, chain: IgnoreChain, walk: Walk): boolean {
  if (entry.name === '.git') return false;
  let verdict = walk.overrides?.verdict(relative, isDir) ?? null;
  if (verdict === null && !walk.includeIgnored) verdict = chain.verdict(absolute, isDir);
  if (verdict !== null) return verdict === 'whitelist';
  return walk.includeHidden === true || !entry.name.startsWith('.');
}

/** `realDir`: where `dir` really is (the walk enters real directories only, so each entry's real path is `realDir/name`). */
async function* walkDirectory(dir: string, realDir: string, relativeDir: string, depth: number, chain: IgnoreChain, walk: Walk): AsyncGenerator<WalkEntry> {
  walk.signal.throwIfAborted();
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (depth === 1) throw fsError('list', dir, error);
    return;
  }
  const inner = walk.includeIgnored ? chain : await chain.enter(dir, new Set(entries.map((entry) => entry.name)));
  entries.sort(byName);
  for (const entry of entries) {
    const kind = kindOf(entry);
    const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
    const absolute = path.join(dir, entry.name);
    const real = path.join(realDir, entry.name);
    if (isHiddenPath(real, walk.hidden)) continue;
    if (!included(entry, relative, absolute, kind === 'directory', inner, walk)) continue;
    yield { path: absolute, relative, name: entry.name, depth, kind };
    if (kind === 'directory' && depth < walk.maxDepth) yield* walkDirectory(absolute, real, relative, depth + 1, inner, walk);
  }
}

/** The entries under `root` (an absolute directory), the root itself not included. */
export async function* walk(root: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  const chain = options.includeIgnored ? IgnoreChain.none : await IgnoreChain.above(root);
  const realRoot = options.hidden === undefined || options.hidden.length === 0 ? root : await fs.realpath(root).catch(() => root);
  yield* walkDirectory(root, realRoot, '', 1, chain, { ...options, maxDepth: options.maxDepth ?? Number.POSITIVE_INFINITY });
}
