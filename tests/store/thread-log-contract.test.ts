// The store contract: what the engine may count on from any ThreadLog (engine/thread-log.ts),
// held against the SQLite log, the in-memory one and the PostgreSQL one alike — append and load, load from a seq,
// delete, what is active, the summary, a seq conflict refused as a conflict, a gap found while
// reading refused as corruption, checkpoints, and thread/list's pages of the summary projection.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeelEvent } from '../../src/core/events.js';
import { reduceThread, replay } from '../../src/core/reduce.js';
import type { ThreadState } from '../../src/core/state.js';
import { summaryOf } from '../../src/core/summary.js';
import type { ThreadLog } from '../../src/engine/thread-log.js';
import { agentMessage, eventsOf, fixtureSettings, threadEvents } from '../helpers/store-fixtures.js';
import { dropPgDatabases } from '../helpers/pg.js';
import { threadLogKinds, type OpenedLog } from '../helpers/thread-logs.js';

const origin = { ephemeral: false, cliVersion: '0.0.9', forkedFromId: null };

/** Appends each event on its own with the state after it and the next first seq, as ThreadRuntime does; returns the final state. */
async function appendEach(log: ThreadLog, events: readonly KeelEvent[], state?: ThreadState): Promise<ThreadState> {
  let seq = state === undefined ? 0 : (await log.load(state.id)).lastSeq;
  for (const event of events) {
    state = reduceThread(state, event)!;
    seq = await log.append(event.threadId, [event], state, seq + 1);
  }
  return state!;
}

const stored = (state: ThreadState) => ({ ...summaryOf(state), ephemeral: false });
/** Events as a load hands them back: the JSON they are stored as. */
const asStored = (events: readonly KeelEvent[]) => JSON.parse(JSON.stringify(events)) as KeelEvent[];

afterAll(dropPgDatabases);

/** A thread whose turn streamed a run of two deltas (seqs 4 and 5): five stored events, six seqs. */
function withDeltaRun(): KeelEvent[] {
  const e = eventsOf('a', Date.UTC(2025, 0, 1));
  return [
    e('thread/created', { settings: fixtureSettings, origin }),
    e('turn/started', { turnId: 't', model: null }),
    e('item/started', { turnId: 't', itemId: 'm', item: agentMessage('m', '') }),
    e('item/delta', { turnId: 't', itemId: 'm', channel: 'agentMessage', index: 0, delta: 'abc', parts: [1, 2] }),
    e('turn/completed', { turnId: 't', status: 'completed', error: null }),
  ];
}

