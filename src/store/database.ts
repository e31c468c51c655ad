// Opens Keel's SQLite database: private files, WAL, migrations, and the Kysely view of the same
// connection. Any number of Keel processes open one database side by side (WAL lets them read
// while one writes; busy_timeout makes a writer wait its turn): each thread is run by one of them,
// the holder of its lease (sql-leases.ts), and the event log refuses another's writes (event-log.ts).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../kernel/private-files.js';
import { migrate, refuseNewer } from './migrations.js';
import { inWords } from './store-errors.js';
import type { Tables } from './tables.js';

export interface KeelDatabase {
  sqlite: Database.Database;
  db: Kysely<Tables>;
  path: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Something worth a line in the log that does not stop the open (a mode left loose). */
  onWarning?: (message: string) => void;
}

/** Throws a DomainError naming the cause for SQLite's and the file system's failures (store-errors.ts). */
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<KeelDatabase> {
  return inWords(file, () => open(file, options));
}

function open(file: string, options: OpenOptions): KeelDatabase {
  const warn = options.onWarning ?? (() => {});
  if (file !== ':memory:') {
    makePrivateDir(path.dirname(file));
    makePrivate(file, warn);
  }
  const sqlite = new Database(file);
  try {
    // Another process may be in the middle of a write: wait for its write lock rather than fail.
    sqlite.pragma('busy_timeout = 5000');
    // Before anything that could write (WAL changes the file header): refuse a newer schema.
    refuseNewer(sqlite, file);
    sqlite.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a killed process; only an OS crash may lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    migrate(sqlite, file);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  let closed = false;
  return {
    sqlite,
    db,
    path: file,
    close: async () => {
      if (closed) return;
      closed = true;
      // Kysely closes the handle only if it ever ran a query, so close it ourselves. The TRUNCATE
      // checkpoint first moves everything from -wal into the database file, so keel.db alone holds
      // it all after a clean exit (a copy or a backup of it is whole).
      await db.destroy();
      try {
        if (sqlite.open && file !== ':memory:') sqlite.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        if (sqlite.open) sqlite.close();
      }
    },
  };
}

/**
 * keel.db, its -wal and its -shm are 0600. SQLite gives the -wal and -shm it creates the database
 * file's mode, so a new database file is created 0600 before SQLite opens it, and an existing one
 * (an older Keel made them 0644) is tightened with whatever -wal and -shm it has.
 */
function makePrivate(file: string, warn: (message: string) => void): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE)); // an empty file is an empty database
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const each of [file, `${file}-wal`, `${file}-shm`]) {
    const stat = fs.statSync(each, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isFile() || (stat.mode & 0o077) === 0) continue;
    try {
      fs.chmodSync(each, PRIVATE_FILE_MODE);
    } catch (error) {
      // Not the owner: the file stays as it is, and the open goes on (it may well be readable).
      warn(`could not make ${each} private (mode ${(stat.mode & 0o777).toString(8)}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
}
