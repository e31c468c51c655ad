// What a content search returns, whichever backend ran it, and the one collector both fill so that
// caps, counts and cut lines come out the same.
import type { HiddenPaths } from './hidden-paths.js';

export const SEARCH_DEFAULTS = {
  maxResults: 100,
  /** Matching lines counted before a search stops counting (the total is then a lower bound). */
  countLimit: 10_000,
  /** A matching line's text is cut to this many characters. */
  maxLineChars: 500,
} as const;

export type SearchBackend = 'ripgrep' | 'node';

export interface SearchMatch {
  /** From the search root, `/`-separated. */
  path: string;
  /** 1-based. */
  line: number;
  /** The line, without its line ending, cut at 500 characters (then ending in `…`). */
  text: string;
}

export interface SearchResult {
  /** The directory the paths are relative to: the path searched, or the directory of the file searched. */
  root: string;
  /** The first matching lines, in path order (each directory's entries by name), then line order. */
  matches: SearchMatch[];
  /** Matching lines in all, counted up to `countLimit`. */
  totalMatches: number;
  /** The count stopped at `countLimit`: there are at least `totalMatches`. */
  totalIsLowerBound: boolean;
  backend: SearchBackend;
}

/** What a backend is asked: the options resolved, the pattern known to compile for it. */
export interface SearchRequest {
  root: string;
  pattern: string;
  globs: readonly string[];
  caseInsensitive: boolean;
  includeHidden: boolean;
  maxResults: number;
  countLimit: number;
  signal: AbortSignal;
  /** Real paths never searched (Keel's home, its database). */
  hidden: HiddenPaths;
}

function cleanLine(text: string): string {
  let line = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (line.length <= SEARCH_DEFAULTS.maxLineChars) return line;
  const end = /[\uD800-\uDBFF]/.test(line[SEARCH_DEFAULTS.maxLineChars - 1]!) ? SEARCH_DEFAULTS.maxLineChars - 1 : SEARCH_DEFAULTS.maxLineChars;
  return `${line.slice(0, end)}…`;
}

export class MatchCollector {
  readonly matches: SearchMatch[] = [];
  total = 0;

  constructor(private readonly request: Pick<SearchRequest, 'maxResults' | 'countLimit'>) {}

  get full(): boolean {
    return this.total >= this.request.countLimit;
  }

  /** Records one matching line; false once the count limit is reached (stop searching). */
  add(path: string, line: number, text: string): boolean {
    if (this.full) return false;
    this.total++;
    if (this.matches.length < this.request.maxResults) this.matches.push({ path, line, text: cleanLine(text) });
    return !this.full;
  }

  result(root: string, backend: SearchBackend): SearchResult {
    return { root, matches: this.matches, totalMatches: this.total, totalIsLowerBound: this.full, backend };
  }
}
