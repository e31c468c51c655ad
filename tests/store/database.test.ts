// openDatabase's own promises: what close() leaves behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-database-'));
  dirs.push(dir);
  return dir;
}

describe('close', () => {
  it('closes the SQLite handle and checkpoints the WAL, though Kysely never ran a query', async () => {
    const file = path.join(tempDir(), 'keel.db');
    const database = await openDatabase(file);
    database.sqlite.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('kept')");
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    await database.close();
    expect(database.sqlite.open).toBe(false);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    await database.close(); // twice is harmless
  });
});

describe('file modes', () => {
  const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

  it('tightens an existing database and its -wal and -shm to 0600, and leaves the directory alone', async () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    const file = path.join(dir, 'keel.db');
    // As an older Keel left them, readable by everyone (a plain connection keeps the -wal and -shm there).
    const older = new Database(file);
    older.pragma('journal_mode = WAL');
    older.exec('CREATE TABLE notes (text TEXT)');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.chmodSync(f, 0o644);
    const database = await openDatabase(file);
    expect([file, `${file}-wal`, `${file}-shm`].map(modeOf)).toEqual([0o600, 0o600, 0o600]);
    expect(modeOf(dir)).toBe(0o755);
    await database.close();
    older.close();
  });
});
