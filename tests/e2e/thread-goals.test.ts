// Goals and Git metadata end to end (issue 25, "meta"): thread/goal/set|get|clear with their
// notifications, thread/metadata/update, both kept in the thread's log (a restarted Keel shows
// them), and the model's goal tools (get_goal, create_goal, update_goal) in turns on the fake
// Responses server: the change is announced with the turn's id, usage counts against the budget.
import { describe, expect, it } from 'vitest';
import { errorOf, initialized, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { FULL_ACCESS, keelWithThread, params, runTurn, turnHome, turnOf } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

type Json = Record<string, any>;

const fake = useFakeModelServer();

const providerConfig = () => ['model_provider = "fake"', 'model = "gpt-5.1-codex"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "responses"'];

/** The next thread/goal/updated (or /cleared) notification of the thread. */
const goalNote = (keel: KeelProcess, method: string, threadId: string) => keel.waitFor((m) => m.method === method && (m.params as Json).threadId === threadId);

const goal = (threadId: string, fields: Json) => ({
  threadId,
  tokenBudget: null,
  tokensUsed: 0,
  timeUsedSeconds: 0,
  createdAt: expect.any(Number),
  updatedAt: expect.any(Number),
  ...fields,
});

describe('thread goals and metadata over the wire', () => {
  it('sets, updates, reads and clears a goal, patches gitInfo, and a restarted Keel shows both from the log', async () => {
    const { home } = turnHome({});
    let keel = spawnKeel({ home });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', { cwd: '/work/a' });
    const threadId = thread.id;

    const set = await keel.request('thread/goal/set', { threadId, objective: '  Ship v1  ', tokenBudget: 1000 });
    expect(set).toEqual({ goal: goal(threadId, { objective: 'Ship v1', status: 'active', tokenBudget: 1000 }) });
    expect(set.goal.updatedAt).toBe(set.goal.createdAt);
    expect(params(await goalNote(keel, 'thread/goal/updated', threadId))).toEqual({ threadId, turnId: null, goal: set.goal });

    // Without an objective: the same goal, its status changed; the budget kept.
    const paused = await keel.request('thread/goal/set', { threadId, status: 'paused' });
    expect(paused).toEqual({ goal: { ...set.goal, status: 'paused', updatedAt: expect.any(Number) } });
    expect(params(await goalNote(keel, 'thread/goal/updated', threadId))).toEqual({ threadId, turnId: null, goal: paused.goal });
    expect(await keel.request('thread/goal/get', { threadId })).toEqual(paused);
    expect(await errorOf(keel.request('thread/goal/set', { threadId, objective: '   ' }))).toMatchObject({ code: -32602, message: 'Invalid params: objective: goal objective cannot be empty' });
    expect(await errorOf(keel.request('thread/goal/set', { threadId, tokenBudget: 0 }))).toMatchObject({ code: -32602, message: 'Invalid params: tokenBudget: token budget must be positive' });

    const patched = await keel.request('thread/metadata/update', { threadId, gitInfo: { branch: 'main', sha: 'abc123', originUrl: 'https://example.com/r.git' } });
    expect(patched.thread.gitInfo).toEqual({ sha: 'abc123', branch: 'main', originUrl: 'https://example.com/r.git' });
    const cleared = await keel.request('thread/metadata/update', { threadId, gitInfo: { sha: null } });
    expect(cleared.thread).toEqual({ ...patched.thread, gitInfo: { sha: null, branch: 'main', originUrl: 'https://example.com/r.git' }, updatedAt: expect.any(Number) });
    expect(await keel.close()).toBe(0);

    keel = spawnKeel({ home });
    await initialized(keel);
    expect((await keel.request('thread/read', { threadId })).thread.gitInfo).toEqual({ sha: null, branch: 'main', originUrl: 'https://example.com/r.git' });
    expect(await keel.request('thread/goal/get', { threadId })).toEqual(paused);

    expect(await keel.request('thread/goal/clear', { threadId })).toEqual({ cleared: true });
    expect(params(await goalNote(keel, 'thread/goal/cleared', threadId))).toEqual({ threadId });
    expect(await keel.request('thread/goal/clear', { threadId })).toEqual({ cleared: false });
    expect(await keel.request('thread/goal/get', { threadId })).toEqual({ goal: null });
    expect(await errorOf(keel.request('thread/goal/set', { threadId, status: 'active' }))).toMatchObject({ code: -32600, message: `cannot update goal for thread ${threadId}: no goal exists` });
    expect(keel.messages.filter((m) => m.method === 'thread/goal/cleared')).toHaveLength(1);

    const ephemeral = (await keel.request('thread/start', { ephemeral: true })).thread.id;
    expect(await errorOf(keel.request('thread/goal/get', { threadId: ephemeral }))).toMatchObject({ code: -32602, message: `Invalid params: threadId: ephemeral thread does not support goals: ${ephemeral}` });
    expect(await errorOf(keel.request('thread/goal/get', { threadId: 'nope' }))).toMatchObject({ message: 'thread not found: nope' });
  });

  it('the model creates and completes a goal with its tools: thread/goal/updated names the turn, its calls count against the budget', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_1', 'create_goal', '{"objective":"Fix the flaky test","token_budget":100}')]) },
      { sse: wire.stream([wire.message('Goal set.')]) },
      { sse: wire.stream([wire.functionCall('call_2', 'create_goal', '{"objective":"Another"}')]) },
      { sse: wire.stream([wire.functionCall('call_3', 'update_goal', '{"status":"complete"}')]) },
      { sse: wire.stream([wire.message('Done.')]) },
    ]);
    const { keel, threadId } = await keelWithThread({ config: providerConfig(), thread: { ...FULL_ACCESS, cwd }, spawn: { cwd, env: { FAKE_API_KEY: 'test-key' } } });
    const first = await runTurn(keel, threadId, 'set a goal: fix the flaky test, budget 100 tokens');
    const turn1 = turnOf(first).id;
    expect((fake.calls[0]!.body as Json).tools.map((tool: Json) => tool.name)).toEqual([
      'exec_command', 'write_stdin', 'apply_patch', 'update_plan', 'view_image', 'get_goal', 'create_goal', 'update_goal',
    ]);
    const created = goal(threadId, { objective: 'Fix the flaky test', status: 'active', tokenBudget: 100 });
    expect(first.filter((m) => m.method === 'thread/goal/updated').map(params)).toEqual([{ threadId, turnId: turn1, goal: created }]);
    const told = (fake.calls[1]!.body as Json).input.find((item: Json) => item.type === 'function_call_output' && item.call_id === 'call_1');
    expect(JSON.parse(told.output)).toEqual({ goal: created, remainingTokens: 100 });
    // The call after the goal began (10 in, 5 out) is its usage; the one that created it is not.
    expect(await keel.request('thread/goal/get', { threadId })).toEqual({ goal: { ...created, tokensUsed: 15, timeUsedSeconds: expect.any(Number) } });

    const second = await runTurn(keel, threadId, 'now finish it');
    const turn2 = turnOf(second).id;
    const refused = (fake.calls[3]!.body as Json).input.find((item: Json) => item.type === 'function_call_output' && item.call_id === 'call_2');
    expect(refused.output).toBe('Error: this thread already has a goal that is not complete, so no new one can be created; use update_goal to change its status');
    // Its three calls count (15 each) until the goal is complete; the last, after it, does not.
    const done = goal(threadId, { objective: 'Fix the flaky test', status: 'complete', tokenBudget: 100, tokensUsed: 45, timeUsedSeconds: expect.any(Number) });
    expect(second.filter((m) => m.method === 'thread/goal/updated').map(params)).toEqual([{ threadId, turnId: turn2, goal: done }]);
    const report = (fake.calls[4]!.body as Json).input.find((item: Json) => item.type === 'function_call_output' && item.call_id === 'call_3');
    expect(JSON.parse(report.output)).toEqual({
      goal: done,
      remainingTokens: 55,
      completionBudgetReport: expect.stringMatching(/^Goal complete\. Tell the user the final usage: 45 of 100 tokens used(; \d+ seconds used)?\.$/),
    });
    // The calls are dynamicToolCall items of the turn.
    const items = (await keel.request('thread/read', { threadId, includeTurns: true })).thread.turns[1]!.items;
    expect(items.filter((item: Json) => item.type === 'dynamicToolCall').map((item: Json) => [item.tool, item.status, item.success])).toEqual([
      ['create_goal', 'failed', false],
      ['update_goal', 'completed', true],
    ]);
  });

  it('a goal whose budget the calls spend becomes budgetLimited, announced with the turn', async () => {
    const cwd = workspace();
    fake.script(wire.route, [{ sse: wire.stream([wire.message('Working.')]) }]);
    const { keel, threadId } = await keelWithThread({ config: providerConfig(), thread: { ...FULL_ACCESS, cwd }, spawn: { cwd, env: { FAKE_API_KEY: 'test-key' } } });
    const set = await keel.request('thread/goal/set', { threadId, objective: 'Keep going', tokenBudget: 10 });
    const seq = await runTurn(keel, threadId, 'go');
    const limited = { ...set.goal, status: 'budgetLimited', tokensUsed: 15, updatedAt: expect.any(Number), timeUsedSeconds: 0 };
    expect(seq.filter((m) => m.method === 'thread/goal/updated').map(params)).toEqual([{ threadId, turnId: turnOf(seq).id, goal: limited }]);
    expect(await keel.request('thread/goal/get', { threadId })).toEqual({ goal: { ...limited, timeUsedSeconds: 0 } });
  });
});
