// Regex search of file contents under a path, honouring the ignore files (ignore-chain.ts): through
// ripgrep when it is on PATH, else in plain Node, with the same results (search-node.ts says where
// the two regex dialects part). A file named as the path is searched whatever the ignore rules say.
import fs from 'node:fs/promises';
import { DomainError } from '../../kernel/errors.js';
import { absolutePath, positiveInteger } from './options.js';
import { fsError } from './fs-errors.js';
import type { HiddenPaths } from './hidden-paths.js';
import { findRipgrep, searchWithRipgrep } from './ripgrep.js';
import { searchOneFile, searchWithNode } from './search-node.js';
import { SEARCH_DEFAULTS, type SearchRequest, type SearchResult } from './search-types.js';

export interface SearchOptions {
  signal: AbortSignal;
  /** A regular expression (ripgrep's dialect; see search-node.ts for what JavaScript reads alike). */
  pattern: string;
  /** An absolute directory to search under, or one file. */
  path: string;
  /** ripgrep `--glob`s: `*.ts` picks, `!*.min.js` leaves out, matched from `path`. */
  glob?: string | readonly string[];
  caseInsensitive?: boolean;
  /** Search entries whose names start with `.` too. Default false. */
  includeHidden?: boolean;
  /** Matching lines to return. Default 100. */
  maxResults?: number;
  /** Stop counting matches here. Default 10,000. */
  countLimit?: number;
  /** `auto` (the default): ripgrep when it is on PATH, else Node. */
  backend?: 'auto' | 'ripgrep' | 'node';
  /** Where to look for ripgrep; default `process.env.PATH`. */
  searchPath?: string;
  /** Real paths never searched, wherever met (Keel's home, its database): the gate names them. */
  hidden?: HiddenPaths;
}


export async function searchFiles(options: SearchOptions): Promise<SearchResult> {
  const root = absolutePath(options.path);
  const request: SearchRequest = {
    root,
    pattern: options.pattern,
    globs: typeof options.glob === 'string' ? [options.glob] : [...(options.glob ?? [])],
    caseInsensitive: options.caseInsensitive === true,
    includeHidden: options.includeHidden === true,
    maxResults: positiveInteger(options.maxResults, SEARCH_DEFAULTS.maxResults, 'maxResults'),
    countLimit: positiveInteger(options.countLimit, SEARCH_DEFAULTS.countLimit, 'countLimit'),
    signal: options.signal,
    hidden: options.hidden ?? [],
  };
  options.signal.throwIfAborted();
  let stat;
  try {
    stat = await fs.stat(root);
  } catch (error) {
    throw fsError('search', root, error);
  }
  if (!stat.isDirectory()) return searchOneFile(root, request);
  const backend = options.backend ?? 'auto';
  if (backend === 'node') return searchWithNode(request);
  const rg = await findRipgrep(options.searchPath);
  if (rg !== null) return searchWithRipgrep(rg, request);
  if (backend === 'ripgrep') throw new DomainError('unavailable', 'ripgrep (rg) is not on PATH');
  return searchWithNode(request);
}
