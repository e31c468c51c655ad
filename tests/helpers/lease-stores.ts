// The lease stores behind the engine's ThreadLeases (engine/thread-leases.ts), opened the same way
// for the lease contract tests: two owners ("processes") sharing one lease table, and the way to
// make one of them lapse as an owner that stopped beating would. A third kind (PostgreSQL) drops
// into `leaseStoreKinds`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ThreadLeases, ThreadOwner } from '../../src/engine/thread-leases.js';
import { openDatabase, type KeelDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { MemoryLeases, memoryLeaseTable } from '../../src/store/memory-leases.js';
import { MemoryThreadLog, memoryTables } from '../../src/store/memory-thread-log.js';
import { SqlLeases } from '../../src/store/sql-leases.js';
import { openPgDatabase, type PgDatabase } from '../../src/store/postgres/pg-database.js';
import { PgThreadLog } from '../../src/store/postgres/pg-thread-log.js';
import { freshPgDatabase, pgSkipReason } from './pg.js';

export interface OpenedLeases {
  /** A new owner on the shared table (each call: another process). */
  owner(ownerId: string, extra?: Partial<ThreadOwner>): Promise<ThreadLeases>;
  /** Plays `ownerId` stopping: it beats no more, and its leases may be taken over. */
  lapse(ownerId: string): Promise<void>;
  /** An event log writing as `ownerId` (the fence), for the stores that keep one beside their leases. */
  logAs?(ownerId: string): EventLog | MemoryThreadLog | PgThreadLog;
  close(): Promise<void>;
}

export interface LeaseStoreKind {
  name: string;
  /** Why this kind does not run here (no PostgreSQL server); null: it runs. */
  skip: string | null;
  open(): Promise<OpenedLeases>;
}

export const owner = (ownerId: string, extra: Partial<ThreadOwner> = {}): ThreadOwner => ({ ownerId, pid: process.pid, host: os.hostname(), address: null, ...extra });

/** A database of either dialect opened as often as there are "processes", each a connection (or pool) of its own. */
interface SqlStore<D extends { db: KeelDatabase['db']; close(): Promise<void> }> {
  open(): Promise<D>;
  logAs(first: D, ownerId: string): EventLog | PgThreadLog;
  /** After every connection is closed. */
  cleanUp?(): void;
}

/** Owners on one SQL lease table (sql-leases.ts), one connection each, as processes sharing a store. */
async function sqlLeases<D extends { db: KeelDatabase['db']; close(): Promise<void> }>(store: SqlStore<D>): Promise<OpenedLeases> {
  const databases: D[] = [];
  const opened: SqlLeases[] = [];
  const open = async () => {
    const database = await store.open();
    databases.push(database);
    return database;
  };
  const first = await open();
  return {
    owner: async (ownerId, extra) => {
      const leases = await SqlLeases.open((await open()).db, owner(ownerId, extra), { leaseMs: 60_000 });
      opened.push(leases);
      return leases;
    },
    lapse: async (ownerId) => {
      await first.db.updateTable('keel_owners').set({ expires_at: Date.now() - 1 }).where('owner_id', '=', ownerId).execute();
    },
    logAs: (ownerId) => store.logAs(first, ownerId),
    close: async () => {
      for (const leases of opened) await stopBeating(leases);
      for (const database of databases) await database.close();
      store.cleanUp?.();
    },
  };
}

/** Two SQLite connections on one file, as two processes on one home. */
function sqliteLeases(): Promise<OpenedLeases> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-leases-'));
  return sqlLeases<KeelDatabase>({
    open: () => openDatabase(path.join(dir, 'keel.db')),
    logAs: (first, ownerId) => new EventLog(first, undefined, ownerId),
    cleanUp: () => fs.rmSync(dir, { recursive: true, force: true }),
  });
}

/** Stops a SqlLeases' timer without giving its leases back (a test owner that lapsed must stay lapsed). */
async function stopBeating(leases: SqlLeases): Promise<void> {
  (leases as unknown as { closed: boolean }).closed = true;
  clearTimeout((leases as unknown as { timer: NodeJS.Timeout | null }).timer ?? undefined);
}

async function memoryLeases(): Promise<OpenedLeases> {
  const table = memoryLeaseTable();
  const tables = memoryTables();
  return {
    owner: async (ownerId, extra) => new MemoryLeases(owner(ownerId, extra), table),
    lapse: async (ownerId) => MemoryLeases.lapse(table, ownerId),
    logAs: (ownerId) => new MemoryThreadLog(tables, undefined, { leases: table, ownerId }),
    close: async () => {},
  };
}

/** Two pools on one PostgreSQL database, as two Keels on one server. */
async function postgresLeases(): Promise<OpenedLeases> {
  const url = await freshPgDatabase();
  return sqlLeases<PgDatabase>({
    open: () => openPgDatabase({ url, poolSize: 2 }),
    logAs: (first, ownerId) => new PgThreadLog(first, undefined, ownerId),
  });
}

export const leaseStoreKinds: LeaseStoreKind[] = [
  { name: 'SQLite', skip: null, open: sqliteLeases },
  { name: 'in memory', skip: null, open: memoryLeases },
  { name: 'PostgreSQL', skip: pgSkipReason, open: postgresLeases },
];
