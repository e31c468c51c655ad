// Globs as .gitignore reads them — and so as ripgrep's --glob overrides do (ignore-rules.ts): `*` and `?`
// stop at `/`, `[...]` is a class (`[!...]` or `[^...]` negated), `\` escapes, and `**` spans
// directories when it is a whole path component (`**/x`, `x/**`, `x/**/y`; any other `**` is `*`).
// A pattern with a `/` before its end is anchored to its base directory; one without matches a
// name at any depth. A trailing `/` matches directories only.

export interface CompiledGlob {
  /** Tests a `/`-separated path relative to the glob's base directory. */
  regex: RegExp;
  /** The pattern ended with `/`: it matches directories only. */
  dirOnly: boolean;
}

const REGEX_SPECIAL = new Set([...'\\^$.|?*+()[]{}/']);

function escapeChar(char: string): string {
  return REGEX_SPECIAL.has(char) ? `\\${char}` : char;
}

/** The class starting at `open` (a `[`): its regex and the index after its `]`, or null if it never closes. */
function readClass(glob: string, open: number): { source: string; end: number } | null {
  let i = open + 1;
  let negated = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negated = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < glob.length) {
    const char = glob[i]!;
    if (char === ']' && !first) return { source: negated ? `[^/${body}]` : `[${body}]`, end: i + 1 };
    if (char === '\\' && i + 1 < glob.length) {
      body += `\\${glob[i + 1]}`;
      i += 2;
    } else {
      // `-` keeps its range meaning; everything else a class treats specially is escaped.
      body += char === '-' ? '-' : char === ']' || char === '^' || char === '[' ? `\\${char}` : char;
      i++;
    }
    first = false;
  }
  return null;
}

/** The regex source for a glob body (no leading `!`, no trailing `/`), matching a whole path. */
function globSource(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const char = glob[i]!;
    if (char === '*') {
      let stars = 0;
      while (glob[i + stars] === '*') stars++;
      const atStart = i === 0;
      const afterSlash = glob[i - 1] === '/';
      const next = glob[i + stars];
      if (stars >= 2 && (atStart || afterSlash) && (next === '/' || next === undefined)) {
        if (next === undefined) {
          out += '.*';
          i += stars;
        } else {
          // `**/` at the start or after a `/`: zero or more whole directories.
          out += '(?:.*/)?';
          i += stars + 1;
        }
      } else {
        out += '[^/]*';
        i += stars;
      }
    } else if (char === '?') {
      out += '[^/]';
      i++;
    } else if (char === '[') {
      const cls = readClass(glob, i);
      if (cls === null) {
        out += '\\[';
        i++;
      } else {
        out += cls.source;
        i = cls.end;
      }
    } else if (char === '\\' && i + 1 < glob.length) {
      out += escapeChar(glob[i + 1]!);
      i += 2;
    } else {
      out += escapeChar(char);
      i++;
    }
  }
  return out;
}

/**
 * Compiles one pattern (without a `!`): anchored when it holds a `/` before its end (a leading `/`
 * is dropped), else it matches the last components at any depth.
 */
export function compileGlob(pattern: string): CompiledGlob {
  let body = pattern;
  const dirOnly = body.length > 1 && body.endsWith('/');
  if (dirOnly) body = body.slice(0, -1);
  const anchored = body.includes('/');
  if (body.startsWith('/')) body = body.slice(1);
  const source = `^${anchored ? '' : '(?:.*/)?'}${globSource(body)}$`;
  return { regex: new RegExp(source, 's'), dirOnly };
}
