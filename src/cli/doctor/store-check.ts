// The thread store, opened read-only so the Keel processes running on it are not disturbed:
// SQLite's quick_check (the integrity check without the index-vs-table cross-check, linear in the
// file's size), the write-ahead log's size, and its schema version against this Keel's.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../store/migrations.js';
import { storeError } from '../../store/store-errors.js';
import { fail, ok, warn, type Check } from './check.js';
import { liveOwners } from './store-owners.js';

/** Past this, the WAL is worth a warning: Keel folds it into the database when it exits cleanly. */
const WAL_WARN_BYTES = 256 * 1024 * 1024;

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

export function storeCheck(file: string): Check {
  if (file === ':memory:') return ok('store', 'in memory (--db :memory:): nothing kept between runs');
  if (!fs.existsSync(file)) return ok('store', `${file} does not exist yet: Keel creates it when it first starts`);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return fail('store', (storeError(error, file) as Error).message, `if it is damaged, move it aside (Keel starts a new one) and restore a backup: mv ${file} ${file}.damaged`);
  }
  try {
    sqlite.pragma('busy_timeout = 5000');
    const version = sqlite.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      return fail('store', `${file} has schema version ${version}, newer than this Keel's (${SCHEMA_VERSION}): a newer Keel wrote it, and this one will not open it`, 'upgrade Keel, or start this one with another --db');
    }
    const problems = (sqlite.pragma('quick_check(20)') as Array<{ quick_check: string }>).map((row) => row.quick_check.replace(/\s*\n\s*/g, ' ')).filter((line) => line !== 'ok');
    if (problems.length > 0) {
      return fail('store', `${file} is damaged (quick_check: ${problems.join('; ')})`, `stop Keel, then recover what SQLite can read into a new file: sqlite3 ${file} .recover | sqlite3 ${file}.recovered && mv ${file} ${file}.damaged && mv ${file}.recovered ${file}`);
    }
    const threads = version >= 1 ? (sqlite.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n : 0;
    const wal = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    const schema = version === SCHEMA_VERSION ? `schema version ${version}` : `schema version ${version} (this Keel migrates it to ${SCHEMA_VERSION} when it starts)`;
    const owners = version >= 4 ? (sqlite.prepare('SELECT pid, host FROM keel_owners WHERE expires_at > ? ORDER BY started_at').all(Date.now()) as Array<{ pid: number; host: string }>) : [];
    const detail = `${file}: ${schema}, quick_check ok, ${threads} thread${threads === 1 ? '' : 's'}, WAL ${size(wal)}${liveOwners(owners)}`;
    if (wal > WAL_WARN_BYTES) return warn('store', `${detail}: the write-ahead log is large`, 'stop Keel cleanly (SIGTERM, or end its stdin): it folds the WAL into the database as it exits');
    return ok('store', detail);
  } catch (error) {
    return fail('store', (storeError(error, file) as Error).message, `if it is damaged, move it aside (Keel starts a new one) and restore a backup: mv ${file} ${file}.damaged`);
  } finally {
    sqlite.close();
  }
}
