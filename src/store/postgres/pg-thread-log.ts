// The append-only event log per thread on PostgreSQL, written with its projections in one
// transaction, as event-log.ts does on SQLite. It satisfies the engine's ThreadLog
// (engine/thread-log.ts) structurally and asynchronously: `append` returns a promise, and the
// runtime counts the write acknowledged when it settles (see the top of engine/thread-runtime.ts).
//
// Order: each append names its first seq, checked against the thread's head (last_seq) under a
// row lock, so a write out of step is refused, never written. But a pool runs two in-flight
// appends of one thread on two connections in either order, and the second would be refused for
// arriving first — so the appends of one thread are chained here, each starting when the one
// before it settled. Other threads' appends run beside them.
//
// Word of each commit goes out with it: pg_notify('keel_thread', '<threadId>:<lastSeq>') inside
// the transaction is delivered on commit, to every process LISTENing (pg-changes.ts).
import { sql, type Transaction } from 'kysely';
import { CHECKPOINT_VERSION, recordOf, stateFromRecord, type ThreadRecord } from '../../core/checkpoint.js';
import { seqSpan, type KeelEvent } from '../../core/events.js';
import type { ThreadState } from '../../core/state.js';
import type { SeqEvent, StoredAround, StoredThread } from '../../core/stored-thread.js';
import type { ThreadSummary } from '../../core/summary.js';
import { DomainError } from '../../kernel/errors.js';
import { CHECKPOINT_EVERY, leaseLost, seqConflict } from '../event-log.js';
import { eventsFromRows, seqEventsFromRows } from '../stored-events.js';
import { rowToSummary } from '../summary-row.js';
import type { Tables } from '../tables.js';
import { PG_DEFAULTS, type PgDatabase } from './pg-database.js';
import { connectionLost, pgError } from './pg-errors.js';
import { applySummary, deleteSummary } from './pg-summary-projection.js';
import { givesTurn } from '../projections/search-fold.js';

/** The channel of the log's commit notices: payload `<threadId>:<lastSeq>`. */
export const THREAD_CHANNEL = 'keel_thread';

/** Rows per INSERT: PostgreSQL binds at most 65535 parameters to a statement (six per row here). */
const INSERT_CHUNK = 1000;

const UNIQUE_VIOLATION = '23505';

/** The pauses between tries of a write while the database is out of reach: doubling, at most the last. */
const FIRST_RETRY_MS = 50;
const LAST_RETRY_MS = 1_000;

