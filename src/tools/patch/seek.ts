// Finding a hunk's lines in a file: strict first, then tolerant of whitespace only. Each pass
// looks at every candidate position before the next, looser pass is tried:
//   1. exact;
//   2. ignoring trailing whitespace (an editor that strips it, a model that drops it);
//   3. ignoring leading and trailing whitespace (re-indented code).
// Codex adds a fourth pass that folds Unicode dashes, quotes and odd spaces to ASCII; Keel does
// not: a line that differs by more than whitespace is a different line.
import type { NearestMatch } from './types.js';

const PASSES: Array<(line: string) => string> = [(line) => line, (line) => line.trimEnd(), (line) => line.trim()];

export interface SeekOptions {
  /** The pattern must end the file. */
  endOfFile?: boolean;
  /** 0-based line to prefer: among a pass's matches the nearest wins (a unified diff's line numbers). */
  near?: number;
}

/** 0-based index of `pattern` in `lines` at or after `from`, or undefined. An empty pattern is not sought. */
export function seekLines(lines: readonly string[], pattern: readonly string[], from: number, options: SeekOptions = {}): number | undefined {
  const last = lines.length - pattern.length;
  if (pattern.length === 0 || last < from) return undefined;
  const first = options.endOfFile ? last : from;
  for (const normalise of PASSES) {
    const wanted = pattern.map(normalise);
    let best: number | undefined;
    for (let at = first; at <= last; at++) {
      if (!wanted.every((line, offset) => normalise(lines[at + offset]!) === line)) continue;
      if (options.near === undefined) return at;
      if (best === undefined || Math.abs(at - options.near) < Math.abs(best - options.near)) best = at;
      else break; // positions only grow, so once farther, always farther
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

/**
 * Where `pattern` comes closest to matching, for a failure message: the start with the most
 * lines equal but for surrounding whitespace; failing that, the line sharing the most words with
 * one of the pattern's lines. Undefined when nothing in the file resembles the pattern.
 */
export function nearestMatch(lines: readonly string[], pattern: readonly string[]): NearestMatch | undefined {
  const wanted = pattern.map((line) => line.trim());
  const have = lines.map((line) => line.trim());
  let bestAt = -1;
  let bestScore = 0;
  for (let at = 0; at < have.length; at++) {
    let score = 0;
    for (let offset = 0; offset < wanted.length && at + offset < have.length; offset++) if (have[at + offset] === wanted[offset] && wanted[offset] !== '') score++;
    if (score > bestScore) [bestAt, bestScore] = [at, score];
  }
  if (bestAt === -1) bestAt = nearestByWords(have, wanted);
  if (bestAt === -1) return undefined;
  const match: NearestMatch = { line: bestAt + 1, matching: bestScore };
  const differs = wanted.findIndex((line, offset) => have[bestAt + offset] !== line);
  if (differs !== -1) {
    const actual = lines[bestAt + differs];
    match.firstDifference = { line: bestAt + differs + 1, expected: pattern[differs]!, actual: actual ?? null };
  }
  return match;
}

const words = (line: string) => new Set(line.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter((word) => word.length >= 3));

/** The start (0-based) that lines a pattern line up with the file line sharing the most words with it; -1 if none shares any. */
function nearestByWords(have: readonly string[], wanted: readonly string[]): number {
  const wantedWords = wanted.map(words);
  let bestAt = -1;
  let bestShared = 0;
  have.forEach((line, index) => {
    const lineWords = words(line);
    wantedWords.forEach((patternWords, offset) => {
      let shared = 0;
      for (const word of patternWords) if (lineWords.has(word)) shared++;
      if (shared > bestShared) [bestAt, bestShared] = [Math.max(0, index - offset), shared];
    });
  });
  return bestAt;
}
