// The session updates an editor shows beside the conversation, driven end to end by the official
// SDK's client against a fake OpenAI Responses server whose streams report usage (so the context
// and the list-price cost are real): `usage_update`, `session_info_update`, the slash commands
// (`available_commands_update`; `/compact`, `/review`, a skill), `compaction_update` and `notice`
// (each only for a client that advertised it), and the same updates replayed by session/load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPACTION_PROMPT } from '../../src/engine/turns/compaction.js';
import { REVIEW_PROMPT, reviewRequest } from '../../src/engine/turns/review.js';
import { startAcpAgent, type AcpAgent } from '../helpers/acp-agent.js';
import { startFakeModelServer, type FakeModelServer } from '../helpers/fake-model-server.js';
import { listModelsOnce, modelCalls } from '../helpers/acp-model-listing.js';
import { spawnKeel, initialized } from '../helpers/keel-process.js';
import { responses } from '../helpers/wire-streams.js';

// Every message Keel writes is checked against ACP's schema after each test (acp-agent.ts).
const servers: FakeModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function openai(): Promise<FakeModelServer> {
  const server = await startFakeModelServer();
  servers.push(server);
  return server;
}

type Capabilities = { session?: { compaction?: object; notices?: object } };

async function agent(fake: FakeModelServer, capabilities: Capabilities, home?: string, models?: string[]): Promise<AcpAgent> {
  if (models === undefined) listModelsOnce(fake);
  else fake.script('/v1/models', [{ json: { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1, owned_by: 'openai' })) } }]);
  const keel = await startAcpAgent({ env: { OPENAI_API_KEY: 'k1', OPENAI_BASE_URL: `${fake.url}/v1` }, args: ['-c', 'model="gpt-5"'], ...(home !== undefined && { home }) });
  await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: capabilities });
  return keel;
}

const answer = (text: string, input: number, cached: number, output: number) => ({ sse: responses.stream([responses.message(text)], responses.usage(input, cached, output)) });
const updates = (keel: AcpAgent): SessionUpdate[] => keel.updates.map((n) => n.update);
const prompt = (keel: AcpAgent, sessionId: string, text: string) => keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] });
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
/** gpt-5's list prices (core/model-prices.ts): $1.25 per million input tokens, $0.125 cached, $10 output. */
const gpt5Usd = (input: number, cached: number, output: number) => ((input - cached) * 1.25 + cached * 0.125 + output * 10) / 1_000_000;
const COMMANDS = [
  { name: 'compact', description: "Compact the session's context: the model summarises the conversation so far, and later turns start from its summary" },
  { name: 'review', description: 'Review the uncommitted changes in the working tree (staged, unstaged and untracked)', input: { hint: 'what to look at especially (optional)' } },
];
const agentChunk = (text: string) => ({ sessionUpdate: 'agent_message_chunk', messageId: expect.any(String), content: { type: 'text', text } });
const lastUserText = (body: unknown) => {
  const input = (body as { input: Array<{ role?: string; content?: Array<{ text?: string }> }> }).input.filter((entry) => entry.role === 'user');
  return input.at(-1)!.content!.map((part) => part.text).join('\n');
};

