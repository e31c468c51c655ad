// Opens Keel's PostgreSQL store: a `pg` pool under kysely's PostgresDialect, the migrations
// (pg-migrations.ts), and BIGINT read back as a number (ms timestamps and seqs fit a double).
//
// A pool, not one connection: reads of the store (thread/list, thread/read, a follower's catch-up)
// run beside the appends. Every connection has a server-side statement_timeout, so a stuck lock or
// an overloaded server fails a request in words instead of holding it forever, and a connect
// timeout, so a server that is down fails the request instead of queueing it. When the server
// restarts, the connections it held fail (their requests too, in words: pg-errors.ts) and the pool
// opens fresh ones for the next request: nothing to do but try again.
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { loadPg, type Pg } from './pg-module.js';
import type { Tables } from '../tables.js';
import { describeUrl, pgError } from './pg-errors.js';
import { migratePg } from './pg-migrations.js';

export interface PgStoreOptions {
  /** `postgres://user@host/db` (a unix socket: `?host=/dir`). */
  url: string;
  /** Connections at most; default 10. */
  poolSize?: number;
  /** Longest a statement may run on the server; default 15 s. */
  statementTimeoutMs?: number;
  /** Longest a new connection may take to open; default 5 s. */
  connectTimeoutMs?: number;
  /**
   * How long an append keeps trying while the database is out of reach (a restart, a failover)
   * before it is refused and the turn writing it fails; default 5 s. 0: refused at once.
   */
  writeRetryMs?: number;
  /** Something worth a line in the log that stops nothing (an idle connection lost, a write tried again). */
  onWarning?: (message: string) => void;
}

export const PG_DEFAULTS = { poolSize: 10, statementTimeoutMs: 15_000, connectTimeoutMs: 5_000, writeRetryMs: 5_000 } as const;

export interface PgDatabase {
  pool: pg.Pool;
  db: Kysely<Tables>;
  /** The database as errors name it (the URL without its password). */
  where: string;
  options: PgStoreOptions;
  /** Counts a write in flight: close() waits for it (PgThreadLog's appends). */
  track<T>(write: Promise<T>): Promise<T>;
  /** Waits for the writes in flight, then ends the pool. */
  close(): Promise<void>;
}

const INT8 = 20;

/** Connection settings shared by the pool and the LISTEN connection (pg-changes.ts). */
export function clientConfig(driver: Pg, options: PgStoreOptions): pg.ClientConfig {
  return {
    connectionString: options.url,
    statement_timeout: options.statementTimeoutMs ?? PG_DEFAULTS.statementTimeoutMs,
    connectionTimeoutMillis: options.connectTimeoutMs ?? PG_DEFAULTS.connectTimeoutMs,
    keepAlive: true,
    application_name: 'keel',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? (value: string) => Number(value) : driver.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
    },
  };
}

/** Opens the pool and migrates; throws a DomainError naming the database and the cause (pg-errors.ts). */
export async function openPgDatabase(options: PgStoreOptions): Promise<PgDatabase> {
  const where = describeUrl(options.url);
  const warn = options.onWarning ?? (() => {});
  const driver = await loadPg();
  const pool = new driver.Pool({ ...clientConfig(driver, options), max: options.poolSize ?? PG_DEFAULTS.poolSize });
  // An idle connection the server dropped (a restart) is reported here; unheard, it would end the process.
  pool.on('error', (error) => warn(`an idle connection to ${where} was lost: ${error.message}; the next request opens a new one`));
  // A connection lost while checked out (inside a transaction, between its statements) emits its
  // error with no pool listener attached; unheard, that too would end the process. Its statement
  // fails with the same error, in words, and the pool discards the connection when it comes back.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(write: Promise<T>): Promise<T> => {
    const settled = write.then(nothing, nothing);
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
    return write;
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    // Appends are asynchronous: the turns' last events may still be on their way (a `keel exec`
    // closing right after its turn ended). Each append in flight queues the next one of its thread, so wait until none is left.
    while (inFlight.size > 0) await Promise.all([...inFlight]);
    await db.destroy(); // ends the pool
  };
  try {
    await migratePg(db as Kysely<any>, where);
  } catch (error) {
    await close().catch(() => {});
    throw pgError(error, where);
  }
  return { pool, db, where, options, track, close };
}

function nothing(): void {}
