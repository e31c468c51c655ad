import { describe, expect, it } from 'vitest';
import { errorOf, initialized, spawnKeel } from '../helpers/keel-process.js';
import { expectedSession, expectedThread, notifications } from '../helpers/threads.js';

const dynamicTools = [{ type: 'function' as const, name: 'x', description: 'd', inputSchema: { type: 'object' } }];

describe('experimental fields on thread requests', () => {
  it.each([
    { name: 'no capabilities', capabilities: {} },
    { name: 'experimentalApi: false', capabilities: { experimentalApi: false } },
  ])('refuses thread/start.dynamicTools with $name, and creates nothing', async ({ capabilities }) => {
    const keel = spawnKeel();
    await initialized(keel, capabilities);
    expect(await errorOf(keel.request('thread/start', { dynamicTools }))).toEqual({
      code: -32600,
      message: 'thread/start.dynamicTools requires experimentalApi capability',
    });
    expect(await keel.request('thread/loaded/list', {})).toEqual({ data: [], nextCursor: null });
    expect(await keel.request('thread/list', {})).toEqual({ data: [], nextCursor: null, backwardsCursor: null });
    // An absent or null experimental field is no use of it.
    expect((await keel.request('thread/start', { dynamicTools: null })).thread.id).toEqual(expect.any(String));
    expect(notifications(keel).map((m) => m.method)).toEqual(['thread/started']);
  });

  it('accepts thread/start.dynamicTools with experimentalApi', async () => {
    const keel = spawnKeel();
    await initialized(keel, { experimentalApi: true });
    const started = await keel.request('thread/start', { cwd: '/work/tools', dynamicTools });
    expect(started).toEqual(expectedSession(expectedThread('/work/tools')));
    expect((await keel.waitFor('thread/started')).params).toEqual({ thread: started.thread });
  });
});

describe('notification opt-out', () => {
  it('suppresses thread/started for the connection that opted out, and only that method', async () => {
    const optedOut = spawnKeel();
    await initialized(optedOut, { optOutNotificationMethods: ['thread/started'] });
    const { thread } = await optedOut.request('thread/start', {});
    // A response precedes its notifications: thread/started would sit before the rename's answer.
    expect(await optedOut.request('thread/name/set', { threadId: thread.id, name: 'n' })).toEqual({});
    const renamed = await optedOut.waitFor('thread/name/updated');
    expect(renamed.params).toEqual({ threadId: thread.id, threadName: 'n' });
    expect(notifications(optedOut).map((m) => m.method)).toEqual(['thread/name/updated']);
    // Forks are announced with thread/started too.
    await optedOut.request('thread/fork', { threadId: thread.id });
    await optedOut.request('thread/archive', { threadId: thread.id });
    await optedOut.waitFor('thread/archived');
    // Archiving unloads the thread (as Codex): its status goes notLoaded before the answer.
    expect(notifications(optedOut).map((m) => m.method)).toEqual(['thread/name/updated', 'thread/status/changed', 'thread/archived']);

    const listening = spawnKeel();
    await initialized(listening);
    const other = await listening.request('thread/start', {});
    expect((await listening.waitFor('thread/started')).params).toEqual({ thread: other.thread });
  });

  it('suppresses several methods at once', async () => {
    const keel = spawnKeel();
    await initialized(keel, { optOutNotificationMethods: ['thread/started', 'thread/name/updated', 'thread/deleted'] });
    const { thread } = await keel.request('thread/start', {});
    await keel.request('thread/name/set', { threadId: thread.id, name: 'n' });
    await keel.request('thread/delete', { threadId: thread.id });
    const { thread: second } = await keel.request('thread/start', {});
    await keel.request('thread/archive', { threadId: second.id });
    expect((await keel.waitFor('thread/archived')).params).toEqual({ threadId: second.id });
    expect(notifications(keel).map((m) => m.method)).toEqual(['thread/status/changed', 'thread/archived']);
  });
});