describe('ACP session updates', () => {
  it('each call reports the context used, the window and the cost so far; each turn its end; the commands follow session/new', async () => {
    const fake = await openai();
    fake.script(responses.route, [answer('One.', 1000, 200, 50), answer('Two.', 3000, 1000, 100)]);
    const keel = await agent(fake, {});
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    expect(await prompt(keel, sessionId, 'one')).toEqual({ stopReason: 'end_turn' });
    expect(await prompt(keel, sessionId, 'two')).toEqual({ stopReason: 'end_turn' });
    expect(updates(keel)).toEqual([
      { sessionUpdate: 'available_commands_update', availableCommands: COMMANDS },
      agentChunk('One.'),
      // gpt-5's window, 400,000 tokens; the cost is the session's so far, to the micro-dollar.
      { sessionUpdate: 'usage_update', used: 1050, size: 400_000, cost: { amount: gpt5Usd(1000, 200, 50), currency: 'USD' } },
      { sessionUpdate: 'session_info_update', updatedAt: ISO },
      agentChunk('Two.'),
      { sessionUpdate: 'usage_update', used: 3100, size: 400_000, cost: { amount: Math.round((gpt5Usd(1000, 200, 50) + gpt5Usd(3000, 1000, 100)) * 1e6) / 1e6, currency: 'USD' } },
      { sessionUpdate: 'session_info_update', updatedAt: ISO },
    ]);
  });

  it('/compact compacts the thread (its summary shown to a client that takes compaction updates); session/load replays it, and the name given since as the title', async () => {
    const fake = await openai();
    fake.script(responses.route, [answer('Hello.', 1000, 0, 20), answer('The user said hello.', 1100, 0, 30), answer('After.', 200, 0, 10)]);
    const keel = await agent(fake, { session: { compaction: {} } });
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    // Keel's compaction takes no instructions: text after the command is refused, not dropped.
    await expect(prompt(keel, sessionId, '/compact keep the tests')).rejects.toMatchObject({ code: -32602, message: 'Invalid params: prompt[0].text: /compact takes no input: send it alone' });
    await prompt(keel, sessionId, 'hello');
    expect(await prompt(keel, sessionId, '/compact')).toEqual({ stopReason: 'end_turn' });
    await prompt(keel, sessionId, 'go on');
    const compactionId = (updates(keel).find((u) => u.sessionUpdate === 'compaction_update') as { compactionId: string }).compactionId;
    const live = updates(keel);
    expect(live.slice(4)).toEqual([
      { sessionUpdate: 'compaction_update', compactionId, status: 'in_progress' },
      // The compaction's own call read the old history: it reports no context (its cost shows in the next report).
      { sessionUpdate: 'compaction_update', compactionId, status: 'completed', summary: [{ type: 'text', text: 'The user said hello.' }] },
      { sessionUpdate: 'session_info_update', updatedAt: ISO },
      agentChunk('After.'),
      { sessionUpdate: 'usage_update', used: 210, size: 400_000, cost: { amount: Math.round((gpt5Usd(1000, 0, 20) + gpt5Usd(1100, 0, 30) + gpt5Usd(200, 0, 10)) * 1e6) / 1e6, currency: 'USD' } },
      { sessionUpdate: 'session_info_update', updatedAt: ISO },
    ]);
    const calls = modelCalls(fake);
    expect(lastUserText(calls[1]!.body)).toBe(COMPACTION_PROMPT);
    // After it, the model reads the summary, not the conversation before it.
    expect(JSON.stringify(calls[2]!.body)).toContain('The user said hello.');
    expect(JSON.stringify(calls[2]!.body)).not.toContain('"Hello."');
    expect(await keel.close()).toBe(0);

    // Named through the app-server (the same thread, the same log), then loaded in a new process.
    const appServer = spawnKeel({ home: keel.home, args: ['app-server'] });
    await initialized(appServer);
    await appServer.request('thread/name/set', { threadId: sessionId, name: 'Greetings' });
    await appServer.close();
    const second = await agent(fake, { session: { compaction: {} } }, keel.home);
    await second.context.request('session/load', { sessionId, cwd: keel.home, mcpServers: [] });
    const replayed = updates(second).filter((u) => u.sessionUpdate !== 'user_message_chunk');
    expect(replayed).toEqual([...live, { sessionUpdate: 'session_info_update', title: 'Greetings' }]);
    expect(updates(second).filter((u) => u.sessionUpdate === 'user_message_chunk').map((u) => (u as { content: { text: string } }).content.text)).toEqual(['hello', 'go on']);

    // A client that did not advertise compaction hears none of it.
    const third = await agent(fake, {}, keel.home);
    await third.context.request('session/load', { sessionId, cwd: keel.home, mcpServers: [] });
    expect(updates(third).filter((u) => u.sessionUpdate !== 'user_message_chunk')).toEqual(replayed.filter((u) => u.sessionUpdate !== 'compaction_update'));
  });

  it('/review runs a review turn of the uncommitted changes, with what follows it', async () => {
    const fake = await openai();
    fake.script(responses.route, [answer('Looks fine.', 500, 0, 10)]);
    const keel = await agent(fake, {});
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    expect(await prompt(keel, sessionId, '/review  the error paths')).toEqual({ stopReason: 'end_turn' });
    const body = modelCalls(fake)[0]!.body;
    expect(lastUserText(body)).toBe(`${reviewRequest({ type: 'uncommittedChanges' })}\n\nthe error paths`);
    // Keel's review mode: the model is told it reviews (and its tools only look).
    expect(JSON.stringify(body)).toContain(JSON.stringify(REVIEW_PROMPT).slice(1, -1));
    expect(updates(keel)).toEqual([
      { sessionUpdate: 'available_commands_update', availableCommands: COMMANDS },
      agentChunk('Looks fine.'),
      { sessionUpdate: 'usage_update', used: 510, size: 400_000, cost: { amount: gpt5Usd(500, 0, 10), currency: 'USD' } },
      { sessionUpdate: 'session_info_update', updatedAt: ISO },
    ]);
  });

  it("a skill is a command: it puts the skill's SKILL.md in the turn's input; other slash words are plain prompts", async () => {
    const fake = await openai();
    fake.script(responses.route, [answer('Checked.', 500, 0, 10), answer('Plain.', 600, 0, 10)]);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-home-'));
    const skillFile = path.join(home, 'skills', 'deploy-check', 'SKILL.md');
    fs.mkdirSync(path.dirname(skillFile), { recursive: true });
    fs.writeFileSync(skillFile, '---\nname: deploy-check\ndescription: Checks a deployment before it ships\n---\nRun the smoke tests first.\n');
    const keel = await agent(fake, {}, home);
    const { sessionId } = await keel.context.request('session/new', { cwd: home, mcpServers: [] });
    await expect.poll(() => updates(keel)[0]).toEqual({
      sessionUpdate: 'available_commands_update',
      availableCommands: [...COMMANDS, { name: 'deploy-check', description: 'Checks a deployment before it ships', input: { hint: 'what to do with the deploy-check skill (optional)' } }],
    });
    expect(await prompt(keel, sessionId, '/deploy-check on staging')).toEqual({ stopReason: 'end_turn' });
    expect(lastUserText(modelCalls(fake)[0]!.body)).toBe(`<skill>\n<name>deploy-check</name>\n<path>${skillFile}</path>\n---\nname: deploy-check\ndescription: Checks a deployment before it ships\n---\nRun the smoke tests first.\n</skill>\non staging`);
    expect(await prompt(keel, sessionId, '/usr/bin is where it lives')).toEqual({ stopReason: 'end_turn' });
    expect(lastUserText(modelCalls(fake)[1]!.body)).toBe('/usr/bin is where it lives');
    expect(await keel.close()).toBe(0);

    // Replayed, the skill's turn shows the command that named it.
    const second = await agent(fake, {}, home);
    await second.context.request('session/load', { sessionId, cwd: home, mcpServers: [] });
    expect(updates(second).filter((u) => u.sessionUpdate === 'user_message_chunk').map((u) => (u as { content: { text: string } }).content.text)).toEqual(['/deploy-check', 'on staging', '/usr/bin is where it lives']);
  });

  for (const [shown, capabilities] of [[true, { session: { notices: {} } }], [false, {}]] as const) {
    it(`the engine's warnings are notices ${shown ? 'for a client that shows them' : 'only when the client shows them: none here'}: a turn moved to a fallback model`, async () => {
      const fake = await openai();
      fake.script(responses.route, [responses.error(500, 'server_error', 'the server broke'), answer('From the fallback.', 100, 0, 5)]);
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-home-'));
      fs.writeFileSync(path.join(home, 'config.toml'), '[keel]\nmax_retries = 0\n\n[[keel.fallback]]\nmodel_provider = "openai"\nmodel = "gpt-5-mini"\n');
      const keel = await agent(fake, capabilities, home, ['gpt-5', 'gpt-5-mini']);
      const { sessionId } = await keel.context.request('session/new', { cwd: home, mcpServers: [] });
      expect(await prompt(keel, sessionId, 'hi')).toEqual({ stopReason: 'end_turn' });
      const notice = { sessionUpdate: 'notice', severity: 'warning', title: expect.stringMatching(/^openai\/gpt-5 failed \(.*the server broke.*\); this turn continues on openai\/gpt-5-mini \(keel\.fallback\)$/) };
      expect(updates(keel)).toEqual([
        { sessionUpdate: 'available_commands_update', availableCommands: COMMANDS },
        ...(shown ? [notice] : []),
        agentChunk('From the fallback.'),
        // gpt-5-mini's window and prices ($0.25 per million input tokens, $2 output): the failed call reported no usage.
        { sessionUpdate: 'usage_update', used: 105, size: 400_000, cost: { amount: (100 * 0.25 + 5 * 2) / 1_000_000, currency: 'USD' } },
        { sessionUpdate: 'session_info_update', updatedAt: ISO },
      ]);
    });
  }
});
