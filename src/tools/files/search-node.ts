// Content search in plain Node, for machines without ripgrep: the same walk (walk.ts, with
// ripgrep's ignore rules and --glob semantics), a JavaScript RegExp tried on each line. It gives
// ripgrep's results for patterns both regex dialects read alike (literals, classes, `.`, `*`, `+`,
// `?`, `{n,m}`, `|`, groups, `^`, `$`, `\b`, `\d`, `\w`, `\s`), with two known differences: a file
// over 64 MiB is skipped, and a file holding a NUL anywhere is skipped whole (ripgrep reports the
// matches it found before the NUL when that lies past its first 64 KiB).
import path from 'node:path';
import { DomainError } from '../../kernel/errors.js';
import type { HiddenPaths } from './hidden-paths.js';
import { GlobOverrides } from './ignore-rules.js';
import { openRegularFile } from './regular-file.js';
import { MatchCollector, type SearchRequest, type SearchResult } from './search-types.js';
import { holdsNul, sniffEncoding, textDecoder } from './text-encoding.js';
import { walk } from './walk.js';

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The pattern as a JavaScript RegExp: with the `u` flag when it reads as one (code points, as Rust's regex), else without. */
function compilePattern(pattern: string, caseInsensitive: boolean): RegExp {
  const flags = caseInsensitive ? 'i' : '';
  try {
    return new RegExp(pattern, `${flags}u`);
  } catch {
    try {
      return new RegExp(pattern, flags);
    } catch (error) {
      throw new DomainError('invalid', `invalid regular expression: ${(error as Error).message}`, 'pattern');
    }
  }
}

/** The file's text, or null when it is binary, too big, cannot be read, or really lies in a hidden place. */
async function readText(file: string, signal: AbortSignal, hidden: HiddenPaths): Promise<string | null> {
  let opened;
  try {
    opened = await openRegularFile(file, hidden);
  } catch {
    return null;
  }
  const { handle, stat } = opened;
  try {
    if (stat.size > MAX_FILE_BYTES) return null;
    signal.throwIfAborted();
    const bytes = await handle.readFile();
    const encoding = sniffEncoding(bytes);
    if (holdsNul(bytes, encoding)) return null;
    return textDecoder(encoding).decode(bytes);
  } catch (error) {
    if (signal.aborted) throw error;
    return null;
  } finally {
    await handle.close();
  }
}

/** Adds the file's matching lines; false once the collector is full. */
function searchText(text: string, relative: string, regex: RegExp, collector: MatchCollector): boolean {
  let start = 0;
  let number = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    number++;
    const line = text.slice(start, end);
    if (regex.test(line) && !collector.add(relative, number, line)) return false;
    start = end + 1;
  }
  return true;
}

export async function searchWithNode(request: SearchRequest): Promise<SearchResult> {
  const regex = compilePattern(request.pattern, request.caseInsensitive);
  const collector = new MatchCollector(request);
  const overrides = new GlobOverrides([...request.globs, '!.git']);
  for await (const entry of walk(request.root, { signal: request.signal, includeHidden: request.includeHidden, overrides, hidden: request.hidden })) {
    if (entry.kind !== 'file') continue;
    const text = await readText(entry.path, request.signal, request.hidden);
    if (text !== null && !searchText(text, entry.relative, regex, collector)) break;
  }
  return collector.result(request.root, 'node');
}

/** One file named as the search path: searched whatever the ignore rules say (binary files find nothing). */
export async function searchOneFile(file: string, request: Omit<SearchRequest, 'root'>): Promise<SearchResult> {
  const regex = compilePattern(request.pattern, request.caseInsensitive);
  const collector = new MatchCollector(request);
  const text = await readText(file, request.signal, request.hidden);
  if (text !== null) searchText(text, path.basename(file), regex, collector);
  return collector.result(path.dirname(file), 'node');
}
