// One writer per home: a second Keel on a database a live Keel writes refuses, naming it; a lock
// left by a killed Keel is taken over.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf, initialized, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { storedThreadIds, useTempDirs, withDatabase } from '../helpers/threads.js';

const tempDir = useTempDirs();

async function keelOn(home: string): Promise<KeelProcess> {
  const keel = spawnKeel({ home });
  await initialized(keel);
  return keel;
}

const lockOf = (home: string) => JSON.parse(fs.readFileSync(path.join(home, 'keel.db.lock'), 'utf8'));

describe('two Keel processes on one home', () => {
  it('the second answers thread requests with an error naming the first, which keeps working', async () => {
    const home = tempDir();
    const file = path.join(home, 'keel.db');
    const first = await keelOn(home);
    const a = (await first.request('thread/start', { cwd: '/work/a' })).thread;

    const second = await keelOn(home);
    const refusal = {
      code: -32603,
      message: expect.stringMatching(
        new RegExp(`^thread store unavailable: ${file} is locked by process ${first.pid} \\(a Keel on this host, writing it since [-0-9T:.]+Z\\): one process writes a database at a time — stop that one, or start this one with another --db$`),
      ),
    };
    expect(await errorOf(second.request('thread/start', { cwd: '/work/b' }))).toEqual(refusal);
    expect(await errorOf(second.request('thread/list', {}))).toEqual(refusal);
    expect(await second.close()).toBe(0);

    // The refused process left the lock alone: the first still holds it, and still writes.
    expect(lockOf(home)).toMatchObject({ pid: first.pid });
    const b = (await first.request('thread/start', { cwd: '/work/b' })).thread;
    expect((await first.request('thread/list', {})).data.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    expect(await first.close()).toBe(0);
    expect(fs.existsSync(path.join(home, 'keel.db.lock'))).toBe(false);
    expect(withDatabase(file, storedThreadIds)).toEqual([a.id, b.id].sort());
  });

  it('a lock left by a killed Keel is taken over by the next one, which says so on stderr', async () => {
    const home = tempDir();
    const killed = await keelOn(home);
    const a = (await killed.request('thread/start', { cwd: '/work/a' })).thread;
    expect(await killed.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(lockOf(home)).toMatchObject({ pid: killed.pid });

    const next = await keelOn(home);
    expect((await next.request('thread/list', {})).data.map((t) => t.id)).toEqual([a.id]);
    expect(lockOf(home)).toMatchObject({ pid: next.pid });
    expect(next.stderr).toContain(`took over the stale lock ${path.join(home, 'keel.db.lock')} of process ${killed.pid}`);
    expect(await next.close()).toBe(0);
    expect(fs.existsSync(path.join(home, 'keel.db.lock'))).toBe(false);
  });
});
