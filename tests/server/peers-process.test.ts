// Spawned `keel app-server` processes: each takes forwarded requests on its peer socket once its
// services are up (right after initialize) and removes it when it stops. Requests forwarded
// through it between processes: tests/e2e/many-processes.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { useTempDirs } from '../helpers/threads.js';

const tempDir = useTempDirs();

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
});
