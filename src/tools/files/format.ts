// What the model reads: the results of the functions here as plain text. A read is numbered like
// `cat -n`; a listing is an indented tree with `/` after directories and `@` after symbolic links;
// search and glob results are one line each. Whatever was left out ends the text with a note that
// says how much and how to get the rest.
import path from 'node:path';
import type { GlobResult } from './glob-files.js';
import type { Listing } from './list-directory.js';
import type { FileRange } from './read-range.js';
import type { SearchResult } from './search-types.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** `cat -n`: the line number right-aligned in six columns, a tab, the line. */
export function numberLines(lines: readonly string[], firstLine: number): string {
  return lines.map((line, i) => `${String(firstLine + i).padStart(6)}\t${line}`).join('\n');
}

export function formatFileRange(range: FileRange): string {
  if (range.kind === 'binary') return `binary file, ${plural(range.sizeBytes, 'byte')}`;
  if (range.totalLines === 0) return '(empty file)';
  if (range.lines.length === 0) return `(offset ${range.offset} is past the end of the file: it has ${plural(range.totalLines, 'line')})`;
  const notes: string[] = [];
  if (range.cutLines.length > 0) notes.push(`line${range.cutLines.length === 1 ? '' : 's'} ${range.cutLines.join(', ')} cut short`);
  if (range.truncated !== null) {
    const last = range.offset + range.lines.length - 1;
    const why = range.truncated.reason === 'limit' ? 'the line limit' : 'the size limit';
    notes.push(`showing lines ${range.offset}-${last} of ${range.totalLines} (${why}); read on with offset ${range.truncated.nextOffset}`);
  }
  const body = numberLines(range.lines, range.offset);
  return notes.length === 0 ? body : `${body}\n… ${notes.join('; ')}`;
}

const MARKERS = { directory: '/', symlink: '@', file: '', other: '' } as const;

export function formatListing(listing: Listing): string {
  if (listing.entries.length === 0) return '(empty directory)';
  const lines = listing.entries.map((entry) => `${'  '.repeat(entry.depth - 1)}${entry.name}${MARKERS[entry.kind]}`);
  const more = listing.total - listing.entries.length;
  if (more > 0) lines.push(`… ${listing.totalIsLowerBound ? 'at least ' : ''}${plural(more, 'more entry', 'more entries')} not shown`);
  return lines.join('\n');
}

/** Paths relative to `base` (e.g. the working directory) when given, else to the search root. */
function display(root: string, relative: string, base: string | undefined): string {
  if (base === undefined) return relative;
  return path.relative(base, path.join(root, relative)) || '.';
}

export function formatSearchResult(result: SearchResult, options: { base?: string } = {}): string {
  if (result.matches.length === 0) return 'no matches';
  const lines = result.matches.map((match) => `${display(result.root, match.path, options.base)}:${match.line}: ${match.text}`);
  const more = result.totalMatches - result.matches.length;
  if (more > 0) lines.push(`… ${result.totalIsLowerBound ? 'at least ' : ''}${plural(more, 'more matching line')} not shown; narrow the pattern, the path or the glob`);
  return lines.join('\n');
}

export function formatGlobResult(result: GlobResult, options: { base?: string } = {}): string {
  if (result.paths.length === 0) return 'no files match';
  const lines = result.paths.map((relative) => display(result.root, relative, options.base));
  const more = result.total - result.paths.length;
  if (more > 0) lines.push(`… ${result.totalIsLowerBound ? 'at least ' : ''}${plural(more, 'more file')} not shown; narrow the pattern`);
  return lines.join('\n');
}