export class PgThreadLog {
  /** The tail of each thread's chain of appends (see the top of the file); gone once it settles. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly database: PgDatabase,
    private readonly checkpointEvery = CHECKPOINT_EVERY,
    /** The fence, as the SQLite log's: an append to a thread whose lease another owner holds is refused (null: no fence). */
    private readonly ownerId: string | null = null,
  ) {}

  append(threadId: string, events: readonly KeelEvent[], state: ThreadState, firstSeq?: number): Promise<number> {
    const before = this.tails.get(threadId) ?? Promise.resolve();
    const write = before.then(
      () => this.write(threadId, events, state, firstSeq),
      () => this.write(threadId, events, state, firstSeq),
    );
    this.database.track(write).catch(() => {});
    const tail = write.catch(() => {});
    this.tails.set(threadId, tail);
    void tail.then(() => {
      if (this.tails.get(threadId) === tail) this.tails.delete(threadId);
    });
    return write;
  }

  /**
   * One append, tried again while the database is out of reach (a restart: PostgreSQL ends every
   * connection, refuses new ones for a moment, then takes them again) for up to `writeRetryMs`:
   * a restart that short costs the turn a pause, not its life. Past that, or for any other failure,
   * the append is refused in words and the runtime fails the turn (engine/thread-runtime.ts).
   */
  private async write(threadId: string, events: readonly KeelEvent[], state: ThreadState, firstSeq: number | undefined): Promise<number> {
    const deadline = Date.now() + (this.database.options.writeRetryMs ?? PG_DEFAULTS.writeRetryMs);
    let pause = FIRST_RETRY_MS;
    for (let retrying = false; ; retrying = true) {
      try {
        return await this.transact(threadId, events, state, firstSeq, retrying);
      } catch (error) {
        if (!connectionLost(error) || Date.now() + pause > deadline) throw this.refusal(error, threadId, firstSeq);
        this.database.options.onWarning?.(`a write to thread ${threadId} found ${this.database.where} out of reach (${(error as Error).message}); trying again in ${pause} ms`);
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, LAST_RETRY_MS);
      }
    }
  }

  private async transact(threadId: string, events: readonly KeelEvent[], state: ThreadState, firstSeq: number | undefined, retrying: boolean): Promise<number> {
    return this.database.db.transaction().execute(async (trx) => {
      // The row lock orders this write after any other writer's of the thread (another process's).
      const head = await trx.selectFrom('threads').select('last_seq').where('id', '=', threadId).forUpdate().executeTakeFirst();
      if (this.ownerId !== null) {
        const lease = await trx.selectFrom('thread_leases').select('owner_id').where('thread_id', '=', threadId).executeTakeFirst();
        if (lease !== undefined && lease.owner_id !== this.ownerId) throw leaseLost(threadId);
      }
      const lastSeq = head?.last_seq ?? 0;
      const start = firstSeq ?? lastSeq + 1;
      let seq = start - 1;
      const rows = events.map((event) => {
        const row = { thread_id: threadId, seq: seq + 1, type: event.type, v: event.v, at: event.at, body: JSON.stringify(event) };
        seq += seqSpan(event);
        return row;
      });
      if (start !== lastSeq + 1) {
        // A connection lost at COMMIT leaves the outcome unknown: the try before may have landed.
        if (retrying && lastSeq === seq && (await this.holds(trx, threadId, rows[0]))) return seq;
        throw seqConflict(threadId, lastSeq, start);
      }
      for (let from = 0; from < rows.length; from += INSERT_CHUNK) {
        await trx.insertInto('events').values(rows.slice(from, from + INSERT_CHUNK)).execute();
      }
      await applySummary(trx, { threadId, events, lastSeq: seq, state });
      // thread/list lists only threads that had a turn (migration 5); the full-text index is SQLite's alone.
      if (events.some(givesTurn)) await trx.updateTable('threads').set({ has_turns: 1 }).where('id', '=', threadId).where('has_turns', '=', 0).execute();
      await this.checkpoint(trx, threadId, seq, state);
      await sql`select pg_notify(${THREAD_CHANNEL}, ${`${threadId}:${seq}`})`.execute(trx);
      return seq;
    });
  }

  /** Whether the log holds `row` as it is (the first event of a write that may have landed). */
  private async holds(trx: Transaction<Tables>, threadId: string, row: { seq: number; body: string } | undefined): Promise<boolean> {
    if (row === undefined) return true;
    const stored = await trx.selectFrom('events').select('body').where('thread_id', '=', threadId).where('seq', '=', row.seq).executeTakeFirst();
    return stored?.body === row.body;
  }

  private refusal(error: unknown, threadId: string, firstSeq: number | undefined): unknown {
    // A thread's first write has no row to lock: two writers creating it at once meet at the key.
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
      return new DomainError('conflict', `event log of thread ${threadId} was written by another writer at the same time; a write starting at ${firstSeq ?? 'its head'} would overwrite`);
    }
    return pgError(error, this.database.where);
  }

  private async checkpoint(trx: Transaction<Tables>, threadId: string, seq: number, state: ThreadState): Promise<void> {
    const row = await trx.selectFrom('checkpoints').select('seq').where('thread_id', '=', threadId).executeTakeFirst();
    if (seq - (row?.seq ?? 0) < this.checkpointEvery) return;
    await trx
      .insertInto('checkpoints')
      .values({ thread_id: threadId, seq, v: CHECKPOINT_VERSION, body: JSON.stringify(recordOf(state)) })
      .onConflict((conflict) => conflict.column('thread_id').doUpdateSet((row) => ({ seq: row.ref('excluded.seq'), v: row.ref('excluded.v'), body: row.ref('excluded.body') })))
      .execute();
  }

  /** The whole log of a thread in order, upgraded to the current event version; refuses a log with a gap. */
  async read(threadId: string): Promise<KeelEvent[]> {
    return this.snapshot(threadId, (trx) => this.eventsAfter(trx, threadId, 0));
  }

  async load(threadId: string): Promise<StoredThread> {
    return this.snapshot(threadId, async (trx) => {
      const { checkpoint, from } = await this.checkpointUpTo(trx, threadId, Infinity);
      const events = await this.eventsAfter(trx, threadId, from);
      return { checkpoint, events, lastSeq: await this.head(trx, threadId) };
    });
  }

  async loadAround(threadId: string, afterSeq: number): Promise<StoredAround> {
    return this.snapshot(threadId, async (trx) => {
      const { checkpoint, from } = await this.checkpointUpTo(trx, threadId, afterSeq);
      const seqs: Array<{ seq: number; event: KeelEvent }> = [];
      let seq = from + 1;
      for (const event of await this.eventsAfter(trx, threadId, from)) {
        seqs.push({ seq, event });
        seq += seqSpan(event);
      }
      return { checkpoint, events: seqs };
    });
  }

  /** The events after `afterSeq` alone (a follower's next read); null when it falls inside a stored run of deltas. */
  async since(threadId: string, afterSeq: number): Promise<SeqEvent[] | null> {
    return this.snapshot(threadId, async (trx) => {
      const rows = await trx.selectFrom('events').select(['seq', 'body']).where('thread_id', '=', threadId).where('seq', '>', afterSeq).orderBy('seq').execute();
      return seqEventsFromRows(threadId, afterSeq, rows, await this.head(trx, threadId));
    });
  }

  async lastSeq(threadId: string): Promise<number> {
    await this.settledWrites(threadId);
    return this.run(() => this.head(this.database.db, threadId));
  }

  async summary(threadId: string): Promise<ThreadSummary | undefined> {
    await this.settledWrites(threadId);
    const row = await this.run(() => this.database.db.selectFrom('threads').selectAll().where('id', '=', threadId).executeTakeFirst());
    return row && rowToSummary(row);
  }

  /** Threads whose last recorded state had a turn in progress. */
  async activeThreadIds(): Promise<string[]> {
    const rows = await this.run(() => this.database.db.selectFrom('threads').select('id').where('active', '=', 1).orderBy('id').execute());
    return rows.map((row) => row.id);
  }

  async delete(threadId: string): Promise<boolean> {
    await this.settledWrites(threadId);
    return this.run(() =>
      this.database.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('events').where('thread_id', '=', threadId).execute();
        await trx.deleteFrom('checkpoints').where('thread_id', '=', threadId).execute();
        return deleteSummary(trx, threadId);
      }),
    );
  }

  /** Resolves when this process's appends of the thread handed over so far have settled: a read after a write sees it. */
  private async settledWrites(threadId: string): Promise<void> {
    await this.tails.get(threadId);
  }

  /**
   * A read of several statements in one snapshot (REPEATABLE READ): another process appending
   * meanwhile must not make the events and the head disagree, which would read as damage.
   */
  private async snapshot<T>(threadId: string, read: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
    await this.settledWrites(threadId);
    return this.run(() => this.database.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(read));
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw pgError(error, this.database.where);
    }
  }

  private async head(db: Transaction<Tables> | PgDatabase['db'], threadId: string): Promise<number> {
    const row = await db.selectFrom('threads').select('last_seq').where('id', '=', threadId).executeTakeFirst();
    return row?.last_seq ?? 0;
  }

  /** The thread's checkpoint when it is of this version and not past `maxSeq`, and the seq to read on from. */
  private async checkpointUpTo(trx: Transaction<Tables>, threadId: string, maxSeq: number): Promise<{ checkpoint: ThreadState | undefined; from: number }> {
    const row = await trx.selectFrom('checkpoints').select(['seq', 'v', 'body']).where('thread_id', '=', threadId).executeTakeFirst();
    if (row === undefined || row.v !== CHECKPOINT_VERSION || row.seq > maxSeq) return { checkpoint: undefined, from: 0 };
    return { checkpoint: stateFromRecord(JSON.parse(row.body) as ThreadRecord), from: row.seq };
  }

  private async eventsAfter(trx: Transaction<Tables>, threadId: string, after: number): Promise<KeelEvent[]> {
    const rows = await trx.selectFrom('events').select(['seq', 'body']).where('thread_id', '=', threadId).where('seq', '>', after).orderBy('seq').execute();
    return eventsFromRows(threadId, after, rows, await this.head(trx, threadId));
  }
}
