// The event log against a real SQLite store: a thread's log with a missing seq is refused, naming
// the seq it expected and the one it found; a checkpoint loads to the same state as replaying the
// whole log, and a checkpoint of another version is ignored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION } from '../../src/core/checkpoint.js';
import type { KeelEvent } from '../../src/core/events.js';
import { reduceThread, replay } from '../../src/core/reduce.js';
import type { ThreadState } from '../../src/core/state.js';
import { openDatabase, type KeelDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { threadEvents } from '../helpers/store-fixtures.js';

const THREAD = 'thread-log';

/** One append per event with the state after it, as a live Keel writes; returns the final state. */
function appendEach(log: EventLog, events: readonly KeelEvent[]): ThreadState {
  let state: ThreadState | undefined;
  for (const event of events) {
    state = reduceThread(state, event);
    log.append(THREAD, [event], state!);
  }
  return state!;
}

let database: KeelDatabase;
beforeEach(async () => {
  database = await openDatabase(':memory:');
});
afterEach(async () => {
  await database.close();
});

const deleteEvent = (seq: number) => database.sqlite.prepare('DELETE FROM events WHERE thread_id=? AND seq=?').run(THREAD, seq);

describe('a log with a missing seq', () => {
  const events = threadEvents(THREAD, 2); // 13 events: seqs 1..13

  it.each<[string, number, number]>([
    ['the first', 1, 2],
    ['one in the middle', 5, 6],
    ['the one before the last', 12, 13],
  ])('is refused by read() and load() when %s is missing', (_name, missing, found) => {
    const log = new EventLog(database);
    appendEach(log, events);
    expect(log.read(THREAD)).toEqual(events);
    expect(deleteEvent(missing).changes).toBe(1);
    // The message, not the error class: the class is the store's own business.
    const gap = new RegExp(`gap.*expected seq ${missing}\\b.*found ${found}\\b`);
    expect(() => log.read(THREAD)).toThrow(gap);
    expect(() => log.load(THREAD)).toThrow(gap);
  });

  it('after the checkpoint is refused by load(), naming the seqs', () => {
    const log = new EventLog(database, 7);
    appendEach(log, events); // checkpoint at seq 7
    deleteEvent(10);
    expect(() => log.load(THREAD)).toThrow(/gap.*expected seq 10\b.*found 11\b/);
  });

  it('is refused when the last events are missing (no gap to show: the index row knows the end)', () => {
    const log = new EventLog(database, 7);
    appendEach(log, events); // checkpoint at seq 7
    deleteEvent(13);
    const message = `event log of thread ${THREAD} ends at seq 12, but its index row says 13`;
    expect(() => log.read(THREAD)).toThrow(message);
    expect(() => log.load(THREAD)).toThrow(message);
    database.sqlite.prepare('DELETE FROM events WHERE thread_id=? AND seq > 7').run(THREAD);
    expect(() => log.load(THREAD)).toThrow(`event log of thread ${THREAD} ends at seq 7, but its index row says 13`);
  });
});

describe('a checkpoint', () => {
  const events = threadEvents(THREAD, 3); // 19 events; with a checkpoint every 7, written at seqs 7 and 14

  it('loads as the state at its seq plus only the events after it, replaying to the whole log', () => {
    const log = new EventLog(database, 7);
    const live = appendEach(log, events);
    const stored = log.load(THREAD);
    expect(stored).toEqual({ checkpoint: replay(events.slice(0, 14)), events: events.slice(14), lastSeq: 19 });
    expect(replay(stored.events, stored.checkpoint)).toEqual(replay(events));
    expect(replay(events)).toEqual(live);
  });

  it('of another version is ignored: load() returns the whole log to replay', () => {
    const log = new EventLog(database, 7);
    appendEach(log, events);
    const changed = database.sqlite.prepare('UPDATE checkpoints SET v = ? WHERE thread_id = ?').run(CHECKPOINT_VERSION + 1, THREAD);
    expect(changed.changes).toBe(1);
    expect(log.load(THREAD)).toEqual({ checkpoint: undefined, events, lastSeq: 19 });
  });

  it('is not written before enough events have gone by', () => {
    const log = new EventLog(database, 20);
    appendEach(log, events);
    expect(log.load(THREAD)).toEqual({ checkpoint: undefined, events, lastSeq: 19 });
  });
});
