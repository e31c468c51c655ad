// Quick-open over the files and directories under some roots: every entry the walk yields (hidden
// ones too, as Codex's file search; the ignore files honoured; `.git` left out), matched against
// the query by path from its root (fuzzy-match.ts), the best `limit` returned by score, then path.
// An entry under two roots counts once, for the deeper root; a root that is missing or unreadable
// contributes nothing. The walk stops after `maxEntries` entries, or when the signal aborts.
import fs from 'node:fs/promises';
import path from 'node:path';
import { FuzzyQuery } from './fuzzy-match.js';
import { positiveInteger } from './options.js';
import { walk, type EntryKind } from './walk.js';

export const FUZZY_DEFAULTS = {
  /** Codex's MATCH_LIMIT. */
  limit: 50,
  maxEntries: 200_000,
} as const;

export interface FuzzyFileSearchOptions {
  signal: AbortSignal;
  /** Hits to return. Default 50. */
  limit?: number;
  /** Entries to look at, over all roots. Default 200,000. */
  maxEntries?: number;
}

export interface FuzzyFileHit {
  /** The root as given. */
  root: string;
  /** From the root, `/`-separated. */
  path: string;
  fileName: string;
  /** A symbolic link counts as what it points to (a file when it points nowhere). */
  kind: 'file' | 'directory';
  score: number;
  /** Matched code point positions in `path`. */
  indices: number[];
}

interface Root {
  given: string;
  absolute: string;
}

interface Hit extends Omit<FuzzyFileHit, 'kind'> {
  absolute: string;
  entryKind: EntryKind;
}

function byScoreThenPath(a: Hit, b: Hit): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function isWithin(parent: string, child: string): boolean {
  return child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

async function kindOfHit(hit: Hit): Promise<'file' | 'directory'> {
  if (hit.entryKind === 'directory') return 'directory';
  if (hit.entryKind !== 'symlink') return 'file';
  try {
    return (await fs.stat(hit.absolute)).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'file';
  }
}

export async function fuzzyFileSearch(query: string, roots: readonly string[], options: FuzzyFileSearchOptions): Promise<FuzzyFileHit[]> {
  const limit = positiveInteger(options.limit, FUZZY_DEFAULTS.limit, 'limit');
  let budget = positiveInteger(options.maxEntries, FUZZY_DEFAULTS.maxEntries, 'maxEntries');
  const fuzzy = new FuzzyQuery(query);
  if (fuzzy.empty) return [];
  const unique = new Map<string, Root>();
  for (const given of roots) {
    const absolute = path.resolve(given);
    if (!unique.has(absolute)) unique.set(absolute, { given, absolute });
  }
  const all = [...unique.values()];
  const hits: Hit[] = [];
  for (const root of all) {
    // Entries under a deeper root are that root's.
    const deeper = all.filter((other) => other !== root && isWithin(root.absolute, other.absolute));
    try {
      for await (const entry of walk(root.absolute, { signal: options.signal, includeHidden: true })) {
        if (budget-- <= 0) break;
        if (deeper.some((other) => entry.path === other.absolute || isWithin(other.absolute, entry.path))) continue;
        const scored = fuzzy.match(entry.relative);
        if (scored !== null) hits.push({ root: root.given, path: entry.relative, fileName: entry.name, absolute: entry.path, entryKind: entry.kind, ...scored });
      }
    } catch (error) {
      if (options.signal.aborted) throw error;
      // A root that cannot be listed has nothing to offer.
    }
    if (budget <= 0) break;
  }
  hits.sort(byScoreThenPath);
  return Promise.all(
    hits.slice(0, limit).map(async (hit) => ({
      root: hit.root,
      path: hit.path,
      fileName: hit.fileName,
      kind: await kindOfHit(hit),
      score: hit.score,
      indices: hit.indices,
    })),
  );
}
