// What a fork copies of its source's history: the finished turns through `lastTurnId`, before
// `beforeTurnId` (edit or retry that turn in the fork), or all of them. A turn still running in the
// source is never part of the copy.
import { map } from '../core/plist.js';
import type { ThreadState, TurnRecord, TurnState } from '../core/state.js';
import { DomainErrors } from '../kernel/errors.js';

/** Where a fork ends (thread/fork's params). */
export interface ForkPoint {
  /** Copy the history up to and including this turn (all of it when null). */
  lastTurnId?: string | null;
  /** Copy the history before this turn (edit or retry it in the fork); not with `lastTurnId`. */
  beforeTurnId?: string | null;
}

/** The source's turns a fork starts with. */
export function forkedTurns(source: ThreadState, point: ForkPoint): TurnRecord[] {
  const all = map(source.turns, (turn) => turn);
  return all
    .slice(0, forkEnd(all, point))
    .filter((turn) => turn.status !== 'inProgress')
    .map((turn) => ({ ...turn, items: map(turn.items, (entry) => entry) }));
}

/** How many of the source's turns a fork copies: through `lastTurnId` (a finished turn), before `beforeTurnId`, or all. */
function forkEnd(turns: readonly TurnState[], point: ForkPoint): number {
  const { lastTurnId, beforeTurnId } = point;
  if (lastTurnId != null && beforeTurnId != null) throw DomainErrors.invalid('cannot be combined with lastTurnId', 'beforeTurnId');
  const at = (turnId: string) => {
    const index = turns.findIndex((turn) => turn.id === turnId);
    if (index === -1) throw DomainErrors.turnNotFound(turnId);
    return index;
  };
  if (beforeTurnId != null) return at(beforeTurnId);
  if (lastTurnId == null) return turns.length;
  const index = at(lastTurnId);
  if (turns[index]!.status === 'inProgress') throw DomainErrors.invalid(`turn ${lastTurnId} is in progress: fork through a finished turn`, 'lastTurnId');
  return index + 1;
}
