// MCP servers an editor passes with session/new and session/load: joined for that session (the
// model calls their tools, shown as ACP tool calls with their results), headers passed to an HTTP
// server, stopped when the editor's connection ends, and wrong shapes refused with -32602.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { McpServer, SessionUpdate } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { startAcpAgent, type AcpAgent } from '../helpers/acp-agent.js';
import { listModelsOnce, modelCalls } from '../helpers/acp-model-listing.js';
import { ThreadMcpServers } from '../../src/engine/thread-mcp-servers.js';
import { ThreadRuntime } from '../../src/engine/thread-runtime.js';
import { mcpToolSource, type ThreadMcpSource } from '../../src/engine/turns/mcp-tool-source.js';
import type { McpCallResult, McpSource, McpToolInfo } from '../../src/engine/turns/mcp-tools.js';
import { allowEverything } from '../../src/tools/gate.js';
import { turnToolState } from '../../src/tools/turn-state.js';
import { created } from '../core/fixtures.js';
import type { Log } from '../../src/log.js';
import { FIXTURE_SERVER, fixtureConfig, pidFrom, processAlive, stdioConfig, waitForPid } from '../mcp/mcp-fixtures.js';
import { startHttpTestServer } from '../mcp/http-test-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

async function agent(options: Parameters<typeof startAcpAgent>[0]): Promise<AcpAgent> {
  const started = await startAcpAgent(options);
  await started.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
  return started;
}

function fixtureServer(name: string, pidFile: string): McpServer {
  return { name, command: process.execPath, args: [FIXTURE_SERVER], env: [{ name: 'FIXTURE_PID_FILE', value: pidFile }] };
}

const toolUpdates = (keel: AcpAgent): SessionUpdate[] => keel.updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update');

