// Faults of the disk under the store, over the wire: a damaged page, a home or database Keel may
// not write. Each request that meets one answers -32603 with a message naming the database and the
// cause, never a bare "Internal error"; requests that do not need the store are still served.
//
// Permissions do not stop root, and these tests often run as root: then the server runs as
// `nobody` (the test chowns the home to it), so a read-only mode really is read-only to it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readableBundle } from '../helpers/bundle-copy.js';
import { errorOf, initialized, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { eventsOf, fixtureSettings, writeStore } from '../helpers/store-fixtures.js';
import { useTempDirs, withDatabase } from '../helpers/threads.js';

const tempDir = useTempDirs();
/** Homes made read-only, writable again before useTempDirs removes them (its hook runs after this one). */
const readOnlyHomes: string[] = [];
afterEach(() => {
  for (const home of readOnlyHomes.splice(0)) fs.chmodSync(home, 0o700);
});

function makeReadOnly(home: string): void {
  fs.chmodSync(home, 0o500);
  readOnlyHomes.push(home);
}

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Keel on `home`, as a user the file modes apply to (nobody, when the tests run as root). */
async function keelAsUser(home: string): Promise<KeelProcess> {
  if (asRoot) chownTree(home, NOBODY);
  // nobody may not reach this tree (a clone under a 0700 home): it runs a readable copy of the bundle.
  const keel = spawnKeel({ home, ...(asRoot ? { uid: NOBODY, gid: NOBODY, entry: readableBundle() } : {}) });
  await initialized(keel);
  return keel;
}

function chownTree(dir: string, id: number): void {
  fs.chownSync(dir, id, id);
  for (const entry of fs.readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (fs.statSync(file).isDirectory()) chownTree(file, id);
    else fs.chownSync(file, id, id);
  }
}

const origin = { ephemeral: false, cliVersion: '0.0.9', forkedFromId: null };
const t0 = Date.UTC(2025, 0, 2, 3, 4, 5);

/** A store holding two threads, written and closed (everything in the database file). */
async function storeWithThreads(file: string): Promise<string[]> {
  const ids = ['thread-one', 'thread-two'];
  await writeStore(
    file,
    ids.map((id) => {
      const e = eventsOf(id, t0);
      // A turn: thread/list lists only threads that had one (as Codex).
      return [
        e('thread/created', { settings: fixtureSettings, origin }),
        e('turn/started', { turnId: `${id}-turn`, model: null }),
        e('turn/completed', { turnId: `${id}-turn`, status: 'completed', error: null }),
        e('thread/renamed', { name: id }),
      ];
    }),
  );
  return ids;
}

/** Overwrites with garbage the root page of a table or index (by its name in sqlite_master). */
function damagePage(file: string, name: string): void {
  const { root, pageSize } = withDatabase(file, (db) => ({
    root: db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(name) as number,
    pageSize: db.pragma('page_size', { simple: true }) as number,
  }));
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (root - 1) * pageSize);
  fs.closeSync(fd);
}

const refusedWrite = (cause: string) => ({ code: -32603, message: `the thread store refused a write (${cause}); what the thread shows is what was stored` });

describe('a damaged database page', () => {
  it('in the thread table: answers the requests that meet it with -32603 naming the damage; the others are served', async () => {
    const home = tempDir();
    const file = path.join(home, 'keel.db');
    const [threadId] = await storeWithThreads(file);
    damagePage(file, 'threads');

    const keel = spawnKeel({ home });
    await initialized(keel);
    const damaged = `the thread database ${file} is damaged (SQLITE_CORRUPT: database disk image is malformed)`;
    expect(await errorOf(keel.request('thread/list', {}))).toEqual({ code: -32603, message: damaged });
    expect(await errorOf(keel.request('thread/read', { threadId: threadId! }))).toEqual({ code: -32603, message: damaged });
    expect(await errorOf(keel.request('thread/start', {}))).toEqual(refusedWrite(damaged));
    expect(await keel.request('config/read', {})).toMatchObject({ config: expect.any(Object) });
    expect(await keel.close()).toBe(0);
  });

  it('in what start-up reads (the index of turns left in progress) stops neither start-up nor the requests that avoid it', async () => {
    const home = tempDir();
    const file = path.join(home, 'keel.db');
    const ids = await storeWithThreads(file);
    damagePage(file, 'threads_active');

    const keel = spawnKeel({ home });
    await initialized(keel);
    expect(await keel.request('config/read', {})).toMatchObject({ config: expect.any(Object) });
    expect((await keel.request('thread/list', {})).data.map((t) => t.id).sort()).toEqual(ids);
    expect(keel.stderr).toContain('could not look for turns left in progress');
    expect(await keel.close()).toBe(0);
  });
});

describe('a read-only home', () => {
  it('without a database yet: every thread request names the database and the denied permission', async () => {
    const home = tempDir();
    makeReadOnly(home);
    const keel = await keelAsUser(home);
    const refusal = { code: -32603, message: `thread store unavailable: cannot open ${path.join(home, 'keel.db')}: permission denied (EACCES)` };
    expect(await errorOf(keel.request('thread/start', {}))).toEqual(refusal);
    expect(await errorOf(keel.request('thread/list', {}))).toEqual(refusal);
    expect(await keel.close()).toBe(0);
  });

  it('with a database in it: the database cannot be written because its directory is read-only, and says so', async () => {
    const home = tempDir();
    const file = path.join(home, 'keel.db');
    await storeWithThreads(file);
    makeReadOnly(home);
    const keel = await keelAsUser(home);
    const refusal = {
      code: -32603,
      message: `thread store unavailable: the thread database ${file} cannot be written: its directory is read-only (SQLITE_READONLY_DIRECTORY: attempt to write a readonly database)`,
    };
    expect(await errorOf(keel.request('thread/start', {}))).toEqual(refusal);
    expect(await keel.close()).toBe(0);
  });

  it('a read-only database file in a writable home: reads are served, writes answer that it is read-only', async () => {
    const home = tempDir();
    const file = path.join(home, 'keel.db');
    const ids = await storeWithThreads(file);
    fs.chmodSync(file, 0o400);
    const keel = await keelAsUser(home);
    expect((await keel.request('thread/list', {})).data.map((t) => t.id).sort()).toEqual(ids);
    const readOnly = `the thread database ${file} is read-only (SQLITE_READONLY: attempt to write a readonly database)`;
    // A change first takes the thread's lease, a write to the database too: refused in the same words.
    expect(await errorOf(keel.request('thread/start', {}))).toEqual({ code: -32603, message: readOnly });
    expect(await errorOf(keel.request('thread/name/set', { threadId: ids[0]!, name: 'renamed' }))).toEqual({ code: -32603, message: readOnly });
    expect(await keel.close()).toBe(0);
  });
});
