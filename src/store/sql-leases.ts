// Thread leases in the database (engine/thread-leases.ts), for SQLite and PostgreSQL alike: every
// statement is kysely's, and each claim is ONE conditional upsert (`INSERT … ON CONFLICT … DO
// UPDATE … WHERE …`, which both dialects run atomically), never a read-then-write transaction —
// the SQLite handle is shared with the synchronous event log, whose own transactions must not nest
// in one of ours.
//
// keel_owners holds each process that runs threads: who it is (pid, host, start time and boot, so a
// reused pid is not taken for it: kernel/liveness.ts), where it takes forwarded requests, and until
// when its leases hold unless it beats again. thread_leases says which owner runs each thread.
//
// An owner is live while its expiry is ahead AND, on this host, its process still runs: a process
// killed on this machine loses its leases at once instead of after the lease length. A claim takes
// a lease that is free, already mine, or held by an owner that is not live (returning that owner,
// whose running turn the claimer then ends); the upsert's WHERE compares with the holder it read,
// so two claimers of one lapsed lease cannot both win.
import type { Kysely } from 'kysely';
import { identityOf, osProcessProbe, whyNotAlive, type ProcessProbe } from '../kernel/liveness.js';
import type { Claim, ThreadOwner } from '../kernel/thread-owner.js';
import type { OwnerRow, Tables } from './tables.js';

/** A lease's default length: a stopped owner's threads are taken over this long after its last beat. */
export const DEFAULT_LEASE_MS = 15_000;

export interface SqlLeaseOptions {
  /** How long a beat keeps this owner's leases; it beats every third of it. */
  leaseMs: number;
  now?: () => number;
  /** Tells the liveness of a process on this host (tests pass one whose processes died). */
  probe?: ProcessProbe;
  /** Something an operator must hear: this owner's row was gone or expired (another may have taken its threads). */
  onLost?: (message: string) => void;
  /** A beat failed (the database is unreachable, or read-only); the next one tries again. */
  onError?: (error: unknown) => void;
  /** The dialect's failures in words (SQLite's: store-errors.ts); default: as they are. */
  inWords?: (error: unknown) => unknown;
}

/** Owners whose lease ended this long ago are forgotten (a killed process leaves its row behind). */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

/** A claim lost a race with another claimer this many times in a row: something is wrong. */
const CLAIM_ATTEMPTS = 5;

export class SqlLeases {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly now: () => number;
  private readonly probe: ProcessProbe;

  private constructor(
    private readonly db: Kysely<Tables>,
    readonly me: ThreadOwner,
    private readonly options: SqlLeaseOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.probe = options.probe ?? osProcessProbe;
  }

  /**
   * Records this process as an owner and starts beating. A store that refuses the row (read-only)
   * still opens: reads are served, and each claim answers why it cannot write.
   */
  static async open(db: Kysely<Tables>, me: ThreadOwner, options: SqlLeaseOptions): Promise<SqlLeases> {
    const leases = new SqlLeases(db, me, options);
    await leases.inWords(() => leases.writeOwnerRow()).catch((error: unknown) => options.onError?.(error));
    leases.schedule();
    return leases;
  }

