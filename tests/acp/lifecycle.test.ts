// The rest of ACP's session lifecycle, end to end with the SDK's client: session/resume in a new
// process (no history sent, the thread continues), session/close mid-turn (the prompt answered
// cancelled, nothing more heard, the editor's MCP server stopped, a later prompt joins the session
// again), session/delete (gone from session/list and from session/load; refused while a prompt
// runs), and logout (auth.json removed; a key from the environment stays). Every line Keel writes
// is schema-checked after each test (acp-agent.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { McpServer, SessionNotification } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { AuthStore } from '../../src/config/auth-store.js';
import { startAcpAgent, type AcpAgent } from '../helpers/acp-agent.js';
import { modelCalls } from '../helpers/acp-model-listing.js';
import { startRawAcp } from '../helpers/acp-raw-client.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { FIXTURE_SERVER, processAlive, waitForPid } from '../mcp/mcp-fixtures.js';

const fake = useFakeModelServer();

async function agent(options: Parameters<typeof startAcpAgent>[0]): Promise<AcpAgent> {
  const started = await startAcpAgent(options);
  await started.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
  return started;
}

const onFakeOpenAi = () => ({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` });
const models = { json: { object: 'list', data: [{ id: 'gpt-5', object: 'model', created: 1, owned_by: 'openai' }] } };
const textOf = (updates: SessionNotification[], sessionId: string) =>
  updates
    .filter((n) => n.sessionId === sessionId && n.update.sessionUpdate === 'agent_message_chunk')
    .map((n) => (n.update as { content: { text: string } }).content.text)
    .join('');

/** The conversation a model call was sent: each message's role and text (instructions and context items left out). */
function conversation(body: unknown): Array<{ role: string; text: string }> {
  const input = (body as { input: Array<{ type?: string; role: string; content: string | Array<{ text?: string }> }> }).input;
  return input
    .filter((item) => (item.type ?? 'message') === 'message' && (item.role === 'user' || item.role === 'assistant'))
    .map((item) => ({ role: item.role, text: typeof item.content === 'string' ? item.content : item.content.map((part) => part.text ?? '').join('') }))
    .filter((message) => !message.text.startsWith('<'));
}

describe('keel acp: session/resume', () => {
  it('in a new process sends no history, and the next prompt continues the thread: the model is sent the earlier turn', async () => {
    fake.script('/v1/models', [models, models]);
    fake.script(wire.route, [{ sse: wire.stream([wire.message('First answer.')]) }, { sse: wire.stream([wire.message('Second answer.')]) }]);
    const first = await agent({ env: onFakeOpenAi() });
    const { sessionId } = await first.context.request('session/new', { cwd: first.home, mcpServers: [] });
    expect(await first.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'one' }] })).toEqual({ stopReason: 'end_turn' });
    expect(await first.close()).toBe(0);

    const second = await agent({ home: first.home, env: onFakeOpenAi() });
    expect(await second.context.request('session/resume', { sessionId, cwd: first.home, mcpServers: [] })).toEqual({ modes: expect.any(Object), configOptions: expect.any(Array) });
    expect(await second.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'two' }] })).toEqual({ stopReason: 'end_turn' });
    // The session's commands (sent after the answer), then only the new turn: its answer, its usage
    // and its end — no replayed user message or earlier answer.
    expect(second.updates.map((n) => n.update.sessionUpdate)).toEqual(['available_commands_update', 'agent_message_chunk', 'usage_update', 'session_info_update']);
    expect(textOf(second.updates, sessionId)).toBe('Second answer.');
    expect(conversation(modelCalls(fake)[1]!.body)).toEqual([
      { role: 'user', text: 'one' },
      { role: 'assistant', text: 'First answer.' },
      { role: 'user', text: 'two' },
    ]);
  });

  it('answers -32002 for a session that does not exist', async () => {
    const keel = await agent({});
    await expect(keel.context.request('session/resume', { sessionId: 'no-such-session', cwd: keel.home, mcpServers: [] })).rejects.toMatchObject({
      code: -32002,
      message: 'Resource not found: thread not found: no-such-session',
    });
  });
});

describe('keel acp: session/close', () => {
  it('cancels the running prompt, hears nothing more of the session, stops its editor\'s MCP server; a later prompt joins it again', async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-close-')), 'pid');
    const server: McpServer = { name: 'editor', command: process.execPath, args: [FIXTURE_SERVER], env: [{ name: 'FIXTURE_PID_FILE', value: pidFile }] };
    const keel = await agent({ script: [[{ text: 'Working on it' }, { stall: true }], [{ text: 'Other session.' }], [{ text: 'Back again.' }]] });
    const closing = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [server] });
    const other = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    const pid = await waitForPid(pidFile);
    const prompt = keel.context.request('session/prompt', { sessionId: closing.sessionId, prompt: [{ type: 'text', text: 'go' }] });
    await expect.poll(() => textOf(keel.updates, closing.sessionId), { timeout: 15_000 }).toBe('Working on it');

    expect(await keel.context.request('session/close', { sessionId: closing.sessionId })).toEqual({});
    expect(await prompt).toEqual({ stopReason: 'cancelled' });
    await expect.poll(() => processAlive(pid), { timeout: 10_000 }).toBe(false);

    // A whole prompt of another session later, nothing of the closed one has come.
    const heardAtClose = keel.updates.length;
    expect(await keel.context.request('session/prompt', { sessionId: other.sessionId, prompt: [{ type: 'text', text: 'other' }] })).toEqual({ stopReason: 'end_turn' });
    expect(keel.updates.slice(heardAtClose).map((n) => [n.sessionId, n.update.sessionUpdate])).toEqual([
      [other.sessionId, 'agent_message_chunk'],
      [other.sessionId, 'usage_update'],
      [other.sessionId, 'session_info_update'],
    ]);

    // As a session of an earlier connection: joined again (without its history), and heard.
    const heardBefore = keel.updates.length;
    expect(await keel.context.request('session/prompt', { sessionId: closing.sessionId, prompt: [{ type: 'text', text: 'again' }] })).toEqual({ stopReason: 'end_turn' });
    expect(textOf(keel.updates.slice(heardBefore), closing.sessionId)).toBe('Back again.');
  });

  it('sent right behind a prompt, before its turn has begun, still cancels that turn and answers the prompt', async () => {
    const raw = startRawAcp({ script: [[{ text: 'Working' }, { stall: true }]] });
    await raw.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    const { result } = await raw.request('session/new', { cwd: raw.home, mcpServers: [] });
    const { sessionId } = result as { sessionId: string };
    // One write: Keel reads both requests in the same chunk, the close while the prompt's turn is still being started.
    const prompt = { jsonrpc: '2.0', id: 10, method: 'session/prompt', params: { sessionId, prompt: [{ type: 'text', text: 'go' }] } };
    const close = { jsonrpc: '2.0', id: 11, method: 'session/close', params: { sessionId } };
    raw.write(`${JSON.stringify(prompt)}\n${JSON.stringify(close)}`);
    expect(await raw.waitFor((message) => message.id === 11)).toEqual({ jsonrpc: '2.0', id: 11, result: {} });
    expect(await raw.waitFor((message) => message.id === 10)).toEqual({ jsonrpc: '2.0', id: 10, result: { stopReason: 'cancelled' } });
  });

  it('answers -32002 for a session that does not exist', async () => {
    const raw = startRawAcp({});
    await raw.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    expect(await raw.request('session/close', { sessionId: 'no-such-session' })).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: { code: -32002, message: 'Resource not found: thread not found: no-such-session' },
    });
  });
});

describe('keel acp: session/delete', () => {
  it('is refused while a prompt runs; once cancelled, removes the session from session/list, and session/load answers -32002', async () => {
    const keel = await agent({ script: [[{ text: 'Working' }, { stall: true }]] });
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    const prompt = keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'go' }] });
    await expect.poll(() => textOf(keel.updates, sessionId), { timeout: 15_000 }).toBe('Working');
    await expect(keel.context.request('session/delete', { sessionId })).rejects.toMatchObject({
      code: -32600,
      message: `session ${sessionId} has a prompt running: cancel it (session/cancel) or close the session (session/close) first`,
    });
    await keel.context.notify('session/cancel', { sessionId });
    expect(await prompt).toEqual({ stopReason: 'cancelled' });
    expect(await keel.context.request('session/list', {})).toEqual({ sessions: [{ sessionId, cwd: keel.home, title: 'go', updatedAt: expect.any(String) }], nextCursor: null });

    expect(await keel.context.request('session/delete', { sessionId })).toEqual({});
    expect(await keel.context.request('session/list', {})).toEqual({ sessions: [], nextCursor: null });
    await expect(keel.context.request('session/load', { sessionId, cwd: keel.home, mcpServers: [] })).rejects.toMatchObject({ code: -32002, message: `Resource not found: thread not found: ${sessionId}` });
  });

  it('answers -32002 for a session that does not exist', async () => {
    const raw = startRawAcp({});
    await raw.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    expect(await raw.request('session/delete', { sessionId: 'no-such-session' })).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: { code: -32002, message: 'Resource not found: thread not found: no-such-session' },
    });
  });
});

describe('keel acp: logout', () => {
  /** A Keel home on OpenAI whose key was stored as account/login stores it (auth.json). */
  function homeWithStoredKey(): string {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-logout-'));
    fs.writeFileSync(path.join(home, 'config.toml'), 'model_provider = "openai"\n');
    new AuthStore(home).saveKey('OPENAI_API_KEY', 'sk-stored');
    return home;
  }
  const openAiMethod = {
    id: 'api-key:openai',
    name: 'OpenAI API key',
    description: 'Set OPENAI_API_KEY in the environment the editor starts `keel acp` with (Zed: agent_servers.<name>.env), then restart the agent.',
  };

  it('removes the stored key: the method is offered again and authenticate says the key is missing', async () => {
    const home = homeWithStoredKey();
    const keel = await startAcpAgent({ home });
    expect((await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} })).authMethods).toEqual([]);
    expect(await keel.context.request('authenticate', { methodId: 'api-key:openai' })).toEqual({});

    expect(await keel.context.request('logout', {})).toEqual({});
    expect(fs.existsSync(path.join(home, 'auth.json'))).toBe(false);
    await expect(keel.context.request('authenticate', { methodId: 'api-key:openai' })).rejects.toMatchObject({
      code: -32000,
      message: 'OpenAI needs an API key: OPENAI_API_KEY is not set. Set it in the environment keel acp starts with, then restart the agent.',
      data: { variable: 'OPENAI_API_KEY' },
    });
    expect((await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} })).authMethods).toEqual([openAiMethod]);
  });

  it('cannot remove a key from the environment: the stored one goes, that one still serves', async () => {
    const home = homeWithStoredKey();
    const keel = await agent({ home, env: { OPENAI_API_KEY: 'sk-from-env' } });
    expect(await keel.context.request('logout', {})).toEqual({});
    expect(fs.existsSync(path.join(home, 'auth.json'))).toBe(false);
    expect(await keel.context.request('authenticate', { methodId: 'api-key:openai' })).toEqual({});
    expect((await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} })).authMethods).toEqual([]);
  });
});
