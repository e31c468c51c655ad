// Thread leases in memory (engine/thread-leases.ts): the in-process test harness's, and the one a
// single process uses with the in-memory log. Several in-process Keels given one `MemoryLeaseTable`
// share it as processes share a database's lease table; `lapse` plays an owner that died.
import type { Claim, ThreadOwner } from '../kernel/thread-owner.js';

export interface MemoryLeaseTable {
  /** The owners that hold leases, by owner id; an owner that lapsed is gone from here. */
  owners: Map<string, ThreadOwner>;
  /** Thread id → owner id. */
  leases: Map<string, string>;
}

export function memoryLeaseTable(): MemoryLeaseTable {
  return { owners: new Map(), leases: new Map() };
}

export class MemoryLeases {
  constructor(
    readonly me: ThreadOwner,
    readonly table: MemoryLeaseTable = memoryLeaseTable(),
  ) {
    table.owners.set(me.ownerId, me);
  }

  claim(threadId: string): Claim {
    const holder = this.table.leases.get(threadId);
    if (holder !== undefined && holder !== this.me.ownerId) {
      const owner = this.table.owners.get(holder);
      if (owner !== undefined) return { taken: false, owner };
    }
    this.table.leases.set(threadId, this.me.ownerId);
    // An owner id with no owner any more: its owner lapsed, and this claim takes its lease over.
    return { taken: true, from: holder === undefined || holder === this.me.ownerId ? null : { ...this.me, ownerId: holder, pid: 0, address: null } };
  }

  release(threadId: string): void {
    if (this.table.leases.get(threadId) === this.me.ownerId) this.table.leases.delete(threadId);
  }

  ownerOf(threadId: string): ThreadOwner | null {
    const holder = this.table.leases.get(threadId);
    if (holder === undefined || holder === this.me.ownerId) return null;
    return this.table.owners.get(holder) ?? null;
  }

  close(): void {
    for (const [threadId, holder] of this.table.leases) if (holder === this.me.ownerId) this.table.leases.delete(threadId);
    this.table.owners.delete(this.me.ownerId);
  }

  /** Plays `ownerId` dying: it stops beating, and its leases are there to be taken over. */
  static lapse(table: MemoryLeaseTable, ownerId: string): void {
    table.owners.delete(ownerId);
  }
}
