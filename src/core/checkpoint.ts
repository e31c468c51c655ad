// A thread's reducer state as plain JSON, so the store can keep a checkpoint of it and a load can
// start there and replay only the events after it (through the same reducer).
import { listFrom, map } from './plist.js';
import type { ThreadState, TurnRecord } from './state.js';
import { turnFromRecord } from './reduce.js';

/** Bumped whenever ThreadState's shape changes; a checkpoint of another version is ignored. */
export const CHECKPOINT_VERSION = 3;

export type ThreadRecord = Omit<ThreadState, 'turns'> & { turns: TurnRecord[] };

export function recordOf(state: ThreadState): ThreadRecord {
  return { ...state, turns: map(state.turns, (turn) => ({ ...turn, items: map(turn.items, (entry) => entry) })) };
}

export function stateFromRecord(record: ThreadRecord): ThreadState {
  return { ...record, turns: listFrom(record.turns.map(turnFromRecord), (turn) => turn.id) };
}