  private async inWords<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.options.inWords?.(error) ?? error;
    }
  }

  claim(threadId: string): Promise<Claim> {
    return this.inWords(() => this.claimOnce(threadId));
  }

  private async claimOnce(threadId: string): Promise<Claim> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const holder = await this.holderOf(threadId);
      if (holder !== null && holder.owner_id !== this.me.ownerId && this.isLive(holder)) return { taken: false, owner: ownerOf(holder) };
      const now = this.now();
      const expected = holder?.owner_id ?? null;
      // Taken if there was no row, or the row still names the holder read above (mine or lapsed).
      const taken = await this.db
        .insertInto('thread_leases')
        .values({ thread_id: threadId, owner_id: this.me.ownerId, taken_at: now })
        .onConflict((conflict) =>
          conflict
            .column('thread_id')
            .doUpdateSet({ owner_id: this.me.ownerId, taken_at: now })
            .where('thread_leases.owner_id', '=', expected ?? this.me.ownerId),
        )
        .executeTakeFirst();
      if (Number(taken.numInsertedOrUpdatedRows ?? 0n) > 0) {
        return { taken: true, from: holder === null || holder.owner_id === this.me.ownerId ? null : ownerOf(holder) };
      }
    }
    throw new Error(`could not claim thread ${threadId}: its lease changed hands ${CLAIM_ATTEMPTS} times while claiming`);
  }

  async release(threadId: string): Promise<void> {
    await this.inWords(() => this.db.deleteFrom('thread_leases').where('thread_id', '=', threadId).where('owner_id', '=', this.me.ownerId).execute());
  }

  async ownerOf(threadId: string): Promise<ThreadOwner | null> {
    const holder = await this.inWords(() => this.holderOf(threadId));
    if (holder === null || holder.owner_id === this.me.ownerId || !this.isLive(holder)) return null;
    return ownerOf(holder);
  }

  /** Renews this owner's leases now (the timer calls it every third of the lease). */
  async beat(): Promise<void> {
    const now = this.now();
    const renewed = await this.db
      .updateTable('keel_owners')
      .set({ heartbeat_at: now, expires_at: now + this.options.leaseMs })
      .where('owner_id', '=', this.me.ownerId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(renewed.numUpdatedRows) > 0) {
      // Rows of processes long gone; a lease still naming one reads as lapsed all the same.
      await this.db.deleteFrom('keel_owners').where('expires_at', '<', now - FORGET_AFTER_MS).execute();
      return;
    }
    // Stalled past the lease (a suspended process, a blocked event loop), or the row was removed:
    // another process may have taken threads over, and the fence refuses this one's writes to those.
    this.options.onLost?.(`this Keel process (owner ${this.me.ownerId}) missed its heartbeat: its lease lapsed, and other processes may have taken over threads it ran; their writes from here are refused`);
    await this.writeOwnerRow();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.db.deleteFrom('thread_leases').where('owner_id', '=', this.me.ownerId).execute();
    await this.db.deleteFrom('keel_owners').where('owner_id', '=', this.me.ownerId).execute();
  }

  /** The lease's holder with its owner row (null: no lease; an owner row gone reads as expired long ago). */
  private async holderOf(threadId: string): Promise<OwnerRow | null> {
    const row = await this.db
      .selectFrom('thread_leases')
      .leftJoin('keel_owners', 'keel_owners.owner_id', 'thread_leases.owner_id')
      .select(['thread_leases.owner_id as owner_id', 'keel_owners.pid', 'keel_owners.host', 'keel_owners.start_time', 'keel_owners.boot_id', 'keel_owners.address', 'keel_owners.started_at', 'keel_owners.heartbeat_at', 'keel_owners.expires_at'])
      .where('thread_leases.thread_id', '=', threadId)
      .executeTakeFirst();
    if (row === undefined) return null;
    return {
      owner_id: row.owner_id,
      pid: row.pid ?? 0,
      host: row.host ?? 'unknown',
      start_time: row.start_time ?? null,
      boot_id: row.boot_id ?? null,
      address: row.address ?? null,
      started_at: Number(row.started_at ?? 0),
      heartbeat_at: Number(row.heartbeat_at ?? 0),
      expires_at: Number(row.expires_at ?? 0),
    };
  }

  /** Beating, and (on this host, where a pid means something) its process still the one that wrote the row. */
  private isLive(owner: OwnerRow): boolean {
    if (owner.expires_at <= this.now()) return false;
    if (owner.host !== this.me.host) return true;
    return whyNotAlive({ pid: owner.pid, startTime: owner.start_time, bootId: owner.boot_id }, this.probe) === null;
  }

  private async writeOwnerRow(): Promise<void> {
    const now = this.now();
    const identity = identityOf(this.me.pid, this.probe);
    const row: OwnerRow = {
      owner_id: this.me.ownerId,
      pid: this.me.pid,
      host: this.me.host,
      start_time: identity.startTime,
      boot_id: identity.bootId,
      address: this.me.address,
      started_at: now,
      heartbeat_at: now,
      expires_at: now + this.options.leaseMs,
    };
    await this.db
      .insertInto('keel_owners')
      .values(row)
      .onConflict((conflict) => conflict.column('owner_id').doUpdateSet({ heartbeat_at: now, expires_at: row.expires_at }))
      .execute();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inWords(() => this.beat())
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => this.schedule());
    }, Math.max(Math.floor(this.options.leaseMs / 3), 1));
    this.timer.unref();
  }
}

function ownerOf(row: OwnerRow): ThreadOwner {
  return { ownerId: row.owner_id, pid: row.pid, host: row.host, address: row.address };
}