for (const kind of threadLogKinds) describe.skipIf(kind.skip !== null)(`the ${kind.name} thread log${kind.skip === null ? '' : ` (skipped: ${kind.skip})`}`, () => {
  let opened: OpenedLog;
  let log: ThreadLog;
  beforeEach(async () => {
    opened = await kind.open(5);
    log = opened.log;
  });
  afterEach(async () => {
    await opened.close();
  });

  it('loads what was appended, in order, with the seq of the last event; an unknown thread loads empty', async () => {
    const events = threadEvents('a', 0);
    expect(await log.append('a', events, replay(events)!, 1)).toBe(1);
    expect((await log.load('a'))).toEqual({ checkpoint: undefined, events: asStored(events), lastSeq: 1 });
    expect((await log.load('nobody'))).toEqual({ checkpoint: undefined, events: [], lastSeq: 0 });
  });

  it('gives a run of deltas one seq per part, and loads from a seq with each event at its first seq', async () => {
    const all = withDeltaRun();
    expect(await log.append('a', all, replay(all)!, 1)).toBe(6);
    expect((await log.loadAround('a', 0))).toEqual({
      checkpoint: undefined,
      events: asStored(all).map((event, i) => ({ seq: [1, 2, 3, 4, 6][i], event })),
    });
  });

  it('reads the events after a seq alone, each at its first seq; none inside a run of deltas', async () => {
    const all = withDeltaRun();
    await log.append('a', all, replay(all)!, 1);
    const stored = asStored(all);
    expect(await log.since('a', 2)).toEqual([{ seq: 3, event: stored[2] }, { seq: 4, event: stored[3] }, { seq: 6, event: stored[4] }]);
    // The run covers seqs 4 and 5: after 4 is inside it, after 5 is past it.
    expect(await log.since('a', 4)).toBeNull();
    expect(await log.since('a', 5)).toEqual([{ seq: 6, event: stored[4] }]);
    expect(await log.since('a', 6)).toEqual([]);
    expect(await log.since('nobody', 0)).toEqual([]);
  });

  it('refuses a write whose first seq is not the next one as a conflict, writing none of it', async () => {
    const events = threadEvents('a', 1);
    const state = await appendEach(log, events);
    const more = eventsOf('a', Date.UTC(2026, 0, 1))('thread/renamed', { name: 'late' });
    const after = reduceThread(state, more)!;
    for (const firstSeq of [events.length, events.length + 2, 1]) {
      await expect((async () => log.append('a', [more], after, firstSeq))()).rejects.toThrow(
        expect.objectContaining({ kind: 'conflict', message: `event log of thread a ends at seq ${events.length}; a write starting at ${firstSeq} would leave a gap or overwrite` }),
      );
    }
    const loaded = (await log.load('a'));
    expect(loaded.lastSeq).toBe(7);
    expect(replay(loaded.events, loaded.checkpoint)).toEqual(replay(asStored(events)));
    expect((await log.summary('a'))).toEqual(stored(state));
  });

  it('refuses to read a log with a gap as corrupt, naming the seq it expected and the one it found', async () => {
    await appendEach(log, threadEvents('a', 2));
    await opened.loseEvent('a', 3);
    await expect((async () => log.loadAround('a', 0))()).rejects.toThrow(expect.objectContaining({ kind: 'corrupt', message: 'event log of thread a has a gap: expected seq 3, found 4' }));
  });

  it('refuses to read a log missing its last events as corrupt: the head knows where it ends', async () => {
    await appendEach(log, threadEvents('a', 2));
    await opened.loseEvent('a', 13);
    await expect((async () => log.load('a'))()).rejects.toThrow(expect.objectContaining({ kind: 'corrupt', message: 'event log of thread a ends at seq 12, but its index row says 13' }));
  });

  it('keeps a checkpoint every few events: a load starts there and replays to the whole log', async () => {
    const events = threadEvents('a', 2); // 13 events, checkpoint every 5: the last at seq 10
    const live = await appendEach(log, events);
    const loaded = (await log.load('a'));
    expect(loaded.lastSeq).toBe(13);
    expect(loaded.events).toEqual(asStored(events.slice(10)));
    expect(loaded.checkpoint).toEqual(replay(asStored(events.slice(0, 10))));
    expect(replay(loaded.events, loaded.checkpoint)).toEqual(replay(asStored(events)));
    expect(replay(loaded.events, loaded.checkpoint)!.updatedAtMs).toBe(live.updatedAtMs);
  });

  it('loads from a seq before the checkpoint without it, and from one after it with it', async () => {
    const events = threadEvents('a', 2);
    await appendEach(log, events);
    expect((await log.loadAround('a', 3))).toEqual({ checkpoint: undefined, events: asStored(events).map((event, i) => ({ seq: i + 1, event })) });
    expect((await log.loadAround('a', 11))).toEqual({
      checkpoint: replay(asStored(events.slice(0, 10))),
      events: asStored(events.slice(10)).map((event, i) => ({ seq: i + 11, event })),
    });
  });

  it('deletes a thread whole: its events, checkpoint and summary', async () => {
    await appendEach(log, threadEvents('a', 2));
    const other = await appendEach(log, threadEvents('b', 1));
    expect((await log.delete('a'))).toBe(true);
    expect((await log.load('a'))).toEqual({ checkpoint: undefined, events: [], lastSeq: 0 });
    expect((await log.summary('a'))).toBeUndefined();
    expect((await log.delete('a'))).toBe(false);
    expect((await log.summary('b'))).toEqual(stored(other));
  });

  it('lists as active the threads with a turn in progress, until it ends', async () => {
    const e = eventsOf('a', Date.UTC(2025, 0, 1));
    let state = await appendEach(log, [e('thread/created', { settings: fixtureSettings, origin }), e('turn/started', { turnId: 't', model: null })]);
    await appendEach(log, threadEvents('b', 1));
    expect((await log.activeThreadIds())).toEqual(['a']);
    state = await appendEach(log, [e('turn/completed', { turnId: 't', status: 'interrupted', error: null })], state);
    expect((await log.activeThreadIds())).toEqual([]);
    expect((await log.summary('a'))).toEqual(stored(state));
  });

  it('keeps the summary of each thread as its state summarises: name, preview, settings, archived, times', async () => {
    const e = eventsOf('a', Date.UTC(2025, 0, 1));
    let state = await appendEach(log, threadEvents('a', 1));
    expect((await log.summary('a'))).toEqual(stored(state));
    state = await appendEach(log, [e('thread/renamed', { name: 'Named' }), e('thread/settingsChanged', { settings: { model: 'other', cwd: '/else' } }), e('thread/archived', {})], state);
    expect((await log.summary('a'))).toEqual({ ...stored(state), name: 'Named', model: 'other', cwd: '/else', archived: true, preview: 'question 1' });
    expect((await log.summary('nobody'))).toBeUndefined();
  });

  it('pages the summaries for thread/list: filters, order by (sort value, id), after a position', async () => {
    const threads: ThreadState[] = [];
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) threads.push(await appendEach(log, threadEvents(id, 1, Date.UTC(2025, 0, 1 + (i % 2)))));
    const e = eventsOf('d', Date.UTC(2025, 2, 1));
    threads[3] = await appendEach(log, [e('thread/archived', {})], threads[3]);
    const query = { sortColumn: 'created_at', direction: 'desc', limit: 10, after: null, archived: false, cwds: null, searchTerm: null, modelProviders: null } as const;
    const ids = async (q: Partial<typeof query> | Record<string, unknown>) => (await opened.index.threadPage({ ...query, ...q })).map((summary) => summary.id);
    // a and c share a creation time, as do b and d: the id breaks the tie.
    expect(await ids({})).toEqual(['b', 'c', 'a']);
    expect(await ids({ direction: 'asc' })).toEqual(['a', 'c', 'b']);
    expect(await ids({ after: [threads[2]!.createdAtMs, 'c'] })).toEqual(['a']);
    expect(await ids({ limit: 2 })).toEqual(['b', 'c']);
    expect(await ids({ archived: true })).toEqual(['d']);
    expect(await ids({ sortColumn: 'updated_at', archived: true })).toEqual(['d']);
    expect(await ids({ cwds: ['/nowhere'] })).toEqual([]);
    expect(await ids({ cwds: [fixtureSettings.cwd], modelProviders: [fixtureSettings.modelProvider] })).toEqual(['b', 'c', 'a']);
    expect(await ids({ searchTerm: 'QUESTION' })).toEqual(['b', 'c', 'a']);
    expect(await ids({ searchTerm: 'nothing like it' })).toEqual([]);
    // Letters fold in ASCII only, in every store: É is not é.
    threads[0] = await appendEach(log, [eventsOf('a', Date.UTC(2025, 2, 2))('thread/renamed', { name: 'Écoute ÉCOLE' })], threads[0]);
    expect(await ids({ searchTerm: 'éCOUTE' })).toEqual([]);
    expect(await ids({ searchTerm: 'Écoute école' })).toEqual([]);
    expect(await ids({ searchTerm: 'ÉCOUTE éCOLE'.replace('é', 'É') })).toEqual(['a']);
    expect((await opened.index.threadPage(query))[0]).toEqual(stored(threads[1]!));
  });

  it("lists only threads that had a turn, and applies thread/list's id and source filters in the query", async () => {
    for (const [i, id] of ['a', 'b', 'c'].entries()) await appendEach(log, threadEvents(id, 1, Date.UTC(2025, 0, 1 + i)));
    await appendEach(log, threadEvents('never-used', 0, Date.UTC(2025, 0, 9)));
    const query = { sortColumn: 'created_at', direction: 'desc', limit: 10, after: null, archived: false, cwds: null, searchTerm: null, modelProviders: null } as const;
    const ids = async (q: Record<string, unknown>) => (await opened.index.threadPage({ ...query, ...q })).map((summary) => summary.id);
    expect(await ids({})).toEqual(['c', 'b', 'a']);
    expect(await ids({ includedIds: ['a', 'c', 'never-used'] })).toEqual(['c', 'a']);
    expect(await ids({ includedIds: [] })).toEqual([]);
    expect(await ids({ includedIds: ['a', 'c'], excludedIds: ['c'] })).toEqual(['a']);
    expect(await ids({ excludedIds: ['b'], limit: 1 })).toEqual(['c']);
    expect(await ids({ sourceKinds: ['appServer'] })).toEqual(['c', 'b', 'a']);
    expect(await ids({ sourceKinds: ['cli'] })).toEqual([]);
    // thread/search's full-text index: SQLite and memory keep one; PostgreSQL says it has none.
    if (kind.name === 'PostgreSQL') {
      await expect(opened.index.threadPage({ ...query, fullText: 'answer 1' })).rejects.toThrow('thread search is not supported on the PostgreSQL store');
    } else {
      expect(await ids({ fullText: 'ANSWER 1' })).toEqual(['c', 'b', 'a']);
    }
  });
});
