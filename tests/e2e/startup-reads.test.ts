// The start-up reads over stdio. The conformance hook checks each answer against the official
// schema's result type (the method table's `codexResult`).
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';

let keel: KeelProcess | undefined;
let cwd: string | undefined;
afterEach(async () => {
  await keel?.close();
  if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  keel = cwd = undefined;
});

describe('start-up reads', () => {
  it("reads what a request names: a thread's cwd, an unknown marketplace, a cursor Keel never issued", async () => {
    cwd = fs.realpathSync(makeTempHome());
    keel = spawnKeel();
    await initialized(keel);
    const { thread } = await keel.request('thread/start', { cwd });
    expect(await keel.request('hooks/list', { threadId: thread.id })).toEqual({ data: [{ cwd, hooks: [], warnings: [], errors: [] }] });
    expect(await keel.request('skills/list', { cwds: ['/a', '/b'] })).toEqual({ data: [{ cwd: '/a', skills: [], errors: [] }, { cwd: '/b', skills: [], errors: [] }] });
    expect(await errorOf(keel.request('hooks/list', { threadId: 'missing' }))).toEqual({ code: -32600, message: 'thread not found: missing' });
    expect(await errorOf(keel.request('marketplace/upgrade', { marketplaceName: 'official' }))).toEqual({
      code: -32600,
      message: 'marketplace not found: official (Keel has no plugin marketplaces)',
    });
    for (const method of ['app/list', 'mcpServerStatus/list', 'permissionProfile/list', 'experimentalFeature/list', 'threadSection/list'] as const) {
      expect(await errorOf(keel.request(method, { cursor: 'abc' }))).toEqual({
        code: -32602,
        message: 'Invalid params: cursor: invalid cursor: abc',
        data: { issues: [{ path: 'cursor', message: 'invalid cursor: abc' }] },
      });
    }
  });
});
