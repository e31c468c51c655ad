// thread/searchOccurrences: where a literal term (any case) occurs in one thread's user messages
// and agent answers (partial or final), oldest first, each with a snippet and the match's UTF-16
// range in it, paged by an opaque cursor that belongs to the thread and the term.
import { createHash } from 'node:crypto';
import { map } from '../core/plist.js';
import type { ThreadState } from '../core/state.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import { matchesIn, snippetAround, termPattern, type TextRange } from './search-snippets.js';

export interface Occurrence {
  itemId: string;
  turnId: string;
  turnCursor: string;
  snippet: string;
  snippetMatchRange: TextRange;
}

export interface OccurrencePage {
  data: Occurrence[];
  nextCursor: string | null;
}

const isOffset = (p: unknown): p is number => typeof p === 'number' && Number.isSafeInteger(p) && p >= 0;

export function searchOccurrences(state: ThreadState, term: string, cursor: string | null, limit: number): OccurrencePage {
  const kind = `occurrences:${state.id}:${createHash('sha256').update(term).digest('base64url').slice(0, 16)}`;
  const start = cursor === null ? 0 : decodeCursor(cursor, kind, isOffset);
  const pattern = termPattern(term);
  const data: Occurrence[] = [];
  let seen = 0;
  for (const turn of map(state.turns, (each) => each)) {
    // thread/turns/list takes this cursor and starts at the turn itself (inclusive).
    const turnCursor = encodeCursor(`turns:${state.id}`, { id: turn.id, inclusive: true });
    for (const { item } of map(turn.items, (entry) => entry)) {
      const text = item.type === 'userMessage'
        ? item.content.map((part) => (part.type === 'text' ? part.text : '')).filter((part) => part !== '').join('\n')
        : item.type === 'agentMessage' ? item.text : null;
      if (text === null) continue;
      for (const match of matchesIn(text, pattern)) {
        if (seen++ < start) continue;
        if (data.length === limit) return { data, nextCursor: encodeCursor(kind, start + data.length) };
        const { snippet, range } = snippetAround(text, match);
        data.push({ itemId: item.id, turnId: turn.id, turnCursor, snippet, snippetMatchRange: range });
      }
    }
  }
  return { data, nextCursor: null };
}
