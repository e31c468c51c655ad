// Fuzzy matching as an editor's quick-open does it: the query's characters in order, anywhere in
// the path, scored so that the alignment a person means wins. Each matched character scores; a
// match at a word start scores more (after `/` most, after `_ - . space` or at a lower→upper or
// letter→digit change less), a run of consecutive matches keeps its first character's bonus, the
// first query character's bonus counts double, and a gap costs more to open than to extend. The
// best alignment is found by dynamic programming (fzf's "v2" scheme). A match lying wholly in the
// last path component gets a bonus that ranks it above any other (Codex ranks so too).
// Ours, not fzf-for-js (npm `fzf`): its v2 scores differ from Codex's (nucleo's) on paths — no
// bonus after `/` above other delimiters, none at the start of the string, no basename rank — and
// fuzzyFileSearch answers carry the score, so they would stop matching Codex's.
// Whitespace splits the query into parts that must all match; a part with an upper-case letter
// matches case-sensitively, else case is ignored. Indices count code points of the candidate.

const SCORE_MATCH = 16;
const GAP_START = -3;
const GAP_EXTENSION = -1;
const BONUS_PATH = 9;
const BONUS_BOUNDARY = 8;
const BONUS_CAMEL = 7;
const BONUS_CONSECUTIVE = 4;
const FIRST_CHAR_MULTIPLIER = 2;
/** Added when every matched character lies in the last path component. */
export const BASENAME_BONUS = 1 << 16;

const NONE = -1_000_000_000;
/** Past this many cells (query × candidate characters) the first left-to-right alignment is scored instead of the best. */
const MAX_CELLS = 256 * 1024;
const DELIMITERS = new Set([' ', '_', '-', '.', '\\']);

export interface FuzzyScore {
  /** A positive integer; higher is better. */
  score: number;
  /** Matched code point positions in the candidate, ascending, without repeats. */
  indices: number[];
}

const isLower = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase();
const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
const isDigit = (c: string) => c >= '0' && c <= '9';
const isLetter = (c: string) => isLower(c) || isUpper(c);

function bonusAt(previous: string | undefined, current: string): number {
  if (previous === undefined || previous === '/') return BONUS_PATH;
  if (DELIMITERS.has(previous)) return DELIMITERS.has(current) ? 0 : BONUS_BOUNDARY;
  if ((isLower(previous) && isUpper(current)) || (isLetter(previous) && isDigit(current))) return BONUS_CAMEL;
  return 0;
}

interface Part {
  chars: string[];
  caseSensitive: boolean;
}

/** One query, parsed once, matched against many candidates (its scratch space is reused). */
export class FuzzyQuery {
  private readonly parts: Part[];
  private scores = new Int32Array(0);
  private from = new Int32Array(0);
  private chunkBonus = new Int32Array(0);

