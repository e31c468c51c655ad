// The summary row is folded from the events appended (store/projections/summary-fold.ts), not
// computed from the state: this holds it to what the state says, summaryOf(state), after every
// append of long random histories through both thread logs — every event kind that moves a
// summary field (renames, settings, archive, turns, previews, file writes and their restores,
// reverts, forks), clocks that step back, several events per append as delta flushes make them.
import { afterAll, describe, expect, it } from 'vitest';
import { isTransient, stampEvent, type EventBody, type FileUndo, type KeelEvent } from '../../src/core/events.js';
import { reduceThread } from '../../src/core/reduce.js';
import { recordOf } from '../../src/core/checkpoint.js';
import type { ThreadState } from '../../src/core/state.js';
import { summaryOf } from '../../src/core/summary.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { agentMessage, fixtureSettings, userMessage } from '../helpers/store-fixtures.js';
import { rng, type Rng } from '../helpers/rng.js';
import { dropPgDatabases } from '../helpers/pg.js';
import { threadLogKinds } from '../helpers/thread-logs.js';

const THREAD = 'projected';
const undo: FileUndo[] = [{ path: '/w/a.txt', movePath: null, before: 'old', after: 'new' }];

/** A random next event of the thread (not all of them change it: those are not stored, as live). */
function nextEvent(r: Rng, state: ThreadState | undefined, at: number): KeelEvent {
  const stamp = (body: EventBody) => stampEvent(THREAD, at, body) as KeelEvent;
  if (state === undefined) {
    // Half of the threads are forks: created with a copied history (its first user message is the preview).
    if (r.next() < 0.5) return stamp({ type: 'thread/created', settings: fixtureSettings, origin: { ephemeral: false, cliVersion: '1', forkedFromId: null } });
    const forked = { id: 'old', status: 'completed' as const, error: null, startedAtMs: 1, completedAtMs: 2, model: null, items: [{ item: userMessage('u0', 'forked question'), startedAtMs: 1, completedAtMs: 2 }] };
    return stamp({ type: 'thread/created', settings: fixtureSettings, origin: { ephemeral: false, cliVersion: '1', forkedFromId: 'src' }, turns: [forked], name: r.pick([null, 'fork']) });
  }
  const turnIds = recordOf(state).turns.map((turn) => turn.id);
  const turnId = state.activeTurnId ?? (turnIds.length > 0 && r.next() < 0.5 ? r.pick(turnIds) : `t${r.int(6)}`);
  const itemId = `i${r.int(4)}`;
  switch (r.int(16)) {
    case 0: return stamp({ type: 'thread/renamed', name: r.pick(['one', 'two']) });
    case 1: return stamp({ type: 'thread/settingsChanged', settings: r.pick([{ model: 'm2' }, { cwd: '/elsewhere', modelProvider: 'anthropic' }, { reasoningEffort: 'high' as const }, { approvalPolicy: 'never' as const }]) });
    case 2: return stamp({ type: r.pick(['thread/archived', 'thread/unarchived'] as const) });
    case 3: case 4: return stamp({ type: 'turn/started', turnId: `t${r.int(6)}`, model: null });
    case 5: return stamp({ type: 'turn/completed', turnId: r.pick([turnId, ...turnIds, 'none']), status: 'completed', error: null });
    case 6: case 7: return stamp({ type: r.pick(['item/started', 'item/completed'] as const), turnId, itemId, item: r.next() < 0.6 ? userMessage(itemId, `ask ${r.int(100)}`) : agentMessage(itemId, 'hi') });
    case 8: return stamp({ type: 'item/writeIntent', turnId, itemId, changes: undo });
    case 9: return stamp({ type: 'item/completed', turnId, itemId, item: agentMessage(itemId, 'done') });
    case 10: return stamp({ type: 'thread/reverted', beforeTurnId: r.pick([...turnIds, 'none']), ...(r.next() < 0.6 && { restore: undo }) });
    case 11: return stamp({ type: 'thread/filesRestored' });
    case 12: return stamp({ type: 'item/delta', turnId, itemId, channel: 'agentMessage', index: 0, delta: 'x' });
    case 13: return stamp({ type: 'turn/tokenUsage', turnId, last: { inputTokens: 1, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 1, reasoningOutputTokens: 0, totalTokens: 2 }, modelContextWindow: null });
    case 14: return stamp({ type: 'turn/planUpdated', turnId, explanation: null, plan: [] });
    default: return stamp({ type: 'turn/error', turnId, error: { message: 'x', codexErrorInfo: null, additionalDetails: null }, willRetry: true });
  }
}

afterAll(dropPgDatabases);

for (const kind of threadLogKinds) describe.skipIf(kind.skip !== null)(`the summary the ${kind.name} log projects from the events${kind.skip === null ? '' : ` (skipped: ${kind.skip})`}`, () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('equals summaryOf(state) after every append (seed %i)', async (seed) => {
    const r = rng(seed);
    const { log, close } = await kind.open(50);
    try {
      let state: ThreadState | undefined;
      let at = 1_700_000_000_000;
      let seq = 0;
      let batch: KeelEvent[] = [];
      let checked = 0;
      for (let step = 0; step < 600; step++) {
        // The clock mostly moves on, now and then back: updated_at never goes back with it.
        at += r.next() < 0.1 ? -r.int(5000) : r.int(3000);
        const event = nextEvent(r, state, at);
        const after = reduceThread(state, event);
        // Only events that change the thread are stored (ThreadRuntime.apply); a delete is not part of this.
        if (after === undefined || after === state || isTransient(event)) continue;
        state = after;
        batch.push(event);
        if (r.next() < 0.4) continue; // several events in one append, as a flush writes buffered deltas with the next event
        seq = await log.append(THREAD, batch, state, seq + 1);
        batch = [];
        expect(await log.summary(THREAD)).toEqual({ ...summaryOf(state), ephemeral: false });
        checked++;
      }
      expect(checked).toBeGreaterThan(100);
    } finally {
      await close();
    }
  });
});

describe('a summary row written before the fold kept its bookkeeping', () => {
  it('is taken from the state at its next append, and folded from there on', async () => {
    const database = await openDatabase(':memory:');
    try {
      const log = new EventLog(database);
      let state: ThreadState | undefined;
      let seq = 0;
      const append = (body: EventBody) => {
        const event = stampEvent(THREAD, 1_700_000_000_000 + seq * 1000, body) as KeelEvent;
        state = reduceThread(state, event)!;
        seq = log.append(THREAD, [event], state, seq + 1);
      };
      append({ type: 'thread/created', settings: fixtureSettings, origin: { ephemeral: false, cliVersion: '1', forkedFromId: null } });
      append({ type: 'turn/started', turnId: 't1', model: null });
      // As migration 3 leaves an active row: no bookkeeping.
      database.sqlite.prepare('UPDATE threads SET active_turn_id = NULL, pending_writes = NULL').run();
      append({ type: 'turn/completed', turnId: 't1', status: 'interrupted', error: null });
      expect(log.summary(THREAD)).toEqual({ ...summaryOf(state!), ephemeral: false });
      expect(log.activeThreadIds()).toEqual([]);
      append({ type: 'turn/started', turnId: 't2', model: null });
      expect(log.activeThreadIds()).toEqual([THREAD]);
      expect(database.sqlite.prepare('SELECT active_turn_id, pending_writes FROM threads').get()).toEqual({ active_turn_id: 't2', pending_writes: '[]' });
    } finally {
      await database.close();
    }
  });
});
