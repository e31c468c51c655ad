// A disk that fills in the middle of a turn, for real: Keel's home on a small tmpfs the test
// mounts (root only), filled to the last byte while the model is streaming. The turn still ends on
// the wire — failed, saying why — and its next load stores that same end once the disk has room.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initialized, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { params } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

/** Mounting needs root (and a host that lets it): elsewhere the test is skipped. */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    fs.rmdirSync(probe);
  }
}

const mounts: string[] = [];
let keel: KeelProcess | undefined;
afterEach(async () => {
  await keel?.close();
  keel = undefined;
  for (const dir of mounts.splice(0)) {
    execFileSync('umount', [dir]);
    fs.rmdirSync(dir);
  }
});

/** A fresh tmpfs of `size` bytes. */
function smallDisk(size: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

/** Writes a file until the disk refuses another byte; returns its path. */
function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    // The last partial page too.
    try {
      for (;;) fs.writeSync(fd, chunk, 0, 1);
    } catch {}
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

describe.skipIf(!canMount())('a disk that fills mid-stream', () => {
  it('ends the turn on the wire, failed with the reason; the next load stores that end, told once', async () => {
    const home = smallDisk(8 * 1024 * 1024);
    let open!: () => void;
    const gate = new Promise((resolve) => (open = () => resolve(undefined)));
    // More text after the gate than the database and its WAL hold so far: storing it needs new pages.
    fake.script(wire.route, [{ sse: wire.stream([wire.message('Hel', 'x'.repeat(1_000_000))]), gate: { after: 3, open: gate }, clientMayLeave: true }]);
    keel = spawnKeel({ home, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', {});
    const threadId = thread.id;
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'hi' }] });
    await keel.waitFor('item/agentMessage/delta');

    const filler = fillDisk(home);
    open();
    const completed = await keel.waitFor((m) => m.method === 'turn/completed', 15_000);
    const reason = {
      message: `the end of this turn could not be stored (the thread store refused a write (the thread database ${home}/keel.db cannot grow: its disk is full (SQLITE_FULL: database or disk is full)); what the thread shows is what was stored); it ended failed, and is recorded so when the thread is next loaded`,
      codexErrorInfo: 'other',
      additionalDetails: null,
    };
    expect(params(completed).turn).toMatchObject({ id: turn.id, status: 'failed', error: reason });
    const told = keel.messages.filter((m) => m.method === 'error').map(params);
    // The refused write mid-stream, then the end that could not be stored either.
    expect(told.at(-1)).toEqual({ threadId, turnId: turn.id, willRetry: false, error: params(completed).turn.error });
    expect(told.some((p) => String(p.error.message).includes('will be closed as interrupted'))).toBe(false);

    // Room again: the thread's next load stores the same end; the client does not hear it twice.
    fs.rmSync(filler);
    const before = keel.messages.length;
    const resumed = await keel.request('thread/resume', { threadId });
    expect(resumed.thread.turns.at(-1)).toMatchObject({ id: turn.id, status: 'failed', error: params(completed).turn.error });
    const read = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(read.thread.turns.at(-1)).toMatchObject({ id: turn.id, status: 'failed', error: params(completed).turn.error });
    expect(keel.messages.slice(before).filter((m) => m.method === 'turn/completed' || m.method === 'error')).toEqual([]);
    expect(keel.messages.filter((m) => m.method === 'turn/completed')).toHaveLength(1);
  });
});
