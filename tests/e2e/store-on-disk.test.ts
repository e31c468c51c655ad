// What a clean exit leaves on disk: `keel.db` alone holds everything (the WAL is checkpointed into
// it and the database closed), and the home and database files are private to their owner.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { storedEvents, storedThreadIds, useTempDirs, withDatabase } from '../helpers/threads.js';

const tempDir = useTempDirs();
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('a clean exit', () => {
  it('leaves keel.db whole on its own: copied without its -wal, it holds every thread and event', async () => {
    const home = tempDir();
    const keel = spawnKeel({ home });
    await initialized(keel);
    const ids: string[] = [];
    for (const cwd of ['/work/a', '/work/b', '/work/c']) ids.push((await keel.request('thread/start', { cwd })).thread.id);
    await keel.request('thread/name/set', { threadId: ids[0]!, name: 'kept' });
    expect(await keel.close()).toBe(0);

    // The WAL is gone or empty: nothing lives only there.
    const wal = path.join(home, 'keel.db-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
    const alone = path.join(tempDir(), 'keel.db');
    fs.copyFileSync(path.join(home, 'keel.db'), alone);
    withDatabase(alone, (db) => {
      expect(storedThreadIds(db)).toEqual([...ids].sort());
      expect(storedEvents(db, ids[0]).map((e) => e.type)).toEqual(['thread/created', 'thread/renamed']);
    });
  });
});

describe('file modes', () => {
  it('creates the home 0700 and keel.db, its -wal and -shm 0600', async () => {
    const home = path.join(tempDir(), 'home'); // not there yet: Keel creates it
    const keel = spawnKeel({ home });
    await initialized(keel);
    await keel.request('thread/start', { cwd: '/work/a' });
    // While Keel runs, SQLite has created the -wal and -shm beside the database.
    expect(Object.fromEntries(['.', 'keel.db', 'keel.db-wal', 'keel.db-shm'].map((name) => [name, modeOf(path.join(home, name))]))).toEqual({
      '.': 0o700,
      'keel.db': 0o600,
      'keel.db-wal': 0o600,
      'keel.db-shm': 0o600,
    });
    expect(await keel.close()).toBe(0);
    expect(modeOf(path.join(home, 'keel.db'))).toBe(0o600);
  });

  it('creates a --db outside the home in a 0700 directory, 0600', async () => {
    const file = path.join(tempDir(), 'deep', 'dir', 'threads.db');
    const keel = spawnKeel({ args: ['--db', file] });
    await initialized(keel);
    await keel.request('thread/start', { cwd: '/work/a' });
    expect([modeOf(path.dirname(file)), modeOf(file), modeOf(`${file}-wal`)]).toEqual([0o700, 0o600, 0o600]);
    expect(await keel.close()).toBe(0);
  });
});
