// Two Keel processes on one home (two IDE windows, or `keel exec` beside an editor's Keel): both
// serve, side by side on one database — each its own threads, and thread/list sees them all.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { storedThreadIds, useTempDirs, withDatabase } from '../helpers/threads.js';

const tempDir = useTempDirs();

async function keelOn(home: string): Promise<KeelProcess> {
  const keel = spawnKeel({ home });
  await initialized(keel);
  return keel;
}

describe('two Keel processes on one home', () => {
  it('both answer model/list, start threads, and list each other\'s', async () => {
    const home = tempDir();
    const first = await keelOn(home);
    const a = (await first.request('thread/start', { cwd: '/work/a' })).thread;

    const second = await keelOn(home);
    expect((await second.request('model/list', {})).data.length).toBeGreaterThan(0);
    const b = (await second.request('thread/start', { cwd: '/work/b' })).thread;
    const ids = [a.id, b.id].sort();
    expect((await first.request('thread/list', {})).data.map((t) => t.id).sort()).toEqual(ids);
    expect((await second.request('thread/list', {})).data.map((t) => t.id).sort()).toEqual(ids);

    expect(await second.close()).toBe(0);
    expect(await first.close()).toBe(0);
    expect(withDatabase(path.join(home, 'keel.db'), storedThreadIds)).toEqual(ids);
  });
});
