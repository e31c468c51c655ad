// A directory's entries for the model, as a tree `depth` levels deep: each directory's entries by
// name, a directory's contents right after it. By default it leaves out what a search leaves out
// (walk.ts): `.git`, hidden entries, and what the ignore files exclude — .gitignore inside a git work
// tree, .ignore and .rgignore anywhere — so `node_modules/` under a repository that ignores it is
// not listed. At most `limit` entries are returned; the rest are counted (up to 100,000).
import fs from 'node:fs/promises';
import { absolutePath, positiveInteger } from './options.js';
import { fsError, refused } from './fs-errors.js';
import type { HiddenPaths } from './hidden-paths.js';
import { walk, type EntryKind } from './walk.js';

export const LIST_DEFAULTS = {
  depth: 1,
  limit: 500,
  countLimit: 100_000,
} as const;

export interface ListOptions {
  signal: AbortSignal;
  /** Levels to list: 1 (the default) lists the directory's own entries. */
  depth?: number;
  /** Entries to return. Default 500. */
  limit?: number;
  /** Entries whose names start with `.` too. Default false. */
  includeHidden?: boolean;
  /** Entries the ignore files exclude too. Default false. */
  includeIgnored?: boolean;
  /** Real paths never to show or enter (Keel's home, its database): the gate names them. */
  hidden?: HiddenPaths;
}

export interface ListEntry {
  /** From the listed directory, `/`-separated. */
  path: string;
  name: string;
  /** 1 for the directory's own entries. */
  depth: number;
  kind: EntryKind;
}

export interface Listing {
  root: string;
  entries: ListEntry[];
  /** Entries within `depth` in all, counted up to 100,000. */
  total: number;
  totalIsLowerBound: boolean;
}


export async function listDirectory(directory: string, options: ListOptions): Promise<Listing> {
  const root = absolutePath(directory);
  const depth = positiveInteger(options.depth, LIST_DEFAULTS.depth, 'depth');
  const limit = positiveInteger(options.limit, LIST_DEFAULTS.limit, 'limit');
  options.signal.throwIfAborted();
  let stat;
  try {
    stat = await fs.stat(root);
  } catch (error) {
    throw fsError('list', root, error);
  }
  if (!stat.isDirectory()) throw refused(root, 'is not a directory');
  const entries: ListEntry[] = [];
  let total = 0;
  for await (const entry of walk(root, { signal: options.signal, maxDepth: depth, includeHidden: options.includeHidden, includeIgnored: options.includeIgnored, hidden: options.hidden })) {
    total++;
    if (entries.length < limit) entries.push({ path: entry.relative, name: entry.name, depth: entry.depth, kind: entry.kind });
    if (total >= LIST_DEFAULTS.countLimit) break;
  }
  return { root, entries, total, totalIsLowerBound: total >= LIST_DEFAULTS.countLimit };
}
