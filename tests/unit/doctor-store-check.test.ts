// `keel doctor`'s store check against real SQLite files: a healthy store, one a newer Keel wrote,
// a file that is no database, and one with a damaged page — each with what to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storeCheck } from '../../src/cli/doctor/store-check.js';
import { openDatabase } from '../../src/store/database.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keel-doctor-store-'));

/** A store Keel made, closed cleanly, holding `threads` rows. */
async function store(threads: number): Promise<string> {
  const file = path.join(dir(), 'keel.db');
  const database = await openDatabase(file);
  const insert = database.sqlite.prepare("INSERT INTO threads (id, preview, cwd, model, model_provider, created_at, updated_at, cli_version) VALUES (?, ?, '/w', 'm', 'p', 1, 1, '0')");
  for (let i = 0; i < threads; i++) insert.run(`t${i}`, 'x'.repeat(2000));
  await database.close();
  return file;
}

describe('the store check', () => {
  it('a healthy store: its schema version, quick_check, threads and WAL', async () => {
    const file = await store(1);
    expect(storeCheck(file)).toEqual({ name: 'store', status: 'ok', detail: `${file}: schema version ${SCHEMA_VERSION}, quick_check ok, 1 thread, WAL 0 KiB`, fix: null });
  });

  it('names the Keel processes that run threads on it now (their leases live), and not the ones whose leases lapsed', async () => {
    const file = await store(2);
    const sqlite = new Database(file);
    const owner = sqlite.prepare('INSERT INTO keel_owners (owner_id, pid, host, start_time, boot_id, address, started_at, heartbeat_at, expires_at) VALUES (?, ?, ?, NULL, NULL, NULL, ?, ?, ?)');
    owner.run('a', 4242, 'here', 1, Date.now(), Date.now() + 60_000);
    owner.run('b', 4343, 'there', 2, Date.now(), Date.now() + 60_000);
    owner.run('gone', 4444, 'here', 3, 1, 2);
    sqlite.close();
    expect(storeCheck(file)).toEqual({
      name: 'store',
      status: 'ok',
      detail: `${file}: schema version ${SCHEMA_VERSION}, quick_check ok, 2 threads, WAL 0 KiB, run by 2 Keel processes now (pid 4242 on here, pid 4343 on there)`,
      fix: null,
    });
  });

  it('a store a newer Keel wrote fails, saying to upgrade', async () => {
    const file = await store(0);
    const sqlite = new Database(file);
    sqlite.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    sqlite.close();
    expect(storeCheck(file)).toEqual({
      name: 'store',
      status: 'fail',
      detail: `${file} has schema version ${SCHEMA_VERSION + 1}, newer than this Keel's (${SCHEMA_VERSION}): a newer Keel wrote it, and this one will not open it`,
      fix: 'upgrade Keel, or start this one with another --db',
    });
  });

  it('a file that is not a database fails, naming the cause', () => {
    const file = path.join(dir(), 'keel.db');
    fs.writeFileSync(file, 'not a database at all, just text that is long enough to have a header'.repeat(100));
    expect(storeCheck(file)).toEqual({
      name: 'store',
      status: 'fail',
      detail: expect.stringMatching(new RegExp(`^the thread database ${file} is not a database, or its header is damaged \\(SQLITE_NOTADB`)),
      fix: `if it is damaged, move it aside (Keel starts a new one) and restore a backup: mv ${file} ${file}.damaged`,
    });
  });

  it('a damaged page fails quick_check, with the recovery to run', async () => {
    const file = await store(200);
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Page 3 onwards holds the threads table's b-tree: scribble over one of its pages.
    bytes.fill(0x5a, pageSize * 4, pageSize * 5);
    fs.writeFileSync(file, bytes);
    expect(storeCheck(file)).toEqual({
      name: 'store',
      status: 'fail',
      detail: expect.stringMatching(new RegExp(`^${file} is damaged \\(quick_check: \\*\\*\\* in database main \\*\\*\\* Tree \\d+ page \\d+: [^\\n]+\\)$`)),
      fix: `stop Keel, then recover what SQLite can read into a new file: sqlite3 ${file} .recover | sqlite3 ${file}.recovered && mv ${file} ${file}.damaged && mv ${file}.recovered ${file}`,
    });
  });

  it('no store yet is fine: Keel makes it', () => {
    const file = path.join(dir(), 'keel.db');
    expect(storeCheck(file)).toEqual({ name: 'store', status: 'ok', detail: `${file} does not exist yet: Keel creates it when it first starts`, fix: null });
  });
});
