// Opens Keel's SQLite database: WAL, migrations, and the Kysely view of the same connection.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate, refuseNewer } from './migrations.js';
import type { Tables } from './tables.js';

export interface KeelDatabase {
  sqlite: Database.Database;
  db: Kysely<Tables>;
  path: string;
  close(): Promise<void>;
}

export async function openDatabase(file: string): Promise<KeelDatabase> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  try {
    // Before anything that could write (WAL changes the file header): refuse a newer schema.
    refuseNewer(sqlite, file);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  sqlite.pragma('journal_mode = WAL');
  // WAL + NORMAL survives a killed process; only an OS crash may lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  try {
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
      if (!sqlite.open) return;
      if (file !== ':memory:') sqlite.pragma('wal_checkpoint(TRUNCATE)');
      sqlite.close();
    },
  };
}
