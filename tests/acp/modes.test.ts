// Session modes and model selection over ACP, driven by the official SDK's client: modes from
// Keel's approval and sandbox presets (and Plan), applied from the next prompt and kept by the
// thread; a `model` config option over every configured provider's models, switched between two
// providers (fake OpenAI Responses and Anthropic Messages servers) within one session.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAcpAgent, type AcpAgent } from '../helpers/acp-agent.js';
import { startFakeModelServer, type FakeModelServer } from '../helpers/fake-model-server.js';
import { anthropic, responses } from '../helpers/wire-streams.js';

// Every answer and session/update Keel writes is checked against ACP's published schema after each
// test, which also stops the agents it started (acp-agent.ts); the fake model servers are closed here.
const servers: FakeModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function agent(options: Parameters<typeof startAcpAgent>[0]): Promise<AcpAgent> {
  const started = await startAcpAgent(options);
  await started.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
  return started;
}

const PRESET_MODES = [
  { id: 'read-only', name: 'Read only', description: 'Reads files; asks before any edit, command outside the read-only sandbox or network use.' },
  { id: 'default', name: 'Default', description: 'Edits files and runs commands in the workspace (workspace-write sandbox); asks before leaving it.' },
  { id: 'full-access', name: 'Full access', description: 'Edits files and runs commands anywhere, network included (no sandbox); never asks.' },
  { id: 'plan', name: 'Plan', description: "Keel's Plan mode: reads and proposes a plan, changes nothing." },
];
const CUSTOM_MODE = { id: 'custom', name: 'As configured', description: 'Approval policy "untrusted", sandbox danger-full-access.' };
const effortOption = (currentValue: string) => ({
  type: 'select',
  id: 'reasoning_effort',
  name: 'Reasoning effort',
  category: 'thought_level',
  description: 'How hard the model thinks before it answers',
  currentValue,
  options: ['low', 'medium', 'high'].map((effort) => ({ value: effort, name: effort, description: `${effort} reasoning effort` })),
});
const modeUpdates = (keel: AcpAgent) => keel.updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'current_mode_update');
const run = (cmd: string) => ({ toolCall: { name: 'exec_command', arguments: { cmd, login: false, yield_time_ms: 30_000 } } });

