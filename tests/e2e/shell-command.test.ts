// thread/shellCommand: the user's own command, answered at once, run in a turn of its own on an
// idle thread (or inside the running turn), recorded as a userShell commandExecution item, and
// given to the model with its output on the next turn.
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/keel-process.js';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { FULL_ACCESS, keelWithThread, methods, params, runTurn, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();

function start(cwd: string) {
  return keelWithThread({ thread: FULL_ACCESS, spawn: { cwd, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } } });
}

describe('thread/shellCommand', () => {
  it("runs the user's command in a turn of its own, and the model sees it on the next turn", async () => {
    const cwd = workspace({ 'a.txt': 'alpha\n' });
    fake.script(wire.route, [{ sse: wire.stream([wire.message('I saw it.')]) }]);
    const { keel, threadId } = await start(cwd);
    const before = keel.messages.length;
    expect(await keel.request('thread/shellCommand', { threadId, command: 'cat a.txt | tr a-z A-Z' })).toEqual({});
    await keel.waitFor('turn/completed');
    const seq = keel.messages.slice(before + 1).filter((m) => m.method !== undefined);
    expect(methods(seq)).toEqual([
      'thread/status/changed',
      'turn/started',
      'item/started',
      'item/commandExecution/outputDelta',
      'item/completed',
      'thread/status/changed',
      'turn/completed',
    ]);
    const item = {
      type: 'commandExecution',
      id: params(seq[2]!).item.id,
      command: expect.stringMatching(/bash -lc 'cat a\.txt \| tr a-z A-Z'$/),
      cwd,
      processId: null,
      source: 'userShell',
      status: 'inProgress',
      // `tr` only shapes the output: the line reads a.txt.
      commandActions: [{ type: 'read', command: 'cat a.txt', name: 'a.txt', path: 'a.txt' }],
      aggregatedOutput: null,
      exitCode: null,
      durationMs: null,
    };
    expect(params(seq[2]!).item).toEqual(item);
    expect(params(seq[3]!).delta).toBe('ALPHA\n');
    const done = { ...item, status: 'completed', aggregatedOutput: 'ALPHA\n', exitCode: 0, durationMs: expect.any(Number) };
    expect(params(seq[4]!).item).toEqual(done);
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null, items: [] });

    const next = await runTurn(keel, threadId, 'what did I see?');
    expect(turnOf(next)).toMatchObject({ status: 'completed' });
    const input = conversationBody(fake.calls[0]!).input as any[];
    expect(input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: expect.stringMatching(/^<user_shell_command>\n<command>\ncat a\.txt \| tr a-z A-Z\n<\/command>\n<cwd>.*<\/cwd>\n<result>\nWall time: [\d.]+ seconds\nProcess exited with code 0\n[\s\S]*ALPHA\n\n<\/result>\n<\/user_shell_command>$/) }],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'what did I see?' }] },
    ]);
    const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(thread.turns.map((turn: any) => turn.items.map((i: any) => i.type))).toEqual([['commandExecution'], ['userMessage', 'agentMessage']]);
  });

  it('joins the running turn: the item is in that turn, which ends after it', async () => {
    const cwd = workspace();
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    fake.script(wire.route, [{ sse: wire.stream([wire.message('Working', ' on it.')]), gate: { after: 3, open } }]);
    const { keel, threadId } = await start(cwd);
    const before = keel.messages.length;
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    await keel.waitFor('item/agentMessage/delta');
    expect(await keel.request('thread/shellCommand', { threadId, command: 'echo side' })).toEqual({});
    await keel.waitFor((m) => m.method === 'item/completed' && params(m).item.type === 'commandExecution');
    release();
    await keel.waitFor('turn/completed');
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
    const items = seq.filter((m) => m.method === 'item/completed').map((m) => [params(m).turnId, params(m).item.type, params(m).item.source ?? null]);
    expect(items).toEqual([
      [turn.id, 'userMessage', null],
      [turn.id, 'commandExecution', 'userShell'],
      [turn.id, 'agentMessage', null],
    ]);
    expect(seq.filter((m) => m.method === 'turn/started')).toHaveLength(1);
    expect(turnOf(seq)).toMatchObject({ id: turn.id, status: 'completed' });
  });

  it('refuses an empty command and a negative timeout, naming the field', async () => {
    const { keel, threadId } = await start(workspace());
    expect(await errorOf(keel.request('thread/shellCommand', { threadId, command: '  ' }))).toEqual({ code: -32602, message: 'Invalid params: command: must not be empty', data: expect.anything() });
    expect(await errorOf(keel.request('thread/shellCommand', { threadId, command: 'true', timeoutMs: -1 }))).toMatchObject({ code: -32602, message: 'Invalid params: timeoutMs: must not be negative, got -1' });
  });
});