describe('keel acp: the editor\'s MCP servers', () => {
  it('offers a stdio server\'s tools to the session\'s model, shows the call as a tool call with its result, and stops the server when the connection ends', async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-mcp-')), 'pid');
    const keel = await agent({ script: [[{ toolCall: { name: 'mcp__editor__echo', callId: 'm1', arguments: { text: 'from the editor' } } }], [{ text: 'Echoed.' }]] });
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [fixtureServer('editor', pidFile)] });
    const pid = await waitForPid(pidFile);
    expect(await keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'echo it' }] })).toEqual({ stopReason: 'end_turn' });
    expect(toolUpdates(keel)).toEqual([
      { sessionUpdate: 'tool_call', toolCallId: 'm1', title: 'editor: echo', kind: 'other', status: 'in_progress', rawInput: { server: 'editor', tool: 'echo', arguments: { text: 'from the editor' } } },
      {
        sessionUpdate: 'tool_call_update',
        toolCallId: 'm1',
        status: 'completed',
        content: [{ type: 'content', content: { type: 'text', text: 'from the editor' } }],
        rawOutput: { content: [{ type: 'text', text: 'from the editor' }] },
      },
    ]);
    // Every line so far valid against ACP's schema, the tool calls' result content included (acp-schema.ts).
    expect(keel.problems).toEqual([]);
    expect(processAlive(pid)).toBe(true);
    expect(await keel.close()).toBe(0);
    expect(processAlive(pid)).toBe(false);
  });

  it('belongs to its session only: the model of another session of the same connection is not offered its tools', async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-mcp-')), 'pid');
    fake.script(wire.route, [{ sse: wire.stream([wire.message('One.')]) }, { sse: wire.stream([wire.message('Two.')]) }]);
    const keel = await agent({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
    listModelsOnce(fake);
    const withServer = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [fixtureServer('editor', pidFile)] });
    const without = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    await keel.context.request('session/prompt', { sessionId: withServer.sessionId, prompt: [{ type: 'text', text: 'one' }] });
    await keel.context.request('session/prompt', { sessionId: without.sessionId, prompt: [{ type: 'text', text: 'two' }] });
    const mcpTools = (call: number) => (modelCalls(fake)[call]!.body as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name).filter((name) => name.startsWith('mcp__'));
    expect(mcpTools(0)).toEqual(['mcp__editor__add', 'mcp__editor__crash', 'mcp__editor__echo', 'mcp__editor__grow', 'mcp__editor__image', 'mcp__editor__slow']);
    expect(mcpTools(1)).toEqual([]);
  });

  it('passes an HTTP server\'s headers and joins it on session/load', async () => {
    const http = await startHttpTestServer('editor-token', ['X-Editor', 'zed']);
    try {
      const keel = await agent({ script: [[{ text: 'First.' }], [{ toolCall: { name: 'mcp__remote__echo', callId: 'h1', arguments: { text: 'over http' } } }], [{ text: 'Done.' }]] });
      const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
      await keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'one' }] });
      const headers = [{ name: 'Authorization', value: 'Bearer editor-token' }, { name: 'X-Editor', value: 'zed' }];
      expect(await keel.context.request('session/load', { sessionId, cwd: keel.home, mcpServers: [{ type: 'http', name: 'remote', url: http.url, headers }] })).toMatchObject({ modes: { currentModeId: expect.any(String) } });
      const before = keel.updates.length;
      expect(await keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'two' }] })).toEqual({ stopReason: 'end_turn' });
      const calls = keel.updates.slice(before).map((n) => n.update).filter((u) => u.sessionUpdate === 'tool_call_update');
      expect(calls).toEqual([{ sessionUpdate: 'tool_call_update', toolCallId: 'h1', status: 'completed', content: [{ type: 'content', content: { type: 'text', text: 'over http' } }], rawOutput: { content: [{ type: 'text', text: 'over http' }] } }]);
      expect(http.authorizations.every((value) => value === 'Bearer editor-token')).toBe(true);
      expect(keel.problems).toEqual([]);
    } finally {
      await http.close();
    }
  });

  it('refuses wrong shapes with -32602 naming the field, and the sse transport Keel does not offer', async () => {
    const keel = await agent({});
    const refusal = (mcpServers: unknown) => keel.context.request('session/new', { cwd: keel.home, mcpServers: mcpServers as McpServer[] }).then(() => null, (error: { code: number; message: string }) => ({ code: error.code, message: error.message }));
    expect(await refusal([{ name: 'a', command: 'x', args: 'not a list', env: [] }])).toEqual({ code: -32602, message: expect.stringContaining('mcpServers[0].args') });
    expect(await refusal([{ type: 'http', name: 'b', headers: [] }])).toEqual({ code: -32602, message: expect.stringContaining('mcpServers[0].url') });
    expect(await refusal([{ type: 'sse', name: 'c', url: 'http://127.0.0.1:1/sse', headers: [] }])).toEqual({ code: -32602, message: expect.stringContaining('mcpServers[0].type: the sse transport is not supported') });
    const twice = { name: 'd', command: process.execPath, args: [], env: [] };
    expect(await refusal([twice, twice])).toEqual({ code: -32602, message: expect.stringContaining('mcpServers[1].name: another server is named d') });
    // Nothing was started for a refused session/new.
    expect(await keel.context.request('session/list', {})).toEqual({ sessions: [], nextCursor: null });
  });

  it('tells an editor that shows notices which of its servers did not start, after the answer that names the session', async () => {
    const keel = await startAcpAgent({});
    await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: { session: { notices: {} } } });
    const broken: McpServer = { name: 'broken', command: path.join(keel.home, 'no-such-server'), args: [], env: [] };
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [broken] });
    const notices = () => keel.updates.filter((n) => n.update.sessionUpdate === 'notice');
    await expect.poll(notices, { timeout: 15_000 }).toEqual([
      { sessionId, update: { sessionUpdate: 'notice', severity: 'warning', title: "The editor's MCP server broken did not start; its tools are not offered", description: expect.stringContaining('no-such-server') } },
    ]);
  });
});

