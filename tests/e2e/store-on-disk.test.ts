// What a clean exit leaves on disk: `keel.db` alone holds everything (the WAL is checkpointed into
// it and the database closed), and the home and database files are private to their owner.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { storedEvents, storedThreadIds, useTempDirs, withDatabase } from '../helpers/threads.js';

const tempDir = useTempDirs();

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
