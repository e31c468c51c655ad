// A Plan-mode turn (turn/start.collaborationMode, experimental) on the Responses wire: the model
// reads a file, is refused a patch and a command that writes, proposes a plan, and the turn ends
// with a `plan` item — the workspace untouched.
import { describe, expect, it } from 'vitest';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { completedItems, FULL_ACCESS, params, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { read, workspace } from '../helpers/workspace.js';
import { inProcess } from '../helpers/in-process-server.js';

const fake = useFakeModelServer();

const call = (callId: string, name: string, args: object) => ({ sse: wire.stream([wire.functionCall(callId, name, JSON.stringify(args))]) });
const outputOf = (request: number, callId: string) =>
  ((fake.calls[request]!.body as any).input as any[]).find((entry) => /^(function|custom_tool)_call_output$/.test(entry.type) && entry.call_id === callId)?.output;

describe('a Plan-mode turn', () => {
  it('reads, is refused every change, and ends with the proposed plan as a plan item; nothing changed', async () => {
    const cwd = workspace({ 'a.txt': 'one\n' });
    const patch = '*** Begin Patch\n*** Update File: a.txt\n@@\n-one\n+two\n*** End Patch';
    const plan = '1. Change `one` to `two` in a.txt.\n2. Run the tests.';
    fake.script(wire.route, [
      call('c1', 'exec_command', { cmd: 'cat a.txt' }),
      // GPT-5 sends apply_patch as raw patch text (a freeform tool).
      { sse: wire.stream([wire.customToolCall('c2', 'apply_patch', patch)]) },
      call('c3', 'exec_command', { cmd: 'rm a.txt' }),
      { sse: wire.stream([wire.message(`Here is the plan.\n<proposed_plan>\n${plan}\n</proposed_plan>`)]) },
    ]);
    const keel = spawnKeel({ serve: inProcess, cwd, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel, { experimentalApi: true });
    const { thread } = await keel.request('thread/start', FULL_ACCESS);
    const before = keel.messages.length;
    const collaborationMode = { mode: 'plan' as const, settings: { model: 'gpt-5', reasoning_effort: 'medium', developer_instructions: null } };
    const { turn } = await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'plan the change' }], collaborationMode });
    await keel.waitFor((m) => m.method === 'turn/completed' && params(m).turn.id === turn.id, 10_000);
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);

    expect(read(cwd, 'a.txt')).toBe('one\n');
    const items = completedItems(seq);
    expect(items.map((item) => [item.type, item.status ?? null])).toEqual([
      ['userMessage', null],
      ['commandExecution', 'completed'],
      ['fileChange', 'declined'],
      ['commandExecution', 'declined'],
      ['agentMessage', null],
      ['plan', null],
    ]);
    expect(items[1]).toMatchObject({ id: 'c1', aggregatedOutput: 'one\n', exitCode: 0 });
    expect(items[3]).toMatchObject({ id: 'c3', commandActions: [{ type: 'unknown', command: 'rm a.txt' }], aggregatedOutput: null, exitCode: null });
    expect(items[5]).toEqual({ type: 'plan', id: expect.any(String), text: plan });
    expect(outputOf(2, 'c2')).toBe('The change was not applied: Plan mode: files may not be changed; propose the change in your plan instead.');
    expect(outputOf(3, 'c3')).toBe('The command was not run: Plan mode: only commands that read (cat, ls, find, rg, grep, head, …) may run; propose anything else in your plan.');
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    // The mode's rules went to the model with its effort.
    const body = fake.calls[0]!.body as any;
    const developer = (body.input as any[]).filter((entry) => entry.role === 'developer').map((entry) => JSON.stringify(entry.content));
    expect(developer.filter((text) => text.includes('You are in Plan mode.'))).toHaveLength(1);
    expect(body.reasoning).toEqual({ effort: 'medium', summary: 'auto' });
  });
});