describe('ThreadMcpServers (the engine\'s per-thread servers)', () => {
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {} } as unknown as Log;

  it('keeps each thread\'s servers to it, stops an owner\'s when it leaves, and lets a later join replace a thread\'s servers', async () => {
    const servers = new ThreadMcpServers(silent);
    try {
      const one = fixtureConfig('one');
      const two = fixtureConfig('two');
      const ownerA = {};
      const ownerB = {};
      expect(await servers.join('t1', ownerA, [one])).toEqual({ failed: [] });
      expect(await servers.join('t2', ownerB, [two])).toEqual({ failed: [] });
      const [pidOne, pidTwo] = [pidFrom(one.pidFile)!, pidFrom(two.pidFile)!];
      expect(servers.names('t1')).toEqual(['one']);
      expect(new Set(servers.tools('t1').map((tool) => tool.server))).toEqual(new Set(['one']));
      expect(await servers.call('t1', 'one', 'echo', { text: 'mine' })).toMatchObject({ content: [{ type: 'text', text: 'mine' }] });

      await servers.leave(ownerA);
      expect([processAlive(pidOne), processAlive(pidTwo)]).toEqual([false, true]);
      expect(servers.tools('t1')).toEqual([]);
      await expect(servers.call('t1', 'one', 'echo', { text: 'gone' })).rejects.toThrow('MCP server one has left this session');

      const three = fixtureConfig('three');
      expect(await servers.join('t2', ownerA, [three])).toEqual({ failed: [] });
      expect([processAlive(pidTwo), processAlive(pidFrom(three.pidFile)!)]).toEqual([false, true]);
      expect(servers.names('t2')).toEqual(['three']);
    } finally {
      await servers.shutdown();
    }
  });

  it('answers which servers failed to start, and offers nothing of them', async () => {
    const servers = new ThreadMcpServers(silent);
    try {
      const broken = { ...stdioConfig('broken', '/nonexistent/server.mjs'), startupTimeoutMs: 5_000 };
      const { failed } = await servers.join('t1', {}, [broken]);
      expect(failed).toEqual([{ name: 'broken', error: expect.any(String) }]);
      expect(servers.tools('t1')).toEqual([]);
    } finally {
      await servers.shutdown();
    }
  });
});

describe('mcpToolSource with a thread\'s own servers', () => {
  const tool = (server: string, name: string): McpToolInfo => ({ qualifiedName: `mcp__${server}__${name}`, server, tool: name, description: name, inputSchema: { type: 'object', properties: {} }, annotations: null });
  const calls: string[] = [];
  const answer = (who: string) => async (server: string, name: string): Promise<McpCallResult> => {
    calls.push(`${who}:${server}.${name}`);
    return { content: [{ type: 'text', text: who }] };
  };
  const shared: McpSource = { ensureStarted: () => {}, configured: () => ['docs', 'editor'], tools: (names) => [tool('docs', 'search'), tool('editor', 'config')].filter((t) => names.includes(t.server)), call: answer('shared') };
  const own: ThreadMcpSource = { names: (threadId) => (threadId === 't1' ? ['editor'] : []), tools: (threadId) => (threadId === 't1' ? [tool('editor', 'echo')] : []), call: (_threadId, server, name) => answer('own')(server, name) };

  it('offers the shared servers\' tools and the thread\'s, whose server shadows a shared one of its name, and routes each call to its server', async () => {
    const runtime = new ThreadRuntime(undefined, null);
    runtime.apply([created()]);
    const tools = mcpToolSource(shared, own).forTurn({ runtime, turnId: 'u1', mode: undefined, signal: new AbortController().signal, clientRequestTimeoutMs: 5_000, now: () => 2000 });
    expect(tools.list({ family: 'openai', freeform: false }).map((definition) => definition.name)).toEqual(['mcp__docs__search', 'mcp__editor__echo']);
    for (const name of ['mcp__docs__search', 'mcp__editor__echo']) {
      const report = { start: () => {}, output: () => {}, plan: () => {}, diff: () => {}, intent: () => {} };
      await tools.resolve({ callId: name, name, arguments: '{}' } as never, 'openai')!.execute({ threadId: 't1', turnId: 'u1', callId: name, cwd: '/work', signal: new AbortController().signal, report, gate: allowEverything, turn: turnToolState(), env: {} } as never);
    }
    expect(calls).toEqual(['shared:docs.search', 'own:editor.echo']);
  });
});