  constructor(query: string) {
    this.parts = query
      .split(/\s+/)
      .filter((part) => part !== '')
      .map((part) => ({ chars: Array.from(part), caseSensitive: part !== part.toLowerCase() }));
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** The score of `candidate`, or null when some part of the query is not in it. */
  match(candidate: string): FuzzyScore | null {
    if (this.parts.length === 0) return null;
    const chars = Array.from(candidate);
    let folded: string[] | null = null;
    let bonuses: number[] | null = null;
    let total = 0;
    const indices = new Set<number>();
    for (const part of this.parts) {
      const text = part.caseSensitive ? chars : (folded ??= chars.map((c) => c.toLowerCase()));
      if (!isSubsequence(part.chars, text)) return null;
      bonuses ??= chars.map((c, i) => bonusAt(chars[i - 1], c));
      const aligned = this.align(part.chars, text, bonuses);
      total += aligned.score;
      for (const index of aligned.indices) indices.add(index);
    }
    const sorted = [...indices].sort((a, b) => a - b);
    const basenameStart = chars.lastIndexOf('/') + 1;
    const inBasename = sorted.length > 0 && sorted[0]! >= basenameStart;
    return { score: Math.max(1, total) + (inBasename ? BASENAME_BONUS : 0), indices: sorted };
  }

  private scratch(size: number): void {
    if (this.scores.length >= size) return;
    this.scores = new Int32Array(size);
    this.from = new Int32Array(size);
    this.chunkBonus = new Int32Array(size);
  }

  /** The best alignment of `query` in `text` (known to hold it as a subsequence). */
  private align(query: string[], text: string[], bonuses: number[]): FuzzyScore {
    const m = query.length;
    const n = text.length;
    if (m * n > MAX_CELLS) return greedy(query, text, bonuses);
    this.scratch(m * n);
    const { scores, from, chunkBonus } = this;
    for (let i = 0; i < m; i++) {
      // The best way to reach (i, j) across a gap: max over k <= j - 2 of score(i - 1, k) + the gap's cost.
      let run = NONE;
      let runFrom = -1;
      for (let j = 0; j < n; j++) {
        const cell = i * n + j;
        if (i > 0 && j >= 2) {
          if (run > NONE) run += GAP_EXTENSION;
          const candidate = scores[(i - 1) * n + j - 2]!;
          if (candidate > NONE && candidate + GAP_START > run) {
            run = candidate + GAP_START;
            runFrom = j - 2;
          }
        }
        if (j < i || text[j] !== query[i]) {
          scores[cell] = NONE;
          continue;
        }
        const bonus = bonuses[j]!;
        if (i === 0) {
          scores[cell] = SCORE_MATCH + bonus * FIRST_CHAR_MULTIPLIER;
          from[cell] = -1;
          chunkBonus[cell] = bonus;
          continue;
        }
        let best = NONE;
        let bestFrom = -1;
        let bestChunk = bonus;
        const previous = j > 0 ? scores[(i - 1) * n + j - 1]! : NONE;
        if (previous > NONE) {
          const carried = chunkBonus[(i - 1) * n + j - 1]!;
          best = previous + SCORE_MATCH + Math.max(bonus, carried, BONUS_CONSECUTIVE);
          bestFrom = j - 1;
          bestChunk = Math.max(bonus, carried);
        }
        if (run > NONE && run + SCORE_MATCH + bonus > best) {
          best = run + SCORE_MATCH + bonus;
          bestFrom = runFrom;
          bestChunk = bonus;
        }
        scores[cell] = best;
        from[cell] = bestFrom;
        chunkBonus[cell] = bestChunk;
      }
    }
    let end = -1;
    let score = NONE;
    for (let j = m - 1; j < n; j++) {
      const value = scores[(m - 1) * n + j]!;
      if (value > NONE && value >= score) {
        score = value;
        end = j;
      }
    }
    const indices: number[] = [];
    for (let i = m - 1, j = end; i >= 0 && j >= 0; i--) {
      indices.push(j);
      j = from[i * n + j]!;
    }
    return { score, indices: indices.reverse() };
  }
}

/** The first alignment from the left, scored by the same rules (for inputs too large for the table). */
function greedy(query: string[], text: string[], bonuses: number[]): FuzzyScore {
  const indices: number[] = [];
  let j = 0;
  for (const char of query) {
    while (text[j] !== char) j++;
    indices.push(j++);
  }
  let score = 0;
  let chunk = 0;
  indices.forEach((index, i) => {
    const bonus = bonuses[index]!;
    const previous = indices[i - 1];
    if (previous === undefined) {
      score += SCORE_MATCH + bonus * FIRST_CHAR_MULTIPLIER;
      chunk = bonus;
    } else if (previous === index - 1) {
      score += SCORE_MATCH + Math.max(bonus, chunk, BONUS_CONSECUTIVE);
      chunk = Math.max(bonus, chunk);
    } else {
      score += SCORE_MATCH + bonus + GAP_START + GAP_EXTENSION * (index - previous - 2);
      chunk = bonus;
    }
  });
  return { score, indices };
}

function isSubsequence(query: string[], text: string[]): boolean {
  let j = 0;
  for (const char of query) {
    while (j < text.length && text[j] !== char) j++;
    if (j === text.length) return false;
    j++;
  }
  return true;
}
