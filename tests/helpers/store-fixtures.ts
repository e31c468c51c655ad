// Writes Keel stores directly with the real store modules, the way a running Keel would have left
// them (e.g. killed mid-turn), and checks a store's log against its thread index.
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { seqSpan, stampEvent, type KeelEvent, type ThreadSettings } from '../../src/core/events.js';
import { reduceThread, replay } from '../../src/core/reduce.js';
import type { ThreadState } from '../../src/core/state.js';
import { summaryOf, type ThreadSummary } from '../../src/core/summary.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { rowToSummary } from '../../src/store/summary-row.js';
import type { ThreadRow } from '../../src/store/tables.js';

export const fixtureSettings: ThreadSettings = {
  cwd: '/work/recover',
  model: 'gpt-test',
  modelProvider: 'openai',
  approvalPolicy: 'never',
  sandbox: { type: 'readOnly', networkAccess: false },
  reasoningEffort: null,
  baseInstructions: null,
  developerInstructions: null,
  config: null,
};

type Payload<T extends KeelEvent['type']> = Omit<Extract<KeelEvent, { type: T }>, 'v' | 'type' | 'threadId' | 'at'>;

/** Builds events of one thread with a clock that ticks 1 s per event from `startMs`. */
export function eventsOf(threadId: string, startMs: number) {
  let at = startMs;
  return <T extends KeelEvent['type']>(type: T, payload: Payload<T>): KeelEvent =>
    stampEvent(threadId, (at += 1000), { type, ...payload } as never) as KeelEvent;
}

export const userMessage = (id: string, text: string) => ({
  type: 'userMessage' as const,
  id,
  content: [{ type: 'text' as const, text, text_elements: [] }],
});

export const agentMessage = (id: string, text: string) => ({ type: 'agentMessage' as const, id, text, phase: null, memoryCitation: null });

/** thread/created, then `turns` completed turns of six events each (user message, agent message). */
export function threadEvents(threadId: string, turns: number, startMs = Date.UTC(2025, 0, 1)): KeelEvent[] {
  const e = eventsOf(threadId, startMs);
  const events = [e('thread/created', { settings: fixtureSettings, origin: { ephemeral: false, cliVersion: '0.0.9', forkedFromId: null } })];
  for (let n = 1; n <= turns; n++) {
    const turnId = `turn-${n}`;
    const user = userMessage(`user-${n}`, `question ${n}`);
    const agent = agentMessage(`agent-${n}`, `answer ${n}`);
    events.push(
      e('turn/started', { turnId, model: 'gpt-test' }),
      e('item/started', { turnId, itemId: user.id, item: user }),
      e('item/completed', { turnId, itemId: user.id, item: user }),
      e('item/started', { turnId, itemId: agent.id, item: agentMessage(agent.id, '') }),
      e('item/completed', { turnId, itemId: agent.id, item: agent }),
      e('turn/completed', { turnId, status: 'completed', error: null }),
    );
  }
  return events;
}

/**
 * Writes each thread's events to a fresh store at `file`, one append per event with the index row
 * as it stood after that event, as a live Keel does. Returns each thread's final state.
 */
export async function writeStore(file: string, logs: readonly KeelEvent[][]): Promise<ThreadState[]> {
  const database = await openDatabase(file);
  try {
    const log = new EventLog(database);
    return logs.map((events) => {
      let state: ThreadState | undefined;
      for (const event of events) {
        state = reduceThread(state, event);
        log.append(event.threadId, [event], state!);
      }
      return state!;
    });
  } finally {
    await database.close();
  }
}

export interface StoreReport {
  integrity: string;
  /** Thread ids in the index, sorted. */
  threadIds: string[];
  /** Per thread: its seqs are exactly 1..N, N = last_seq, and replaying the log gives the index row. */
  problems: string[];
  summaries: Map<string, ThreadSummary>;
}

/** Checks a store the way recovery relies on it being; an empty `problems` list means consistent. */
export function inspectStore(file: string): StoreReport {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    const rows = db.prepare('SELECT * FROM threads ORDER BY id').all() as Array<ThreadRow & { last_seq: number }>;
    const problems: string[] = [];
    const summaries = new Map<string, ThreadSummary>();
    for (const row of rows) {
      const events = db.prepare('SELECT seq, body FROM events WHERE thread_id = ? ORDER BY seq').all(row.id) as Array<{ seq: number; body: string }>;
      // Each row starts at the seq after the previous row's last: a run of deltas covers one seq per part.
      let expected = 1;
      for (const { seq, body } of events) {
        if (seq !== expected) problems.push(`${row.id}: a row starts at seq ${seq}, the one before ends at ${expected - 1}`);
        expected = seq + seqSpan(JSON.parse(body) as KeelEvent);
      }
      if (row.last_seq !== expected - 1) problems.push(`${row.id}: last_seq ${row.last_seq}, the log ends at seq ${expected - 1}`);
      const replayed = replay(events.map((e) => JSON.parse(e.body) as KeelEvent));
      const summary = rowToSummary(row);
      if (replayed === undefined) problems.push(`${row.id}: log does not replay to a thread`);
      else if (!isDeepStrictEqual(summaryOf(replayed), summary)) {
        problems.push(`${row.id}: index row ${JSON.stringify(summary)} differs from the replayed log ${JSON.stringify(summaryOf(replayed))}`);
      }
      summaries.set(row.id, summary);
    }
    const orphans = db.prepare('SELECT DISTINCT thread_id FROM events WHERE thread_id NOT IN (SELECT id FROM threads)').pluck().all();
    if (orphans.length > 0) problems.push(`events without an index row: ${orphans.join(', ')}`);
    return { integrity, threadIds: rows.map((r) => r.id), problems, summaries };
  } finally {
    db.close();
  }
}
