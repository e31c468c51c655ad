// Files whose paths match a glob (`*.ts` at any depth, `src/**/*.test.ts` from the root), under a
// directory, in walk order, leaving out what a search leaves out (walk.ts). Symbolic links are
// listed as files; directories are not listed.
//
// The glob is picomatch's, set to read as ripgrep's --glob does: a pattern without a `/` (before a
// trailing one) matches a name at any depth, one with a `/` is anchored at the root (a leading `/`
// is dropped), `*` `?` and classes stop at `/`, `[!a]` is negated as in POSIX (picomatch's
// `posix`), `{a,b}` alternates (as ripgrep's globset does), a leading `!` and `+(…)` are literal
// (globset has neither), dot files are matched by `*` (hiding is the walk's business).
import fs from 'node:fs/promises';
import picomatch from 'picomatch';
import { DomainError } from '../../kernel/errors.js';
import { absolutePath, positiveInteger } from './options.js';
import { fsError, refused } from './fs-errors.js';
import type { HiddenPaths } from './hidden-paths.js';
import { walk } from './walk.js';

export const GLOB_DEFAULTS = {
  limit: 1000,
  countLimit: 100_000,
} as const;

export interface GlobOptions {
  signal: AbortSignal;
  /** Paths to return. Default 1000. */
  limit?: number;
  /** Entries whose names start with `.` too. Default false. */
  includeHidden?: boolean;
  /** Entries the ignore files exclude too. Default false. */
  includeIgnored?: boolean;
  caseInsensitive?: boolean;
  /** Real paths never to show or enter (Keel's home, its database): the gate names them. */
  hidden?: HiddenPaths;
}

export interface GlobResult {
  root: string;
  /** From `root`, `/`-separated. */
  paths: string[];
  /** Matching files in all, counted up to 100,000. */
  total: number;
  totalIsLowerBound: boolean;
}

export async function globFiles(pattern: string, directory: string, options: GlobOptions): Promise<GlobResult> {
  const root = absolutePath(directory);
  if (pattern.trim() === '') throw new DomainError('invalid', 'must not be empty', 'pattern');
  const limit = positiveInteger(options.limit, GLOB_DEFAULTS.limit, 'limit');
  const matches = globMatcher(pattern, options.caseInsensitive === true);
  options.signal.throwIfAborted();
  let stat;
  try {
    stat = await fs.stat(root);
  } catch (error) {
    throw fsError('list', root, error);
  }
  if (!stat.isDirectory()) throw refused(root, 'is not a directory');
  const paths: string[] = [];
  let total = 0;
  for await (const entry of walk(root, { signal: options.signal, includeHidden: options.includeHidden, includeIgnored: options.includeIgnored, hidden: options.hidden })) {
    if (entry.kind === 'directory' || entry.kind === 'other' || !matches(entry.relative)) continue;
    total++;
    if (paths.length < limit) paths.push(entry.relative);
    if (total >= GLOB_DEFAULTS.countLimit) break;
  }
  return { root, paths, total, totalIsLowerBound: total >= GLOB_DEFAULTS.countLimit };
}

/** A trailing `/` names directories only, and no file matches it. */
function globMatcher(pattern: string, caseInsensitive: boolean): (relative: string) => boolean {
  if (pattern.length > 1 && pattern.endsWith('/')) return () => false;
  const anchored = pattern.includes('/');
  const body = anchored && pattern.startsWith('/') ? pattern.slice(1) : pattern;
  return picomatch(body, { dot: true, posix: true, nocase: caseInsensitive, basename: !anchored, nonegate: true, noextglob: true });
}
