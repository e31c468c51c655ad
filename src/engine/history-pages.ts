// Bounded views of a thread's history: pages of turns or items by count and by a byte budget,
// with anchor cursors (the id a page continues from), so no read produces an unbounded payload.
import { map } from '../core/plist.js';
import type { Turn } from '../core/protocol-types.js';
import { turnSnapshot, type ItemsView } from '../core/snapshot.js';
import type { ItemState, ThreadState } from '../core/state.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import { DomainError } from '../kernel/errors.js';

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
export const MAX_PAGE = 1000;

export interface PageRequest {
  cursor: string | null;
  limit: number;
  direction: 'asc' | 'desc';
  maxBytes: number;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  backwardsCursor: string | null;
}

interface Anchor {
  id: string;
  inclusive: boolean;
}

const isAnchor = (p: unknown): p is Anchor =>
  typeof p === 'object' && p !== null && typeof (p as Anchor).id === 'string' && typeof (p as Anchor).inclusive === 'boolean';

/**
 * One page of `ordered` (oldest first) in the requested direction, starting after (or at) the
 * cursor's anchor. Always returns at least one entry when any remain, even past the byte budget.
 */
export function pageByAnchor<T>(
  kind: string,
  ordered: readonly T[],
  idOf: (entry: T) => string,
  request: PageRequest,
  render: (entry: T) => unknown = (entry) => entry,
): Page<unknown> {
  const sequence = request.direction === 'asc' ? ordered : [...ordered].reverse();
  let start = 0;
  if (request.cursor !== null) {
    const anchor = decodeCursor(request.cursor, kind, isAnchor);
    const at = sequence.findIndex((entry) => idOf(entry) === anchor.id);
    if (at === -1) throw staleAnchor(anchor.id);
    start = anchor.inclusive ? at : at + 1;
  }
  const data: unknown[] = [];
  let bytes = 0;
  let end = start;
  while (end < sequence.length && data.length < request.limit) {
    const rendered = render(sequence[end]!);
    const size = Buffer.byteLength(JSON.stringify(rendered));
    if (data.length > 0 && bytes + size > request.maxBytes) break;
    data.push(rendered);
    bytes += size;
    end++;
  }
  const first = sequence[start];
  const lastTaken = sequence[end - 1];
  return {
    data,
    nextCursor: end < sequence.length && lastTaken !== undefined ? encodeCursor(kind, { id: idOf(lastTaken), inclusive: false }) : null,
    backwardsCursor: data.length > 0 && first !== undefined ? encodeCursor(kind, { id: idOf(first), inclusive: true }) : null,
  };
}

const staleAnchor = (id: string) => new DomainError('invalid', `cursor points at ${id}, which this thread no longer has`, 'cursor');

export function pageTurns(thread: ThreadState, request: PageRequest, view: ItemsView): Page<Turn> {
  const turns = map(thread.turns, (turn) => turn);
  return pageByAnchor(`turns:${thread.id}`, turns, (turn) => turn.id, request, (turn) => turnSnapshot(turn, view)) as Page<Turn>;
}

interface ItemEntry {
  turnId: string;
  entry: ItemState;
}

export function pageItems(thread: ThreadState, turnId: string | null, request: PageRequest) {
  const entries: ItemEntry[] = [];
  for (const turn of map(thread.turns, (t) => t)) {
    if (turnId !== null && turn.id !== turnId) continue;
    for (const entry of map(turn.items, (e) => e)) entries.push({ turnId: turn.id, entry });
  }
  return pageByAnchor(`items:${thread.id}`, entries, (e) => e.entry.item.id, request, ({ turnId: owner, entry }) => ({
    turnId: owner,
    item: entry.item,
    startedAtMs: entry.startedAtMs,
    completedAtMs: entry.completedAtMs,
  }));
}

/** The most recent turns that fit the budget (oldest first), with a cursor for the older rest. */
export function latestTurns(thread: ThreadState, maxBytes: number): { turns: Turn[]; turnsBackwardsCursor: string | null } {
  const page = pageTurns(thread, { cursor: null, limit: Number.MAX_SAFE_INTEGER, direction: 'desc', maxBytes }, 'full');
  return { turns: page.data.reverse(), turnsBackwardsCursor: page.nextCursor };
}

/**
 * The cursors thread/resume returns (Codex's meaning): each points, inclusively, at the newest
 * turn or item the answer does not show, for `thread/turns/list` / `thread/items/list` with
 * `sortDirection: "desc"`. `shown`: how many of the latest turns the answer carries.
 */
export function resumeCursors(thread: ThreadState, shown: number): { turnsBackwardsCursor: string | null; itemsBackwardsCursor: string | null } {
  const older = map(thread.turns, (turn) => turn).slice(0, Math.max(0, thread.turns.length - shown));
  const newestTurn = older.at(-1);
  let newestItem: ItemState | undefined;
  for (let i = older.length - 1; i >= 0 && newestItem === undefined; i--) {
    const items = older[i]!.items;
    newestItem = items.length > 0 ? map(items, (entry) => entry).at(-1) : undefined;
  }
  return {
    turnsBackwardsCursor: newestTurn ? encodeCursor(`turns:${thread.id}`, { id: newestTurn.id, inclusive: true }) : null,
    itemsBackwardsCursor: newestItem ? encodeCursor(`items:${thread.id}`, { id: newestItem.item.id, inclusive: true }) : null,
  };
}
