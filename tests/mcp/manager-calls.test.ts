// The manager against the fixture server over stdio: lazy, non-blocking start; calls and results.
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager } from '../../src/mcp/index.js';
import { TINY_PNG_BASE64 } from '../fixtures/mcp/fixture-server-data.mjs';
import { fixtureConfig, pidFrom, processAlive, StatusRecorder } from './mcp-fixtures.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

describe('McpManager with a stdio server', () => {
  it('spawns nothing before ensureStarted, then offers the tools once ready', async () => {
    const config = fixtureConfig('fx');
    const recorder = new StatusRecorder();
    manager = new McpManager([config], { onStatus: recorder.onStatus });
    expect(manager.status().map((s) => [s.name, s.state, s.pid])).toEqual([['fx', 'idle', null]]);
    expect(pidFrom(config.pidFile)).toBeNull();
    expect(manager.tools()).toEqual([]);

    manager.ensureStarted();
    await manager.waitForReady('fx', 10_000);
    expect(recorder.states('fx')).toEqual(['starting', 'ready']);
    expect(manager.tools().map((t) => t.qualifiedName)).toEqual(['mcp__fx__echo', 'mcp__fx__add', 'mcp__fx__slow', 'mcp__fx__crash', 'mcp__fx__image', 'mcp__fx__grow']);
    expect(manager.tools().find((t) => t.tool === 'add')).toEqual({
      qualifiedName: 'mcp__fx__add',
      server: 'fx',
      tool: 'add',
      description: 'Adds two numbers',
      inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
      annotations: { readOnlyHint: true },
    });
    expect(manager.resolveTool('mcp__fx__add')).toEqual({ server: 'fx', tool: 'add' });
    const status = manager.status()[0]!;
    expect(status).toMatchObject({ name: 'fx', enabled: true, state: 'ready', error: null, serverInfo: { name: 'keel-fixture', version: '1.0.0' } });
    expect(status.pid).toBe(pidFrom(config.pidFile));
    expect(status.resources).toEqual([{ name: 'hello', uri: 'fixture://hello', mimeType: 'text/plain' }]);
  });

  it('returns from ensureStarted at once while a server takes 5 s to start', async () => {
    manager = new McpManager([fixtureConfig('slowstart', { env: { FIXTURE_START_DELAY_MS: '5000' } })]);
    // It returns at once: right after the call the server is still starting (no timed assertion).
    manager.ensureStarted();
    expect(manager.status()[0]!.state).toBe('starting');
    expect(manager.tools()).toEqual([]);
    await manager.waitForReady('slowstart', 15_000);
    expect(manager.tools().length).toBe(6);
  }, 20_000);

  it('calls tools and reads resources, returning the whole results', async () => {
    manager = new McpManager([fixtureConfig('fx')]);
    manager.ensureStarted(['fx']);
    await manager.waitForReady('fx', 10_000);
    expect(await manager.call('fx', 'echo', { text: 'hi there' })).toEqual({ content: [{ type: 'text', text: 'hi there' }] });
    expect(await manager.call('fx', 'add', { a: 2, b: 40 })).toEqual({ content: [{ type: 'text', text: '42' }] });
    expect(await manager.call('fx', 'image', {})).toEqual({ content: [{ type: 'image', data: TINY_PNG_BASE64, mimeType: 'image/png' }] });
    expect(await manager.readResource('fx', 'fixture://hello')).toEqual({
      contents: [{ uri: 'fixture://hello', mimeType: 'text/plain', text: 'hello from the fixture' }],
    });
    // Invalid arguments are a tool result (isError), as MCP servers report them.
    expect(await manager.call('fx', 'add', { a: 'x' })).toMatchObject({ isError: true });
    await expect(manager.call('nope', 'echo', {})).rejects.toMatchObject({ kind: 'notReady', message: 'no MCP server named nope is configured' });
  });

  it('times a slow call out with a clear error, cancels it, and keeps the server usable', async () => {
    manager = new McpManager([fixtureConfig('fx', { toolTimeoutMs: 300 })]);
    manager.ensureStarted();
    await manager.waitForReady('fx', 10_000);
    // The tool would take a minute: only the 300 ms timeout ends the call within the test's time.
    await expect(manager.call('fx', 'slow', { ms: 60_000 })).rejects.toMatchObject({
      name: 'McpCallError',
      kind: 'timeout',
      server: 'fx',
      target: 'slow',
      message: 'MCP server fx did not answer the call to slow within 300 ms (the request was cancelled)',
    });
    expect(await manager.call('fx', 'echo', { text: 'still here' })).toEqual({ content: [{ type: 'text', text: 'still here' }] });
    expect(await manager.call('fx', 'slow', { ms: 10 }, { timeoutMs: 5_000 })).toEqual({ content: [{ type: 'text', text: 'waited 10 ms' }] });
  });

  it('rejects a call at once when the caller aborts it', async () => {
    manager = new McpManager([fixtureConfig('fx')]);
    manager.ensureStarted();
    await manager.waitForReady('fx', 10_000);
    const controller = new AbortController();
    const call = manager.call('fx', 'slow', { ms: 5000 }, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ kind: 'cancelled', message: 'MCP the call to slow on server fx was cancelled' });
  });

  it('offers only the tools enabled_tools / disabled_tools allow', async () => {
    manager = new McpManager([
      fixtureConfig('only', { enabledTools: ['echo', 'add', 'missing'] }),
      fixtureConfig('without', { disabledTools: ['crash', 'slow'] }),
    ]);
    manager.ensureStarted();
    await Promise.all([manager.waitForReady('only', 10_000), manager.waitForReady('without', 10_000)]);
    expect(manager.tools().map((t) => t.qualifiedName)).toEqual([
      'mcp__only__echo',
      'mcp__only__add',
      'mcp__without__echo',
      'mcp__without__add',
      'mcp__without__image',
      'mcp__without__grow',
    ]);
    expect(manager.tools(['only']).map((t) => t.tool)).toEqual(['echo', 'add']);
  });

  it('never starts a disabled server', async () => {
    const config = fixtureConfig('off', { enabled: false });
    manager = new McpManager([config]);
    manager.ensureStarted();
    expect(manager.status()).toMatchObject([{ name: 'off', enabled: false, state: 'idle' }]);
    await expect(manager.waitForReady('off', 200)).rejects.toThrow('MCP server off not ready within 200 ms (idle)');
    expect(pidFrom(config.pidFile)).toBeNull();
  });

  it('fails a server that does not start in time, leaving no process behind', async () => {
    // 2 s: long enough for node to load the fixture and write its pid, short of the 5 s delay.
    const config = fixtureConfig('late', { startupTimeoutMs: 2_000, env: { FIXTURE_START_DELAY_MS: '5000' } });
    const recorder = new StatusRecorder();
    manager = new McpManager([config], { onStatus: recorder.onStatus });
    const failed = recorder.next('late', 'failed');
    manager.ensureStarted();
    await failed;
    expect(manager.status()[0]).toMatchObject({
      state: 'failed',
      error: 'MCP server late failed to start: did not start within 2000 ms; stderr:\nfixture: started',
      pid: null,
      tools: [],
    });
    const pid = pidFrom(config.pidFile)!;
    expect(pid).toBeGreaterThan(0);
    expect(processAlive(pid)).toBe(false);
    await expect(manager.waitForReady('late', 1_000)).rejects.toThrow('MCP server late is failed: MCP server late failed to start');
  });

  it('follows a tool list the server changes at run time', async () => {
    let toolsChanged!: () => void;
    const changed = new Promise<void>((resolve) => (toolsChanged = resolve));
    manager = new McpManager([fixtureConfig('fx')], { onToolsChanged: (name) => name === 'fx' && toolsChanged() });
    manager.ensureStarted();
    await manager.waitForReady('fx', 10_000);
    expect(await manager.call('fx', 'grow', {})).toEqual({ content: [{ type: 'text', text: 'added grown' }] });
    await changed;
    expect(manager.tools().at(-1)).toMatchObject({ qualifiedName: 'mcp__fx__grown', description: 'Added at run time' });
    expect(await manager.call('fx', 'grown', {})).toEqual({ content: [{ type: 'text', text: 'grown' }] });
  });

  it('explains a server that exits during startup with its exit code and stderr', async () => {
    const script = "process.stderr.write('config file missing\\n'); process.exit(2)";
    manager = new McpManager([{ ...fixtureConfig('dies'), transport: { type: 'stdio', command: process.execPath, args: ['-e', script], env: {}, cwd: null } }]);
    manager.ensureStarted();
    await expect(manager.waitForReady('dies', 5_000)).rejects.toThrow(
      'MCP server dies is failed: MCP server dies failed to start: exited during startup: exited with code 2; stderr:\nconfig file missing',
    );
  });

  it('rejects a call in flight when the server is stopped', async () => {
    manager = new McpManager([fixtureConfig('fx')]);
    manager.ensureStarted();
    await manager.waitForReady('fx', 10_000);
    const call = manager.call('fx', 'slow', { ms: 5000 });
    const rejected = expect(call).rejects.toMatchObject({ kind: 'cancelled', message: 'MCP server fx was stopped during the call to slow' });
    await manager.shutdown();
    await rejected;
  });

  it('fails a server whose command cannot be spawned', async () => {
    manager = new McpManager([{ ...fixtureConfig('missing'), transport: { type: 'stdio', command: '/nonexistent/keel-mcp', args: [], env: {}, cwd: null } }]);
    manager.ensureStarted();
    await expect(manager.waitForReady('missing', 5_000)).rejects.toThrow('MCP server missing is failed: MCP server missing failed to start: spawn /nonexistent/keel-mcp ENOENT');
  });
});
