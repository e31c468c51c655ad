// Reliability, part 2: SIGKILL at random points across turns. Round after round on one home, a
// Keel process starts or resumes threads and runs turns that stream long answers (the scripted
// provider's repeatText), and is killed after a PRNG-chosen number of notifications, after its
// turns ended, or right after `initialize`, while it recovers what the last kill left. Afterwards the store passes
// SQLite's integrity check, every thread's log is gapless and replays to its index row, and a last
// Keel serves every thread with no turn left `inProgress` and everything the client saw completed
// (turns, items) still there.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ThreadReadResponse } from '../../generated/protocol.js';
import { initialized, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { rng, shuffled, type Rng } from '../helpers/rng.js';
import { inspectStore } from '../helpers/store-fixtures.js';
import { params, turnHome } from '../helpers/turns.js';
import { reportPart, SEED } from './tally.js';
import { Witness } from './witness.js';

/**
 * Where each round's kill lands, dealt in a PRNG-shuffled order so every seed gets the same mix:
 * after a PRNG-chosen notification, after the round's turns ended (so later rounds resume threads
 * with finished turns too), or right after `initialize`, while Keel recovers what the last kill left.
 */
const KILL_KINDS = [...Array<'notification'>(12).fill('notification'), ...Array<'afterTurns'>(5).fill('afterTurns'), ...Array<'startup'>(3).fill('startup')];
const ROUNDS = KILL_KINDS.length;
/** Deltas per scripted answer: long enough that many kills land mid-stream. */
const answerLength = (k: number) => 1000 + ((k * 397) % 2000);
/**
 * A process's k-th turn streams answer k. Every other answer then falls silent until the idle
 * watchdog fails its turn (STALL_MS): Keel runs far ahead of a client reading its output, and
 * those pauses are where a kill finds it in the middle of a turn, and they add failed turns.
 */
const SCRIPT = Array.from({ length: 6 }, (_, k) => [
  { text: `answer ${k}: ` },
  { repeatText: { text: 'lorem ', count: answerLength(k) } },
  k % 2 === 0 ? { stall: true as const } : { text: 'done' },
]);
const STALL_MS = 400;
const TURNS_PER_ROUND = 3;
const WAIT_MS = 15_000;

/**
 * Resolves once `count` notifications have come. Registered before anything is sent, it is the
 * first waiter and so sees every notification; it never matches a response, so it cannot take
 * one from a request waiting for it.
 */
function afterNotifications(keel: KeelProcess, count: number): Promise<unknown> {
  let seen = 0;
  return keel.waitFor((m) => m.method !== undefined && ++seen >= count, 60_000);
}

/** What one round does before the kill: start or resume threads, run a turn on each at once. */
async function roundWork(keel: KeelProcess, random: Rng, threads: string[], plan: { turns: number; startupKill: boolean }): Promise<void> {
  await initialized(keel);
  if (plan.startupKill) return;
  const chosen: string[] = [];
  for (let i = 0; i < plan.turns; i++) {
    const resumable = threads.filter((id) => !chosen.includes(id));
    if (resumable.length > 0 && random.next() < 0.6) {
      const threadId = random.pick(resumable);
      await keel.request('thread/resume', { threadId }, WAIT_MS);
      chosen.push(threadId);
    } else {
      const { thread } = await keel.request('thread/start', {}, WAIT_MS);
      threads.push(thread.id);
      chosen.push(thread.id);
    }
  }
  const turns = await Promise.all(chosen.map((threadId) => keel.request('turn/start', { threadId, input: [{ type: 'text', text: `go ${threadId}` }] }, WAIT_MS)));
  await Promise.all(turns.map(({ turn }) => keel.waitFor((m) => m.method === 'turn/completed' && params(m).turn.id === turn.id, WAIT_MS)));
}

describe('reliability: SIGKILL at random points across turns', () => {
  it(`leaves a consistent store after ${ROUNDS} kills, and a restarted Keel serves all it saw completed`, { timeout: 150_000 }, async () => {
    const startedAt = Date.now();
    console.log(`reliability kills: seed ${SEED}`);
    const random = rng(SEED * 31 + 2);
    const { home, env } = turnHome({ script: SCRIPT, keel: [`stream_idle_timeout_ms = ${STALL_MS}`, 'max_retries = 0'] });
    const witness = new Witness();
    /** Threads whose thread/start was answered, in order: the ones later rounds resume. */
    const threads: string[] = [];
    const killPoints: string[] = [];
    let turnsStarted = 0;

    for (const kind of shuffled(KILL_KINDS, random)) {
      const plan = { turns: 1 + random.int(TURNS_PER_ROUND), startupKill: kind === 'startup' };
      // A point among about the notifications the round sends: its k-th turn streams the
      // script's k-th answer, plus a dozen around it.
      const expected = Array.from({ length: plan.turns }, (_, k) => answerLength(k) + 12).reduce((a, b) => a + b, 0);
      const killAfter = kind === 'notification' ? 1 + random.int(expected) : Number.POSITIVE_INFINITY;
      const keel = spawnKeel({ home, env });
      const killPoint = afterNotifications(keel, killAfter);
      let killed = false;
      const work = roundWork(keel, random, threads, plan).catch((error: Error) => {
        // Once the kill is sent, waits end with "keel exited": only then is an error expected.
        if (!killed || !/keel exited/.test(error.message)) throw error;
      });
      await Promise.race([killPoint, work]);
      killed = true;
      // What is still in the pipe was never seen; a SIGKILL may also cut Keel's last line in two.
      keel.abandonOutput();
      process.kill(keel.pid, 'SIGKILL');
      expect(await keel.exited).toEqual({ code: null, signal: 'SIGKILL' });
      await Promise.all([work, killPoint.catch(() => undefined)]);
      witness.record(keel.messages);
      turnsStarted += keel.messages.filter((m) => m.method === 'turn/started').length;
      const heard = keel.messages.filter((m) => m.method !== undefined).length;
      killPoints.push(plan.startupKill ? 'startup' : heard >= killAfter ? `#${killAfter}` : 'end');
    }

    const file = path.join(home, 'keel.db');
    const afterKills = inspectStore(file);
    expect(afterKills.integrity).toBe('ok');
    expect(afterKills.problems).toEqual([]);
    expect(afterKills.threadIds).toEqual(expect.arrayContaining([...witness.threads]));

    const last = spawnKeel({ home, env });
    await initialized(last);
    const listed = await last.request('thread/list', { limit: 1000 });
    // thread/list lists the threads that had a turn (as Codex): a thread killed before its first is stored, not listed.
    const db = new Database(file, { readonly: true });
    const used = db.prepare('SELECT id FROM threads WHERE has_turns = 1 ORDER BY id').pluck().all() as string[];
    db.close();
    expect(listed.data.map((t) => t.id).sort()).toEqual(used);
    const reads = new Map<string, ThreadReadResponse>();
    for (const { id } of listed.data) reads.set(id, await last.request('thread/read', { threadId: id, includeTurns: true }));
    expect(await last.close()).toBe(0);

    const turns = [...reads.values()].flatMap((read) => read.thread.turns.map((turn) => ({ ...turn, threadId: read.thread.id })));
    expect([...reads.values()].filter((read) => read.turnsBackwardsCursor !== null)).toEqual([]);
    expect(turns.filter((turn) => turn.status === 'inProgress')).toEqual([]);
    const stored = new Map(turns.map((turn) => [turn.id, turn]));
    for (const [turnId, seen] of witness.turns) {
      const turn = stored.get(turnId);
      expect(turn, `turn ${turnId} was started before a kill`).toBeDefined();
      expect(turn!.threadId).toBe(seen.threadId);
      // Every item the client saw completed is stored as it saw it, in the same order.
      expect(turn!.items.filter((item) => seen.items.some((s) => (s as { id: string }).id === item.id))).toEqual(seen.items);
      if (seen.end !== undefined) {
        expect({ status: turn!.status, error: turn!.error }).toEqual(seen.end);
        expect(turn!.items).toEqual(seen.items);
      }
    }
    const recovered = inspectStore(file);
    expect(recovered.integrity).toBe('ok');
    expect(recovered.problems).toEqual([]);

    console.log(
      `reliability kills: ${ROUNDS} kills (after notification #n, after the round's turns ended, or right after initialize): ${killPoints.join(' ')}; ${threads.length} threads, ${turnsStarted} turns started, ${witness.completedTurns} seen to end before a kill, ${turns.filter((t) => t.status === 'interrupted').length} closed as interrupted, ${turns.filter((t) => t.status === 'failed').length} failed`,
    );
    reportPart('kills', { kills: ROUNDS, turns: turnsStarted }, startedAt);
  });
});