describe('ACP session modes', () => {
  it('offers the presets and Plan, starts in the thread\'s, and answers the scripted model as the one model option', async () => {
    const keel = await agent({});
    const answer = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    expect(answer).toEqual({
      sessionId: expect.any(String),
      // Keel's defaults: on-request approvals in a read-only sandbox.
      modes: { currentModeId: 'read-only', availableModes: PRESET_MODES },
      configOptions: [
        {
          type: 'select',
          id: 'model',
          name: 'Model',
          category: 'model',
          description: 'The model the next prompt goes to, of any provider Keel is set up for',
          currentValue: 'scripted/scripted',
          options: [{ group: 'scripted', name: 'scripted', options: [{ value: 'scripted/scripted', name: 'Scripted (offline)', description: 'Scripted (offline), 1,000,000-token context' }] }],
        },
        effortOption('medium'),
      ],
    });
  });

  it('a mode applies from the next prompt: full access runs without asking, back to the configured mode asks again, and the thread keeps it', async () => {
    const keel = await agent({
      script: [[run('echo one > one.txt')], [{ text: 'one' }], [run('echo two > two.txt')], [{ text: 'two' }], [run('echo three > three.txt')], [{ text: 'three' }]],
      args: ['-c', 'approval_policy="untrusted"', '-c', 'sandbox_mode="danger-full-access"'],
    });
    const { sessionId, modes } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    expect(modes).toEqual({ currentModeId: 'custom', availableModes: [...PRESET_MODES, CUSTOM_MODE] });
    const prompt = async (text: string) => expect(await keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] })).toEqual({ stopReason: 'end_turn' });

    await prompt('one');
    expect(keel.permissions).toHaveLength(1);
    expect(await keel.context.request('session/set_mode', { sessionId, modeId: 'full-access' })).toEqual({});
    await expect.poll(() => modeUpdates(keel)).toEqual([{ sessionUpdate: 'current_mode_update', currentModeId: 'full-access' }]);
    await prompt('two');
    expect(keel.permissions).toHaveLength(1);

    // The thread keeps the mode: a new process loading the session starts in it.
    const other = await agent({ home: keel.home });
    expect((await other.context.request('session/load', { sessionId, cwd: keel.home, mcpServers: [] })).modes).toEqual({ currentModeId: 'full-access', availableModes: PRESET_MODES });
    expect(other.problems).toEqual([]);
    await other.close();

    await keel.context.request('session/set_mode', { sessionId, modeId: 'custom' });
    await prompt('three');
    expect(keel.permissions.map((asked) => asked.toolCall.title)).toEqual([expect.stringContaining('echo one'), expect.stringContaining('echo three')]);
    expect(modeUpdates(keel).map((u) => (u as { currentModeId: string }).currentModeId)).toEqual(['full-access', 'custom']);
  });

  it('Plan mode: the next prompt is a Plan turn, whose writes are refused', async () => {
    const patch = { toolCall: { name: 'apply_patch', arguments: { input: '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch\n' } } };
    const keel = await agent({ script: [[patch], [{ text: 'Planned.' }]], args: ['-c', 'sandbox_mode="danger-full-access"', '-c', 'approval_policy="never"'] });
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    await keel.context.request('session/set_mode', { sessionId, modeId: 'plan' });
    expect(modeUpdates(keel)).toEqual([{ sessionUpdate: 'current_mode_update', currentModeId: 'plan' }]);
    expect(await keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'plan it' }] })).toEqual({ stopReason: 'end_turn' });
    expect(fs.existsSync(path.join(keel.home, 'a.txt'))).toBe(false);
    // Refused by Plan mode's gate: full access would have let it through without asking.
    // The edit shows its diff when it starts, and ends failed (its completion keeps the content shown).
    const updates = keel.updates.map((n) => n.update);
    expect(updates.filter((u) => u.sessionUpdate === 'tool_call')).toEqual([expect.objectContaining({ kind: 'edit', content: [expect.objectContaining({ type: 'diff', newText: 'hi\n' })] })]);
    expect(updates.filter((u) => u.sessionUpdate === 'tool_call_update')).toEqual([{ sessionUpdate: 'tool_call_update', toolCallId: 'call_1_1', status: 'failed' }]);
    expect(keel.permissions).toEqual([]);
  });

  it('Plan mode outlives the process: session/load answers plan and the next prompt is a Plan turn; leaving it and loading again shows the preset', async () => {
    const openai = await startFakeModelServer();
    servers.push(openai);
    const env = { OPENAI_API_KEY: 'k1', OPENAI_BASE_URL: `${openai.url}/v1` };
    const args = ['-c', 'sandbox_mode="danger-full-access"', '-c', 'approval_policy="never"'];
    const listing = { json: { object: 'list', data: [{ id: 'gpt-5', object: 'model', created: 1, owned_by: 'openai' }] } };
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch';
    // One model listing per process; the turns' requests in order: the Plan turn, the loaded session's two calls, the turn after leaving Plan.
    openai.script('/v1/models', [listing, listing, listing]);
    openai.script(responses.route, [
      { sse: responses.stream([responses.message('Planned.')]) },
      { sse: responses.stream([responses.customToolCall('c1', 'apply_patch', patch)]) },
      { sse: responses.stream([responses.message('Still planning.')]) },
      { sse: responses.stream([responses.message('Out of Plan mode.')]) },
    ]);
    const modelRequests = () => openai.calls.filter((call) => call.path === responses.route).map((call) => call.body as { input: Array<{ role?: string; type?: string; content?: unknown; call_id?: string; output?: unknown }> });
    const developerTexts = (body: ReturnType<typeof modelRequests>[number]) => body.input.filter((entry) => entry.role === 'developer').map((entry) => JSON.stringify(entry.content));
    const planRules = (body: ReturnType<typeof modelRequests>[number]) => developerTexts(body).filter((text) => text.includes('You are in Plan mode.')).length;
    const planEnded = (body: ReturnType<typeof modelRequests>[number]) => developerTexts(body).filter((text) => text.includes('Plan mode has ended')).length;

    const first = await agent({ env, args });
    const { sessionId } = await first.context.request('session/new', { cwd: first.home, mcpServers: [] });
    await first.context.request('session/set_mode', { sessionId, modeId: 'plan' });
    expect(await first.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'plan it' }] })).toEqual({ stopReason: 'end_turn' });
    await first.close();

    // A new process: the thread's last turn ran in Plan mode, so the session is in Plan.
    const second = await agent({ env, args, home: first.home });
    const loaded = await second.context.request('session/load', { sessionId, cwd: first.home, mcpServers: [] });
    expect(loaded.modes).toEqual({ currentModeId: 'plan', availableModes: PRESET_MODES });
    expect(await second.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'write a.txt' }] })).toEqual({ stopReason: 'end_turn' });
    // A Plan turn: the write was refused by Plan mode's gate (full access would have let it through), and the model was never told Plan mode ended.
    expect(fs.existsSync(path.join(first.home, 'a.txt'))).toBe(false);
    expect(modelRequests()[2]!.input.find((entry) => entry.type === 'custom_tool_call_output' && entry.call_id === 'c1')?.output).toBe(
      'The change was not applied: Plan mode: files may not be changed; propose the change in your plan instead.',
    );
    expect(modelRequests().map((body) => [planRules(body), planEnded(body)])).toEqual([[1, 0], [1, 0], [1, 0]]);
    expect(second.permissions).toEqual([]);

    // Out of Plan: the next prompt tells the model so, and from then on the thread shows its preset.
    await second.context.request('session/set_mode', { sessionId, modeId: 'full-access' });
    expect(modeUpdates(second)).toEqual([{ sessionUpdate: 'current_mode_update', currentModeId: 'full-access' }]);
    expect(await second.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'now do it' }] })).toEqual({ stopReason: 'end_turn' });
    expect([planRules(modelRequests()[3]!), planEnded(modelRequests()[3]!)]).toEqual([1, 1]);
    await second.close();

    const third = await agent({ env, args, home: first.home });
    expect((await third.context.request('session/load', { sessionId, cwd: first.home, mcpServers: [] })).modes).toEqual({ currentModeId: 'full-access', availableModes: PRESET_MODES });
    openai.assertDone();
  });

  it('refuses a mode Keel does not offer, naming the ones it does', async () => {
    const keel = await agent({});
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    await expect(keel.context.request('session/set_mode', { sessionId, modeId: 'yolo' })).rejects.toMatchObject({
      code: -32602,
      message: 'Invalid params: modeId: Keel has no mode "yolo" for this session (it has: read-only, default, full-access, plan)',
    });
  });
});

