// Versioned schema migrations, tracked in SQLite's user_version. A database written by a newer
// Keel is refused untouched: an older binary cannot know what the newer schema means.
import type Database from 'better-sqlite3';

const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE events (
        thread_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        v INTEGER NOT NULL,
        at INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (thread_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE threads (
        id TEXT PRIMARY KEY,
        name TEXT,
        preview TEXT NOT NULL,
        cwd TEXT NOT NULL,
        model TEXT NOT NULL,
        model_provider TEXT NOT NULL,
        reasoning_effort TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        archived INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 0,
        forked_from_id TEXT,
        cli_version TEXT NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX threads_by_created ON threads (archived, created_at, id);
      CREATE INDEX threads_by_updated ON threads (archived, updated_at, id);
      CREATE INDEX threads_active ON threads (active) WHERE active = 1;
    `);
  },
  // Checkpoints of long threads' state: a load parses one and replays only the events after it.
  (db) => {
    db.exec(`
      CREATE TABLE checkpoints (
        thread_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        v INTEGER NOT NULL,
        body TEXT NOT NULL
      );
    `);
  },
  // The summary row is folded from the events appended (projections/summary-fold.ts): it keeps the
  // active turn and the pending file writes that decide `active`. NULL: not kept yet (a row written
  // before this version), seeded from the thread's state at its next append. An inactive row has
  // neither, so only active rows wait for that.
  (db) => {
    db.exec(`
      ALTER TABLE threads ADD COLUMN active_turn_id TEXT;
      ALTER TABLE threads ADD COLUMN pending_writes TEXT;
      UPDATE threads SET pending_writes = '[]' WHERE active = 0;
    `);
  },
  // One owner per thread (engine/thread-leases.ts): the processes that run threads, each beating
  // (heartbeat_at, expires_at: ms since the epoch), and which one runs each thread.
  (db) => {
    db.exec(`
      CREATE TABLE keel_owners (
        owner_id TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        start_time TEXT,
        boot_id TEXT,
        address TEXT,
        started_at INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE thread_leases (
        thread_id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        taken_at INTEGER NOT NULL
      );
      CREATE INDEX thread_leases_by_owner ON thread_leases (owner_id);
    `);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class NewerDatabaseError extends Error {
  constructor(file: string, found: number) {
    super(`database ${file} has schema version ${found}, newer than this Keel knows (${SCHEMA_VERSION}); refusing to open it — upgrade Keel or use another --db`);
  }
}

export function refuseNewer(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new NewerDatabaseError(file, current);
}

export function migrate(db: Database.Database, file: string): void {
  refuseNewer(db, file);
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      // Read again under the write lock: another process opening the same file may have migrated it meanwhile.
      if ((db.pragma('user_version', { simple: true }) as number) > version) return;
      MIGRATIONS[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
