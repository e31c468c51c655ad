// One thread, two providers: a turn with a tool call on one wire, then the thread moves to the
// other provider (thread/resume `modelProvider`, turn/start or resume `model`) and the next request
// carries the whole history in that wire's own format.
import { describe, expect, it } from 'vitest';
import { conversationBody, responsesFieldsAsCodex } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { FULL_ACCESS, keelWithThread, params, runTurn, turnOf, type Seq, unknownTool, unknownToolOutput } from '../helpers/turns.js';
import { anthropic, responses } from '../helpers/wire-streams.js';
import { exitedText, workspace } from '../helpers/workspace.js';
import { inProcess } from '../helpers/in-process-server.js';


const fake = useFakeModelServer();

/** Both first-party providers moved to the fake; OPENAI_API_KEY makes `openai` the default. */
function start() {
  const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1`, ANTHROPIC_API_KEY: 'test-ant-key', ANTHROPIC_BASE_URL: fake.url };
  return keelWithThread({ spawn: { serve: inProcess, env } });
}

const usageOf = (seq: Seq) => params(seq.find((m) => m.method === 'thread/tokenUsage/updated')!).tokenUsage;
const bodies = (route: string) => fake.calls.filter((c) => c.path === route).map(conversationBody);
const text = (value: string) => ({ type: 'text', text: value });

describe('a thread that moves between providers', () => {
  it('continues an OpenAI tool-call turn on Anthropic: the Messages request carries the whole history', async () => {
    fake.script(responses.route, [
      { sse: responses.stream([responses.message('Let me look.'), responses.functionCall('call_1', 'launch_rocket', '{"path":', '"a.txt"}')]) },
      { sse: responses.stream([responses.reasoning([['Missing']], []), responses.message('It is missing.')], responses.usage(100, 0, 10)) },
    ]);
    fake.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('Summary: a.txt is missing.')], { usage: anthropic.usage(200, 0, 0), outputTokens: 7 }) }]);
    const { keel, threadId } = await start();

    const first = await runTurn(keel, threadId, 'read a.txt');
    expect(turnOf(first)).toMatchObject({ status: 'completed', error: null });
    expect(bodies(responses.route).map((b) => b.model)).toEqual(['gpt-5', 'gpt-5']);

    const resumed = await keel.request('thread/resume', { threadId, modelProvider: 'anthropic' });
    expect([resumed.modelProvider, resumed.model]).toEqual(['anthropic', 'gpt-5']);
    const before = keel.messages.length;
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'now summarise' }], model: 'claude-sonnet-4-5' });
    await keel.waitFor((m) => m.method === 'turn/completed' && params(m).turn.id === turn.id);
    const second = keel.messages.slice(before);
    expect(turnOf(second)).toMatchObject({ id: turn.id, status: 'completed', error: null });

    expect(bodies(anthropic.route)).toEqual([
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 8192,
        messages: [
          { role: 'user', content: [text('read a.txt')] },
          { role: 'assistant', content: [text('Let me look.'), { type: 'tool_use', id: 'call_1', name: 'launch_rocket', input: { path: 'a.txt' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: unknownToolOutput('launch_rocket'), is_error: true }] },
          // The OpenAI reasoning item has no Anthropic form (no signature): it is not replayed.
          { role: 'assistant', content: [text('It is missing.')] },
          { role: 'user', content: [text('now summarise')] },
        ],
        stream: true,
      },
    ]);
    expect(fake.calls.find((c) => c.path === anthropic.route)!.headers.authorization).toBe('Bearer test-ant-key');

    // Usage keeps one running total across providers; the context window is the new model's.
    const last = { inputTokens: 200, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 7, reasoningOutputTokens: 0, totalTokens: 207 };
    const total = { inputTokens: 310, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: 22, reasoningOutputTokens: 0, totalTokens: 332 };
    expect(usageOf(second)).toEqual({ total, last, modelContextWindow: 200_000 });

    const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
    expect([thread.modelProvider, thread.model]).toEqual(['anthropic', 'claude-sonnet-4-5']);
    expect(thread.turns.map((t) => t.items.map((i) => i.type))).toEqual([
      ['userMessage', 'agentMessage', 'dynamicToolCall', 'reasoning', 'agentMessage'],
      ['userMessage', 'agentMessage'],
    ]);
  });

  it('continues an Anthropic tool-use turn on OpenAI (resume with model and modelProvider): the Responses input carries the whole history', async () => {
    fake.script(anthropic.route, [
      { sse: anthropic.stream([anthropic.text("I'll look."), anthropic.toolUse('toolu_1', 'launch_rocket', '{"path": "a', '.txt"}')], { stop: 'tool_use' }) },
      { sse: anthropic.stream([anthropic.thinking('hmm'), anthropic.text('It is missing.')]) },
    ]);
    fake.script(responses.route, [{ sse: responses.stream([responses.message('Summary.')]) }]);
    const { keel, threadId } = await keelWithThread({
      config: ['model_provider = "anthropic"', 'model = "claude-sonnet-4-5"'],
      spawn: { serve: inProcess, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1`, ANTHROPIC_API_KEY: 'test-ant-key', ANTHROPIC_BASE_URL: fake.url } },
    });

    expect(turnOf(await runTurn(keel, threadId, 'read a.txt'))).toMatchObject({ status: 'completed', error: null });
    const resumed = await keel.request('thread/resume', { threadId, modelProvider: 'openai', model: 'gpt-5' });
    expect([resumed.modelProvider, resumed.model]).toEqual(['openai', 'gpt-5']);
    const second = await runTurn(keel, threadId, 'now summarise');
    expect(turnOf(second)).toMatchObject({ status: 'completed', error: null });
    expect(usageOf(second).modelContextWindow).toBe(400_000);

    expect(bodies(responses.route)).toEqual([
      {
        model: 'gpt-5',
        input: [
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'read a.txt' }] },
          { type: 'message', role: 'assistant', content: "I'll look." },
          // The arguments as the thread keeps them (parsed), serialised again.
          { type: 'function_call', call_id: 'toolu_1', name: 'launch_rocket', arguments: '{"path":"a.txt"}' },
          { type: 'function_call_output', call_id: 'toolu_1', output: unknownToolOutput('launch_rocket') },
          { type: 'message', role: 'assistant', content: 'It is missing.' },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'now summarise' }] },
        ],
        // Claude's thinking is not gpt-5's: nothing of it goes back. What Codex sends besides:
        ...responsesFieldsAsCodex(threadId),
      },
    ]);
  });

  it('after a restart, resumes the stored thread on the other provider with the history rebuilt from the log', async () => {
    fake.script(responses.route, [
      { sse: responses.stream([responses.functionCall('call_1', 'launch_rocket', '{"path":"a.txt"}')]) },
      { sse: responses.stream([responses.message('It is ', 'missing.')]) },
    ]);
    fake.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('Done.')]) }]);
    const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1`, ANTHROPIC_API_KEY: 'test-ant-key', ANTHROPIC_BASE_URL: fake.url };
    const { keel, threadId } = await keelWithThread({ spawn: { serve: inProcess, env } });
    expect(turnOf(await runTurn(keel, threadId, 'read a.txt'))).toMatchObject({ status: 'completed', error: null });
    expect(await keel.close()).toBe(0);

    const again = spawnKeel({ serve: inProcess, home: keel.home, env });
    await initialized(again);
    const resumed = await again.request('thread/resume', { threadId, modelProvider: 'anthropic', model: 'claude-haiku-4-5' });
    expect([resumed.modelProvider, resumed.model]).toEqual(['anthropic', 'claude-haiku-4-5']);
    expect(turnOf(await runTurn(again, threadId, 'and now?'))).toMatchObject({ status: 'completed', error: null });
    expect(bodies(anthropic.route).map((b) => [b.model, b.messages])).toEqual([
      [
        'claude-haiku-4-5',
        [
          { role: 'user', content: [text('read a.txt')] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'launch_rocket', input: { path: 'a.txt' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: unknownToolOutput('launch_rocket'), is_error: true }] },
          { role: 'assistant', content: [text('It is missing.')] },
          { role: 'user', content: [text('and now?')] },
        ],
      ],
    ]);
  });
  it('continues on Anthropic a thread whose OpenAI turn ran exec_command: Claude sees it as its own bash call, with the output', async () => {
    const cwd = workspace({ 'a.txt': 'alpha\n' });
    fake.script(responses.route, [
      { sse: responses.stream([responses.functionCall('call_1', 'exec_command', JSON.stringify({ cmd: 'cat a.txt', yield_time_ms: 5000 }))]) },
      { sse: responses.stream([responses.message('It says alpha.')]) },
    ]);
    fake.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('Alpha, as said.')]) }]);
    const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1`, ANTHROPIC_API_KEY: 'test-ant-key', ANTHROPIC_BASE_URL: fake.url };
    const { keel, threadId } = await keelWithThread({ thread: FULL_ACCESS, spawn: { serve: inProcess, cwd, env } });
    expect(turnOf(await runTurn(keel, threadId, 'read a.txt'))).toMatchObject({ status: 'completed', error: null });
    await keel.request('thread/resume', { threadId, modelProvider: 'anthropic', model: 'claude-sonnet-4-5' });
    expect(turnOf(await runTurn(keel, threadId, 'and?'))).toMatchObject({ status: 'completed', error: null });
    expect(bodies(anthropic.route).map((b) => b.messages)).toEqual([
      [
        { role: 'user', content: [text('read a.txt')] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'bash', input: { command: 'cat a.txt' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: expect.stringMatching(exitedText(0, 'alpha\n')), is_error: false }] },
        { role: 'assistant', content: [text('It says alpha.')] },
        { role: 'user', content: [text('and?')] },
      ],
    ]);
  });
});