describe('ACP model selection', () => {
  it('switches between two providers within one session: the first prompt reaches OpenAI, the second Anthropic', async () => {
    const openai = await startFakeModelServer();
    const claude = await startFakeModelServer();
    servers.push(openai, claude);
    openai.script('/v1/models', [{ json: { object: 'list', data: [{ id: 'gpt-5', object: 'model', created: 1, owned_by: 'openai' }] } }]);
    openai.script(responses.route, [{ sse: responses.stream([responses.message('From OpenAI.')]) }]);
    claude.script('/v1/models', [{ json: { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-5', last_id: 'claude-sonnet-4-5' } }]);
    claude.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('From Anthropic.')]) }]);
    const keel = await agent({ env: { OPENAI_API_KEY: 'k1', OPENAI_BASE_URL: `${openai.url}/v1`, ANTHROPIC_API_KEY: 'k2', ANTHROPIC_BASE_URL: claude.url } });

    const { sessionId, configOptions } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    const modelOption = (currentValue: string) => ({
      type: 'select',
      id: 'model',
      name: 'Model',
      category: 'model',
      description: 'The model the next prompt goes to, of any provider Keel is set up for',
      currentValue,
      options: [
        { group: 'openai', name: 'openai', options: [{ value: 'openai/gpt-5', name: 'GPT-5', description: expect.stringContaining('OpenAI') }] },
        { group: 'anthropic', name: 'anthropic', options: [{ value: 'anthropic/claude-sonnet-4-5', name: 'Claude Sonnet 4.5', description: expect.stringContaining('Claude Sonnet 4.5') }] },
      ],
    });
    expect(configOptions).toEqual([modelOption('openai/gpt-5'), effortOption('medium')]);
    const prompt = (text: string) => keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] });
    const answers = () => keel.updates.filter((n) => n.update.sessionUpdate === 'agent_message_chunk').map((n) => (n.update as { content: { text: string } }).content.text).join('');
    const modelCalls = (server: FakeModelServer, route: string) => server.calls.filter((call) => call.path === route);

    const high = [modelOption('openai/gpt-5'), effortOption('high')];
    expect(await keel.context.request('session/set_config_option', { sessionId, configId: 'reasoning_effort', value: 'high' })).toEqual({ configOptions: high });
    expect(await prompt('one')).toEqual({ stopReason: 'end_turn' });
    expect([modelCalls(openai, responses.route).length, modelCalls(claude, anthropic.route).length]).toEqual([1, 0]);
    expect(modelCalls(openai, responses.route)[0]!.body).toMatchObject({ model: 'gpt-5', reasoning: { effort: 'high' } });
    const claudeHigh = [modelOption('anthropic/claude-sonnet-4-5'), effortOption('high')];
    expect(await keel.context.request('session/set_config_option', { sessionId, configId: 'model', value: 'anthropic/claude-sonnet-4-5' })).toEqual({ configOptions: claudeHigh });
    expect(keel.updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'config_option_update')).toEqual([
      { sessionUpdate: 'config_option_update', configOptions: high },
      { sessionUpdate: 'config_option_update', configOptions: claudeHigh },
    ]);
    expect(await prompt('two')).toEqual({ stopReason: 'end_turn' });
    expect([modelCalls(openai, responses.route).length, modelCalls(claude, anthropic.route).length]).toEqual([1, 1]);
    expect(modelCalls(claude, anthropic.route)[0]!.body).toMatchObject({ model: 'claude-sonnet-4-5' });
    expect(answers()).toBe('From OpenAI.From Anthropic.');
    openai.assertDone();
    claude.assertDone();
  });

  it('refuses a config option or a model Keel does not offer', async () => {
    const keel = await agent({});
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    await expect(keel.context.request('session/set_config_option', { sessionId, configId: 'speed', value: 'fast' })).rejects.toMatchObject({ code: -32602, message: 'Invalid params: configId: Keel has no config option "speed" (it has: model, reasoning_effort)' });
    await expect(keel.context.request('session/set_config_option', { sessionId, configId: 'model', value: 'openai/gpt-5' })).rejects.toMatchObject({
      code: -32602,
      message: 'Invalid params: value: "openai/gpt-5" is none of the models offered (a value is <provider>/<model>)',
    });
  });
});
