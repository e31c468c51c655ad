// Server processes over their life: crash and restart, reload, shutdown, and the process group.
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager } from '../../src/mcp/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureConfig, pidFrom, processAlive, StatusRecorder, waitForPid } from './mcp-fixtures.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

async function startedManager(configs: ReturnType<typeof fixtureConfig>[], recorder = new StatusRecorder()): Promise<McpManager> {
  manager = new McpManager(configs, { onStatus: recorder.onStatus, restartBackoff: { initialMs: 200 } });
  manager.ensureStarted();
  await Promise.all(configs.map((c) => manager!.waitForReady(c.name, 10_000)));
  return manager;
}

describe('McpManager server processes', () => {
  it('rejects a call at once when the server dies during it, then restarts the server', async () => {
    const config = fixtureConfig('fx');
    const recorder = new StatusRecorder();
    await startedManager([config], recorder);
    const firstPid = manager!.status()[0]!.pid!;
    expect(firstPid).toBe(pidFrom(config.pidFile));

    const failed = recorder.next('fx', 'failed');
    const readyAgain = recorder.next('fx', 'ready');
    const before = performance.now();
    await expect(manager!.call('fx', 'crash', {})).rejects.toMatchObject({
      kind: 'exited',
      message: 'MCP server fx exited during the call to crash (exited with code 3; stderr:\nfixture: started\nfixture: crashing on purpose)',
    });
    expect(performance.now() - before).toBeLessThan(1_000);
    await failed;
    expect(manager!.tools()).toEqual([]);
    expect(manager!.status()[0]).toMatchObject({
      state: 'failed',
      error: 'MCP server fx exited with code 3; stderr:\nfixture: started\nfixture: crashing on purpose',
    });
    await readyAgain;
    expect(recorder.states('fx')).toEqual(['starting', 'ready', 'failed', 'starting', 'ready']);
    const secondPid = manager!.status()[0]!.pid!;
    expect(secondPid).not.toBe(firstPid);
    expect(processAlive(firstPid)).toBe(false);
    expect(await manager!.call('fx', 'add', { a: 1, b: 1 })).toEqual({ content: [{ type: 'text', text: '2' }] });
  });

  it('restarts a server killed from outside', async () => {
    const recorder = new StatusRecorder();
    await startedManager([fixtureConfig('fx')], recorder);
    const pid = manager!.status()[0]!.pid!;
    const failed = recorder.next('fx', 'failed');
    const readyAgain = recorder.next('fx', 'ready');
    process.kill(pid, 'SIGKILL');
    await failed;
    expect(manager!.status()[0]!.error).toBe('MCP server fx was killed by SIGKILL; stderr:\nfixture: started');
    await readyAgain;
    expect(manager!.status()[0]!.pid).not.toBe(pid);
  });

  it('reload stops removed and changed servers, starts new ones, and leaves unchanged ones running', async () => {
    const keep = fixtureConfig('keep');
    const drop = fixtureConfig('drop');
    const change = fixtureConfig('change');
    await startedManager([keep, drop, change]);
    const pids = Object.fromEntries(manager!.status().map((s) => [s.name, s.pid!]));

    const added = fixtureConfig('added');
    const changed = { ...change, toolTimeoutMs: 1_234 };
    await manager!.reload([keep, changed, added]);
    expect(processAlive(pids.drop!)).toBe(false);
    expect(processAlive(pids.change!)).toBe(false);
    expect(processAlive(pids.keep!)).toBe(true);
    expect(manager!.status().map((s) => s.name)).toEqual(['keep', 'change', 'added']);
    await Promise.all([manager!.waitForReady('change', 10_000), manager!.waitForReady('added', 10_000)]);
    expect(manager!.status().map((s) => [s.name, s.state])).toEqual([['keep', 'ready'], ['change', 'ready'], ['added', 'ready']]);
    expect(manager!.status()[0]!.pid).toBe(pids.keep);
    expect(manager!.status()[1]!.pid).not.toBe(pids.change);
    expect(manager!.status()[2]!.pid).toBe(pidFrom(added.pidFile));
  });

  it('reload before any start adds servers without starting them', async () => {
    manager = new McpManager([]);
    const added = fixtureConfig('added');
    await manager.reload([added]);
    expect(manager.status().map((s) => [s.name, s.state])).toEqual([['added', 'idle']]);
    expect(pidFrom(added.pidFile)).toBeNull();
  });

  it('shutdown resolves once every server process is gone, their children included', async () => {
    const grandchildFile = path.join(mkdtempSync(path.join(tmpdir(), 'keel-mcp-')), 'grandchild');
    const a = fixtureConfig('a', { env: { FIXTURE_GRANDCHILD_PID_FILE: grandchildFile } });
    const b = fixtureConfig('b');
    await startedManager([a, b]);
    const pids = [pidFrom(a.pidFile)!, pidFrom(b.pidFile)!, pidFrom(grandchildFile)!];
    expect(pids.map(processAlive)).toEqual([true, true, true]);
    await manager!.shutdown();
    expect(pids.map(processAlive)).toEqual([false, false, false]);
    expect(manager!.status().map((s) => s.state)).toEqual(['stopped', 'stopped']);
    manager!.ensureStarted();
    expect(manager!.status().map((s) => s.state)).toEqual(['stopped', 'stopped']);
  });

  it('shutdown during a slow start stops the starting process too', async () => {
    const config = fixtureConfig('slow', { env: { FIXTURE_START_DELAY_MS: '5000' } });
    const recorder = new StatusRecorder();
    manager = new McpManager([config], { onStatus: recorder.onStatus });
    manager.ensureStarted();
    const pid = await waitForPid(config.pidFile);
    expect(manager.status()[0]).toMatchObject({ state: 'starting', pid });
    await manager.shutdown();
    expect(processAlive(pid)).toBe(false);
    expect(recorder.states('slow')).toEqual(['starting', 'stopped']);
  });
});
