// `keel acp` driven by the official ACP SDK's client, end to end on the scripted model: the
// handshake, a session, a prompt whose answer streams as message chunks, a command run after a
// permission request, a cancel mid-stream, and session/load in a new process replaying the history.
// Every agent a test starts is stopped and its lines schema-checked after it (acp-agent.ts).
import { describe, expect, it } from 'vitest';
import { startAcpAgent as agent } from '../helpers/acp-agent.js';

describe('keel acp', () => {
  it('initializes as an ACP agent and streams a prompt\'s answer as agent message chunks', async () => {
    const keel = await agent({ script: [[{ text: 'Hello from ' }, { text: 'Keel.' }]] });
    const init = await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    expect(init).toEqual({
      protocolVersion: 1,
      agentCapabilities: { loadSession: true, promptCapabilities: { image: true, audio: false, embeddedContext: true }, mcpCapabilities: { http: true, sse: false }, sessionCapabilities: { list: {}, resume: {}, close: {}, delete: {} }, auth: { logout: {} } },
      authMethods: [],
      agentInfo: { name: 'keel', title: 'Keel', version: '0.1.0' },
    });
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    const answer = await keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'hi' }] });
    expect(answer).toEqual({ stopReason: 'end_turn' });
    const chunks = keel.updates.filter((n) => n.update.sessionUpdate === 'agent_message_chunk');
    expect(chunks.map((n) => (n.update as { content: { text: string } }).content.text).join('')).toBe('Hello from Keel.');
    expect(new Set(chunks.map((n) => n.sessionId))).toEqual(new Set([sessionId]));
    // Every message Keel wrote says its JSON-RPC version, as ACP asks.
    expect(keel.lines.every((line) => (line as { jsonrpc?: string }).jsonrpc === '2.0')).toBe(true);
  });

  it('asks permission before a command, runs it once allowed, and reports it as a tool call', async () => {
    const keel = await agent({
      script: [[{ toolCall: { name: 'exec_command', callId: 'c1', arguments: { cmd: 'echo acp-ran > ran.txt; cat ran.txt', login: false, yield_time_ms: 30_000 } } }], [{ text: 'Done.' }]],
      args: ['-c', 'approval_policy="untrusted"', '-c', 'sandbox_mode="danger-full-access"'],
    });
    await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    expect(await keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'run it' }] })).toEqual({ stopReason: 'end_turn' });
    expect(keel.permissions).toHaveLength(1);
    const asked = keel.permissions[0]!;
    expect(asked.sessionId).toBe(sessionId);
    expect(asked.toolCall).toMatchObject({ kind: 'execute', status: 'pending', title: expect.stringContaining('echo acp-ran') });
    expect(asked.options.map((option) => option.kind)).toEqual(['allow_once', 'allow_always', 'reject_once']);
    const toolUpdates = keel.updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update');
    expect(toolUpdates[0]).toMatchObject({ sessionUpdate: 'tool_call', toolCallId: asked.toolCall.toolCallId, kind: 'execute', status: 'in_progress' });
    expect(toolUpdates.at(-1)).toMatchObject({ sessionUpdate: 'tool_call_update', toolCallId: asked.toolCall.toolCallId, status: 'completed', rawOutput: { exitCode: 0 } });
    expect(JSON.stringify(toolUpdates.at(-1))).toContain('acp-ran');
  });

  it('ends a prompt cancelled mid-stream with stopReason cancelled', async () => {
    const keel = await agent({ script: [[{ text: 'Working on it' }, { stall: true }]] });
    await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    const prompt = keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'go' }] });
    await expect.poll(() => keel.updates.some((n) => n.update.sessionUpdate === 'agent_message_chunk'), { timeout: 15_000 }).toBe(true);
    await keel.context.notify('session/cancel', { sessionId });
    expect(await prompt).toEqual({ stopReason: 'cancelled' });
  });

  it('session/load in a new process replays the history as it was streamed, the user\'s messages too', async () => {
    const first = await agent({ script: [[{ text: 'First answer.' }], [{ text: 'Second ' }, { text: 'answer.' }]] });
    await first.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    const { sessionId } = await first.context.request('session/new', { cwd: first.home, mcpServers: [] });
    await first.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'one' }] });
    await first.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'two' }] });
    const live = first.updates.map((n) => n.update);
    expect(await first.close()).toBe(0);

    const second = await agent({ home: first.home });
    await second.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    expect(await second.context.request('session/list', {})).toEqual({ sessions: [{ sessionId, cwd: first.home, title: 'one', updatedAt: expect.any(String) }], nextCursor: null });
    expect(await second.context.request('session/load', { sessionId, cwd: first.home, mcpServers: [] })).toEqual({ modes: expect.any(Object), configOptions: expect.any(Array) });
    const replayed = second.updates.map((n) => n.update);
    const userChunk = (text: string) => expect.objectContaining({ sessionUpdate: 'user_message_chunk', content: { type: 'text', text } });
    const agentText = (updates: typeof live) => updates.filter((u) => u.sessionUpdate === 'agent_message_chunk').map((u) => (u as { content: { text: string } }).content.text).join('');
    expect(replayed.filter((u) => u.sessionUpdate === 'user_message_chunk')).toEqual([userChunk('one'), userChunk('two')]);
    expect(replayed.filter((u) => u.sessionUpdate !== 'user_message_chunk')).toEqual(live);
    expect(agentText(replayed)).toBe('First answer.Second answer.');
  });
});
