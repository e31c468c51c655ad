// Content search through ripgrep (Debian's `ripgrep` package; .ci/run installs it): `rg --json`
// run in the search root, told to behave as the pure-Node search does (search-node.ts): no
// config file, no global git excludes, `.git` left out, results in path order. Found on PATH the
// way `which` finds it, once per PATH value. The hidden places under the root are excluded by
// anchored globs that come last (the last matching glob decides, so none of the caller's can pick
// them again), and any match that still lies in one is dropped.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DomainError } from '../../kernel/errors.js';
import { isWithin } from '../sandbox/real-path.js';
import { isHiddenPath, type HiddenPaths } from './hidden-paths.js';
import { MatchCollector, type SearchRequest, type SearchResult } from './search-types.js';

const located = new Map<string, Promise<string | null>>();

async function executable(file: string): Promise<boolean> {
  try {
    await fs.access(file, constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The first executable `rg` on `searchPath` (a PATH value), or null. Looked up once per value. */
export function findRipgrep(searchPath = process.env.PATH ?? ''): Promise<string | null> {
  let found = located.get(searchPath);
  if (found === undefined) {
    found = (async () => {
      for (const dir of searchPath.split(path.delimiter)) {
        if (dir === '') continue;
        const candidate = path.join(dir, 'rg');
        if (await executable(candidate)) return candidate;
      }
      return null;
    })();
    located.set(searchPath, found);
  }
  return found;
}

function ripgrepArgs(request: SearchRequest, realRoot = request.root): string[] {
  const args = ['--json', '--no-config', '--no-messages', '--no-ignore-global', '--sort', 'path'];
  if (request.caseInsensitive) args.push('--ignore-case');
  if (request.includeHidden) args.push('--hidden');
  // `.git` last: of the globs that match, the last decides.
  for (const glob of [...request.globs, '!.git', ...hiddenGlobs(realRoot, request.hidden)]) args.push('--glob', glob);
  args.push('--regexp', request.pattern, '.');
  return args;
}

/** ripgrep's JSON carries text as `{text}`, or as `{bytes}` (base64) when it is not UTF-8. */
function textOf(data: { text?: string; bytes?: string } | undefined): string {
  if (data === undefined) return '';
  return data.text ?? Buffer.from(data.bytes ?? '', 'base64').toString('utf8');
}

function relativePath(raw: string): string {
  return raw.startsWith('./') ? raw.slice(2) : raw;
}

/** `!/relative/path` for each hidden place under the real root, glob metacharacters escaped. */
function hiddenGlobs(realRoot: string, hidden: HiddenPaths): string[] {
  return hidden.filter((place) => isWithin(place, realRoot) && place !== realRoot).map((place) => `!/${path.relative(realRoot, place).replace(/[\\*?[\]{}!]/g, '\\$&')}`);
}

export async function searchWithRipgrep(rg: string, request: SearchRequest): Promise<SearchResult> {
  const realRoot = request.hidden.length === 0 ? request.root : await fs.realpath(request.root).catch(() => request.root);
  return new Promise((resolve, reject) => {
    const collector = new MatchCollector(request);
    const child = spawn(rg, ripgrepArgs(request, realRoot), { cwd: request.root, stdio: ['ignore', 'pipe', 'pipe'], signal: request.signal });
    let rest = '';
    let stderr = '';
    let stopped = false;
    const take = (line: string) => {
      if (stopped || !line.startsWith('{"type":"match"')) return;
      const event = JSON.parse(line) as { data: { path?: { text?: string; bytes?: string }; line_number?: number; lines?: { text?: string; bytes?: string } } };
      const { data } = event;
      const relative = relativePath(textOf(data.path));
      if (isHiddenPath(path.join(realRoot, relative), request.hidden)) return;
      if (!collector.add(relative, data.line_number ?? 0, textOf(data.lines))) {
        stopped = true;
        child.kill();
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) take(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on('error', (error) => reject(request.signal.aborted ? request.signal.reason : error));
    child.on('close', (code) => {
      if (request.signal.aborted) return reject(request.signal.reason);
      take(rest);
      // 0: matches, 1: none, 2: an error (with or without matches: unreadable files are skipped).
      if (code === 2 && collector.total === 0 && /regex/i.test(stderr)) {
        return reject(new DomainError('invalid', `invalid regular expression: ${stderr.trim()}`, 'pattern'));
      }
      if (code !== 0 && code !== 1 && code !== 2 && !stopped) {
        return reject(new DomainError('unavailable', `ripgrep failed (exit ${code}): ${stderr.trim()}`));
      }
      resolve(collector.result(request.root, 'ripgrep'));
    });
  });
}
