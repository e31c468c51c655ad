// Spawned `keel app-server` processes: each takes forwarded requests on its peer socket once its
// services are up (right after initialize) and removes it when it stops; two on one home forward
// a request for the other's thread to it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThreadCommands } from '../../src/engine/thread-commands.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { useTempDirs } from '../helpers/threads.js';

const tempDir = useTempDirs();

/** Two processes share a home's database once helper "leases" replaces the whole-database lock with per-thread leases (it also adds ThreadCommands.follow). */

describe('the peer socket of a Keel process', () => {
  it('is $KEEL_HOME/peers/<ownerId>.sock (0600 in 0700) while it serves, and gone after a clean exit', async () => {
    const home = tempDir();
    const keel = spawnKeel({ home });
    await initialized(keel);
    await keel.request('model/list', {});
    const peers = path.join(home, 'peers');
    const sockets = fs.readdirSync(peers);
    expect(sockets).toEqual([expect.stringMatching(/^[0-9a-f-]{36}\.sock$/)]);
    const socket = path.join(peers, sockets[0]!);
    expect([fs.statSync(peers).mode & 0o777, fs.statSync(socket).mode & 0o777, fs.statSync(socket).isSocket()]).toEqual([0o700, 0o600, true]);
    expect(await keel.close()).toBe(0);
    expect(fs.readdirSync(peers)).toEqual([]);
  });

  it("two processes on one home: B's client renames and runs a turn on A's thread, answered by A, and hears the turn", async () => {
    const home = tempDir();
    const a = spawnKeel({ home });
    const b = spawnKeel({ home });
    await initialized(a);
    await initialized(b);
    const { thread } = await a.request('thread/start', {} as never);
    expect(await b.request('thread/name/set', { threadId: thread.id, name: 'named through B' } as never)).toEqual({});
    expect((await a.waitFor('thread/name/updated')).params).toEqual({ threadId: thread.id, threadName: 'named through B' });
    const { turn } = await b.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hello', text_elements: [] }] } as never);
    const endOf = (m: { method?: string; params?: unknown }) => m.method === 'turn/completed' && (m.params as { turn: { id: string } }).turn.id === turn.id;
    const onA = await a.waitFor(endOf);
    const onB = await b.waitFor(endOf);
    expect(onB).toEqual(onA);
    expect(await b.close()).toBe(0);
    expect(await a.close()).toBe(0);
  });
});
