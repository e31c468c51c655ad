// MCP servers as tools, over stdio, against real servers: the suite's own SDK server and the
// published server-everything. Tools reach the model under Codex's names and calls are
// mcpToolCall items; slow servers never hold up thread/start or an unrelated turn; a crash fails
// its call and the server comes back; a hung call times out; reload stops a removed server; no
// server process outlives Keel.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { FULL_ACCESS, completedItems, methods, params, runTurn, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { repoRoot } from '../helpers/conformance.js';

const fake = useFakeModelServer();
const FIXTURE = path.join(repoRoot, 'tests', 'fixtures', 'mcp', 'fixture-server.mjs');
const EVERYTHING = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

const toml = (value: unknown) => JSON.stringify(value);
function serverToml(name: string, script: string, extra: Record<string, unknown> = {}, env: Record<string, string> = {}): string[] {
  const lines = [`[mcp_servers.${name}]`, `command = ${toml(process.execPath)}`];
  for (const [key, value] of Object.entries({ args: [script], ...extra })) lines.push(`${key} = ${toml(value)}`);
  if (Object.keys(env).length > 0) lines.push(`env = { ${Object.entries(env).map(([k, v]) => `${k} = ${toml(v)}`).join(', ')} }`);
  return lines;
}

async function start(servers: string[][]): Promise<{ keel: KeelProcess; home: string }> {
  const home = makeTempHome();
  fs.writeFileSync(path.join(home, 'config.toml'), ['model = "gpt-4.1"', ...servers.flat()].join('\n') + '\n');
  const keel = spawnKeel({ home, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  await initialized(keel);
  return { keel, home };
}

const startup = (keel: KeelProcess, name: string, status: string) =>
  keel.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && params(m).name === name && params(m).status === status, 15_000);
const statusOf = async (keel: KeelProcess, name: string) => (await keel.request('mcpServerStatus/list', { serverName: name })).data[0]!;
const pidIn = (file: string) => Number(fs.readFileSync(file, 'utf8').trim());
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Resolves once `pid` is gone (polled: a process ending sends Keel's test nothing to wait on). */
async function gone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

const outputOf = (index: number, callId: string) =>
  (conversationBody(fake.calls[index]!).input as Array<Record<string, any>>).find((e) => e.type === 'function_call_output' && e.call_id === callId)?.output;

describe('MCP servers', () => {
  it('the model calls a tool of the suite\'s server and one of server-everything, as mcpToolCall items in order', async () => {
    const { keel } = await start([serverToml('fixture', FIXTURE), serverToml('everything', EVERYTHING, { args: [EVERYTHING, 'stdio'] })]);
    // Configured, not started: nothing runs before a thread needs it.
    expect((await keel.request('mcpServerStatus/list', {})).data.map((s) => [s.name, s.runtimeStatus])).toEqual([['fixture', 'notStarted'], ['everything', 'notStarted']]);
    const { thread } = await keel.request('thread/start', FULL_ACCESS);
    await Promise.all([startup(keel, 'fixture', 'ready'), startup(keel, 'everything', 'ready')]);
    const fixture = await statusOf(keel, 'fixture');
    expect(fixture).toMatchObject({ name: 'fixture', authStatus: 'unsupported', runtimeStatus: 'connected', serverInfo: { name: 'keel-fixture', version: '1.0.0' }, toolsError: null, httpOrigin: null });
    expect(Object.keys(fixture.tools)).toEqual(expect.arrayContaining(['echo', 'add', 'slow', 'crash']));
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_1', 'mcp__fixture__echo', '{"text":"hello mcp"}')]) },
      // Sent as some models do — a JSON string, the object one level too deep — and taken as meant.
      { sse: wire.stream([wire.functionCall('call_2', 'mcp__everything__echo', JSON.stringify(JSON.stringify({ input: { message: 'from everything' } })))]) },
      { sse: wire.stream([wire.message('Both answered.')]) },
    ]);
    const seq = await runTurn(keel, thread.id, 'use the tools');
    const offered = (fake.calls[0]!.body as { tools: Array<{ name: string; parameters?: unknown }> }).tools.find((tool) => tool.name === 'mcp__fixture__echo');
    expect(offered).toMatchObject({ name: 'mcp__fixture__echo', parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } });
    const mcpEvents = seq.filter((m) => (m.method === 'item/started' || m.method === 'item/completed') && params(m).item.type === 'mcpToolCall');
    expect(mcpEvents.map((m) => [m.method, params(m).item.id, params(m).item.status])).toEqual([
      ['item/started', 'call_1', 'inProgress'],
      ['item/completed', 'call_1', 'completed'],
      ['item/started', 'call_2', 'inProgress'],
      ['item/completed', 'call_2', 'completed'],
    ]);
    expect(params(mcpEvents[1]!).item).toEqual({
      type: 'mcpToolCall',
      id: 'call_1',
      server: 'fixture',
      tool: 'echo',
      status: 'completed',
      arguments: { text: 'hello mcp' },
      result: { content: [{ type: 'text', text: 'hello mcp' }] },
      error: null,
      durationMs: expect.any(Number),
    });
    expect(outputOf(1, 'call_1')).toBe('hello mcp');
    expect(outputOf(2, 'call_2')).toMatch(/from everything/);
    expect(params(mcpEvents[3]!).item.arguments).toEqual({ message: 'from everything' });
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
  });

  it('a server that takes 5 s to start holds up neither thread/start nor a turn that does not use it', async () => {
    const { keel } = await start([serverToml('sluggish', FIXTURE, {}, { FIXTURE_START_DELAY_MS: '5000' })]);
    const before = keel.messages.length;
    const { thread } = await keel.request('thread/start', FULL_ACCESS);
    await keel.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && params(m).status === 'starting');
    fake.script(wire.route, [{ sse: wire.stream([wire.message('No tools needed.')]) }]);
    const seq = await runTurn(keel, thread.id, 'just talk');
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
    // The turn was over before the server was ready: it was offered no tool of it.
    const ready = keel.messages.slice(before).findIndex((m) => m.method === 'mcpServer/startupStatus/updated' && params(m).status === 'ready');
    expect(ready).toBe(-1);
    expect((fake.calls[0]!.body as { tools: Array<{ name: string }> }).tools.some((tool) => tool.name.startsWith('mcp__'))).toBe(false);
    expect((await statusOf(keel, 'sluggish')).runtimeStatus).toBe('starting');
    await startup(keel, 'sluggish', 'ready');
    expect((await statusOf(keel, 'sluggish')).runtimeStatus).toBe('connected');
  });

  it('a turn keeps the tools of its first call: a server ready mid-turn joins at the next turn (the turn\'s cached prefix holds)', async () => {
    const { keel } = await start([serverToml('late', FIXTURE, {}, { FIXTURE_START_DELAY_MS: '1500' })]);
    const { thread } = await keel.request('thread/start', FULL_ACCESS);
    const flag = path.join(makeTempHome(), 'go');
    fake.script(wire.route, [
      // The command waits for the test, which lets it end once the server is ready: call 2 comes after.
      { sse: wire.stream([wire.functionCall('c_wait', 'exec_command', JSON.stringify({ cmd: `while [ ! -e ${flag} ]; do sleep 0.05; done; echo go` }))]) },
      { sse: wire.stream([wire.message('Waited.')]) },
      { sse: wire.stream([wire.message('Now with tools.')]) },
    ]);
    const turn = runTurn(keel, thread.id, 'wait');
    await startup(keel, 'late', 'ready');
    fs.writeFileSync(flag, '');
    expect(turnOf(await turn)).toMatchObject({ status: 'completed' });
    await runTurn(keel, thread.id, 'again');
    const offered = (index: number) => (fake.calls[index]!.body as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name).filter((name) => name.startsWith('mcp__'));
    expect([offered(0), offered(1)]).toEqual([[], []]);
    expect(offered(2)).toEqual(expect.arrayContaining(['mcp__late__echo']));
    expect((fake.calls[1]!.body as { tools: unknown }).tools).toEqual((fake.calls[0]!.body as { tools: unknown }).tools);
  });

  it('a crash mid-call fails that call clearly, and the server is restarted; a hung call times out', async () => {
    const { keel, home } = await start([serverToml('fragile', FIXTURE, { tool_timeout_sec: 0.5 }, { FIXTURE_PID_FILE: path.join(makeTempHome(), 'pid') })]);
    const pidFile = fs.readFileSync(path.join(home, 'config.toml'), 'utf8').match(/FIXTURE_PID_FILE = "([^"]+)"/)![1]!;
    const { thread } = await keel.request('thread/start', FULL_ACCESS);
    await startup(keel, 'fragile', 'ready');
    const firstPid = pidIn(pidFile);
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_c', 'mcp__fragile__crash', '{}')]) },
      { sse: wire.stream([wire.message('It crashed.')]) },
    ]);
    const seq = await runTurn(keel, thread.id, 'crash it');
    const crashed = completedItems(seq).find((item) => item.id === 'call_c');
    expect(crashed).toMatchObject({ type: 'mcpToolCall', status: 'failed', result: null, error: { message: expect.stringMatching(/fragile.*exited.*crash|crash.*fragile.*exited/i) } });
    expect(outputOf(1, 'call_c')).toBe(`Error: ${crashed.error.message}`);
    // The first ready was taken above: this is the restart's (failed, then starting, then ready).
    await startup(keel, 'fragile', 'failed');
    await startup(keel, 'fragile', 'ready');
    expect(pidIn(pidFile)).not.toBe(firstPid);
    expect(await gone(firstPid)).toBe(true);

    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_s', 'mcp__fragile__slow', '{"ms":10000}')]) },
      { sse: wire.stream([wire.message('It hung.')]) },
    ]);
    const hung = await runTurn(keel, thread.id, 'wait long');
    expect(completedItems(hung).find((item) => item.id === 'call_s')).toMatchObject({ status: 'failed', error: { message: 'MCP server fragile did not answer the call to slow within 500 ms (the request was cancelled)' } });
    expect(methods(hung).filter((m) => m === 'turn/completed')).toHaveLength(1);
  });

  it('reload after removing a server stops its process; after 50 threads and shutdown no server process is left', async () => {
    const pids = makeTempHome();
    const { keel, home } = await start([
      serverToml('keep', FIXTURE, {}, { FIXTURE_PID_FILE: path.join(pids, 'keep') }),
      serverToml('drop', FIXTURE, {}, { FIXTURE_PID_FILE: path.join(pids, 'drop') }),
    ]);
    for (let i = 0; i < 50; i++) await keel.request('thread/start', FULL_ACCESS);
    await Promise.all([startup(keel, 'keep', 'ready'), startup(keel, 'drop', 'ready')]);
    const keep = pidIn(path.join(pids, 'keep'));
    const drop = pidIn(path.join(pids, 'drop'));
    // One process per server, however many threads.
    expect((await keel.request('mcpServerStatus/list', {})).data.map((s) => [s.name, s.runtimeStatus])).toEqual([['keep', 'connected'], ['drop', 'connected']]);
    const config = fs.readFileSync(path.join(home, 'config.toml'), 'utf8');
    fs.writeFileSync(path.join(home, 'config.toml'), config.slice(0, config.indexOf('[mcp_servers.drop]')));
    expect(await keel.request('config/mcpServer/reload', {})).toEqual({});
    expect(await gone(drop)).toBe(true);
    expect(alive(keep)).toBe(true);
    expect((await keel.request('mcpServerStatus/list', {})).data.map((s) => s.name)).toEqual(['keep']);
    // Added through config/value/write (as a client's settings page would), applied by a reload.
    await keel.request('config/value/write', { keyPath: 'mcp_servers.added', value: { command: process.execPath, args: [FIXTURE], env: { FIXTURE_PID_FILE: path.join(pids, 'added') } }, mergeStrategy: 'replace' });
    await keel.request('config/mcpServer/reload', {});
    // Started when a thread needs it, as at start-up.
    expect((await keel.request('mcpServerStatus/list', {})).data.map((s) => [s.name, s.runtimeStatus])).toEqual([['keep', 'connected'], ['added', 'notStarted']]);
    await keel.request('thread/start', FULL_ACCESS);
    await startup(keel, 'added', 'ready');
    const added = pidIn(path.join(pids, 'added'));
    expect(await keel.close()).toBe(0);
    expect(await gone(added)).toBe(true);
    expect(await gone(keep)).toBe(true);
  });

  it('a thread that names an empty set of servers gets no MCP tools; an unknown name is warned about', async () => {
    const { keel } = await start([serverToml('fixture', FIXTURE)]);
    const { thread } = await keel.request('thread/start', { ...FULL_ACCESS, config: { mcp_servers: {} } } as never);
    const { thread: other } = await keel.request('thread/start', { ...FULL_ACCESS, config: { mcp_servers: { nosuch: {} } } } as never);
    const warning = await keel.waitFor((m) => m.method === 'warning' && params(m).threadId === other.id);
    expect(params(warning).message).toBe('config.mcp_servers names nosuch, not configured in config.toml (or disabled): the thread does without');
    expect((await keel.request('mcpServerStatus/list', { threadId: thread.id })).data).toEqual([]);
    expect(await keel.request('mcpServer/tool/call', { threadId: thread.id, server: 'fixture', tool: 'echo', arguments: { text: 'x' } }).catch((e) => e.error)).toEqual({
      code: -32600,
      message: `thread ${thread.id} does not use MCP server fixture (its config.mcp_servers leaves it out)`,
    });
  });

  it('clients call tools and read resources directly; OAuth login is answered not supported', async () => {
    const { keel } = await start([serverToml('fixture', FIXTURE)]);
    const { thread } = await keel.request('thread/start', FULL_ACCESS);
    expect(await keel.request('mcpServer/tool/call', { threadId: thread.id, server: 'fixture', tool: 'add', arguments: { a: 2, b: 3 } })).toEqual({ content: [{ type: 'text', text: '5' }], isError: false });
    expect(await keel.request('mcpServer/resource/read', { server: 'fixture', uri: 'fixture://hello' })).toEqual({ contents: [{ uri: 'fixture://hello', mimeType: 'text/plain', text: expect.any(String) }], originCallId: null });
    expect(await keel.request('mcpServer/oauth/login', { name: 'fixture' }).catch((e) => e.error)).toEqual({
      code: -32600,
      message: 'MCP OAuth login is not supported by Keel; give a streamable-HTTP server its token with `bearer_token_env_var` in config.toml',
    });
  });

  it('an image a tool returns reaches the model as an image after the tool result', async () => {
    const { keel } = await start([serverToml('fixture', FIXTURE)]);
    const { thread } = await keel.request('thread/start', FULL_ACCESS);
    await startup(keel, 'fixture', 'ready');
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_i', 'mcp__fixture__image', '{}')]) },
      { sse: wire.stream([wire.message('A pixel.')]) },
    ]);
    const seq = await runTurn(keel, thread.id, 'show me');
    const item = completedItems(seq).find((entry) => entry.id === 'call_i');
    expect(item).toMatchObject({ status: 'completed', result: { content: [{ type: 'image', mimeType: 'image/png', data: expect.any(String) }] } });
    const input = conversationBody(fake.calls[1]!).input as Array<Record<string, any>>;
    const at = input.findIndex((entry) => entry.type === 'function_call_output' && entry.call_id === 'call_i');
    expect(input[at]!.output).toBe('[image image/png]');
    expect(input[at + 1]).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_image', image_url: `data:image/png;base64,${item.result.content[0].data}`, detail: 'auto' }] });
  });

  it('a tool whose approval mode is prompt is asked through mcpServer/elicitation/request: accepted it runs, declined it does not', async () => {
    const { keel } = await start([serverToml('fixture', FIXTURE, { default_tools_approval_mode: 'prompt' })]);
    const { thread } = await keel.request('thread/start', { approvalPolicy: 'on-request', sandbox: 'read-only' });
    await startup(keel, 'fixture', 'ready');
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_a', 'mcp__fixture__echo', '{"text":"yes"}')]) },
      { sse: wire.stream([wire.functionCall('call_b', 'mcp__fixture__echo', '{"text":"no"}')]) },
      { sse: wire.stream([wire.message('One of two.')]) },
    ]);
    const before = keel.messages.length;
    const turn = runTurn(keel, thread.id, 'echo twice');
    const asked = await keel.waitFor((m) => m.method === 'mcpServer/elicitation/request' && m.id !== undefined);
    keel.sendLine(JSON.stringify({ id: asked.id, result: { action: 'accept', content: null } }));
    const second = await keel.waitFor((m) => m.method === 'mcpServer/elicitation/request' && m.id !== undefined);
    keel.sendLine(JSON.stringify({ id: second.id, result: { action: 'decline' } }));
    const seq = await turn;
    expect(asked.params).toEqual({
      threadId: thread.id,
      turnId: turnOf(seq).id,
      serverName: 'fixture',
      mode: 'form',
      message: 'Allow the MCP tool echo of server fixture to run with {"text":"yes"}?',
      requestedSchema: { type: 'object', properties: {} },
      _meta: null,
    });
    const window = keel.messages.slice(before).filter((m) => m.method !== undefined);
    const from = window.findIndex((m) => m.method === 'item/started' && params(m).item.id === 'call_a');
    expect(methods(window.slice(from, from + 6))).toEqual(['item/started', 'thread/status/changed', 'mcpServer/elicitation/request', 'serverRequest/resolved', 'thread/status/changed', 'item/completed']);
    const items = completedItems(seq);
    expect(items.find((item) => item.id === 'call_a')).toMatchObject({ status: 'completed', result: { content: [{ type: 'text', text: 'yes' }] } });
    expect(items.find((item) => item.id === 'call_b')).toMatchObject({ status: 'failed', result: null, error: { message: 'the call was not made: the user declined it' } });
    const audit = (await keel.request('thread/read', { threadId: thread.id, includeApprovals: true } as never)) as { approvals: Array<Record<string, unknown>> };
    expect(audit.approvals.map((a) => [a.kind, a.subject, a.decision, a.decidedBy])).toEqual([
      ['mcpToolApproval', 'fixture/echo', 'accept', 'client'],
      ['mcpToolApproval', 'fixture/echo', 'decline', 'client'],
    ]);
  });
});

