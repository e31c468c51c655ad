// One ignore file (.gitignore, .ignore, .rgignore, .git/info/exclude), parsed as git does: blank
// lines and `#` comments skipped, `\#` and `\!` literal, unescaped trailing spaces dropped, `!`
// negates, and of the patterns that match a path the last one decides.
//
// Ours, not the npm `ignore` package: that one (like `git check-ignore`) calls a path ignored when a
// parent directory is, while ripgrep judges each path by itself and prunes ignored directories
// instead — so an `.ignore` `!build/` over a `.gitignore` `build/`, or a search started inside an
// ignored directory, would find less than ripgrep does (tests/tools/files/search.test.ts pins both).
import { compileGlob, type CompiledGlob } from './glob.js';

/** What a set of rules says of a path: leave it out, keep it (a `!` pattern), or nothing. */
export type IgnoreVerdict = 'ignore' | 'whitelist' | null;

interface Rule extends CompiledGlob {
  negated: boolean;
}

/** Drops trailing spaces unless escaped with a backslash (the backslash goes, the space stays). */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ') {
    let backslashes = 0;
    while (end - 2 - backslashes >= 0 && line[end - 2 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 1) return `${line.slice(0, end - 2)} `;
    end--;
  }
  return line.slice(0, end);
}

function parseLine(raw: string): Rule | null {
  let line = trimTrailingSpaces(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  if (line === '' || line.startsWith('#')) return null;
  let negated = false;
  if (line.startsWith('!')) {
    negated = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  if (line === '' || line === '/') return null;
  return { ...compileGlob(line), negated };
}

export class IgnoreRules {
  private constructor(private readonly rules: readonly Rule[]) {}

  static parse(text: string): IgnoreRules {
    return new IgnoreRules(text.split('\n').flatMap((line) => parseLine(line) ?? []));
  }

  /** Rules from globs as ripgrep's --glob takes them (the same syntax, one pattern each). */
  static fromPatterns(patterns: readonly string[]): IgnoreRules {
    return new IgnoreRules(patterns.flatMap((pattern) => parseLine(pattern) ?? []));
  }

  get size(): number {
    return this.rules.length;
  }

  /** `relative` is `/`-separated, relative to the file's directory. */
  verdict(relative: string, isDir: boolean): IgnoreVerdict {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i]!;
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(relative)) return rule.negated ? 'whitelist' : 'ignore';
    }
    return null;
  }
}

/**
 * ripgrep's `--glob`s: a glob picks what it matches (over every ignore rule and over hiding), a
 * `!glob` leaves it out, the last match decides, and once any glob picks, a file no glob matches is
 * left out (directories are still entered). Paths are relative to the search root.
 */
export class GlobOverrides {
  private readonly rules: IgnoreRules;
  private readonly picks: number;

  constructor(globs: readonly string[]) {
    this.rules = IgnoreRules.fromPatterns(globs);
    this.picks = globs.filter((glob) => !glob.startsWith('!') && glob.trim() !== '').length;
  }

  verdict(relative: string, isDir: boolean): IgnoreVerdict {
    const verdict = this.rules.verdict(relative, isDir);
    if (verdict === 'ignore') return 'whitelist';
    if (verdict === 'whitelist') return 'ignore';
    return this.picks > 0 && !isDir ? 'ignore' : null;
  }
}
