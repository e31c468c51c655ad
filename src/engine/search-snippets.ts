// Where a search term occurs in a text and the snippet shown around it, with the match's range in
// UTF-16 code units (JavaScript string offsets, which is what Codex's ThreadSearchTextRange counts).
// Matching is literal and case-insensitive by Unicode simple case folding (a RegExp with `iu`),
// which keeps offsets: every code point folds to one of the same length.

export interface TextRange {
  start: number;
  end: number;
}

export interface Snippet {
  snippet: string;
  range: TextRange;
}

/** Characters of context kept before and after a match (UTF-16 units, widened to whole code points). */
const BEFORE = 60;
const AFTER = 120;
const ELLIPSIS = '…';

export function termPattern(term: string): RegExp {
  return new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
}

/** Every match of `pattern` (from termPattern) in `text`, in order, not overlapping. */
export function matchesIn(text: string, pattern: RegExp): TextRange[] {
  const out: TextRange[] = [];
  pattern.lastIndex = 0;
  for (let found = pattern.exec(text); found !== null; found = pattern.exec(text)) {
    out.push({ start: found.index, end: found.index + found[0].length });
    if (found[0].length === 0) pattern.lastIndex++;
  }
  return out;
}

/** The text around `match` on one line (line breaks shown as spaces), marked with … where cut. */
export function snippetAround(text: string, match: TextRange): Snippet {
  let from = Math.max(0, match.start - BEFORE);
  let to = Math.min(text.length, match.end + AFTER);
  // Never cut a surrogate pair in half.
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from--;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to++;
  const lead = from > 0 ? ELLIPSIS : '';
  const body = text.slice(from, to).replace(/[\r\n\t]/g, ' ');
  const snippet = lead + body + (to < text.length ? ELLIPSIS : '');
  const start = lead.length + match.start - from;
  return { snippet, range: { start, end: start + (match.end - match.start) } };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
