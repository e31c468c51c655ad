// Codex's tools on the Responses wire, end to end: the model runs commands with exec_command (its
// output streamed on a commandExecution item and read by the model), keeps one waiting on
// write_stdin, patches through a heredoc, sends a bad call and goes on, and is interrupted mid-command.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { expectAllGone } from '../tools/exec/process-helpers.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { agentMessage, completedItems, FULL_ACCESS, keelWithThread, methods, params, runTurn, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { exitedText, itemEvents, read, workspace } from '../helpers/workspace.js';
import { inProcess } from '../helpers/in-process-server.js';

const fake = useFakeModelServer();

function start(cwd: string) {
  return keelWithThread({ thread: FULL_ACCESS, spawn: { serve: inProcess, cwd, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } } });
}

const call = (callId: string, name: string, args: object) => wire.functionCall(callId, name, JSON.stringify(args));
const inputOf = (index: number) => conversationBody(fake.calls[index]!).input as Array<Record<string, any>>;
const outputOf = (index: number, callId: string) => inputOf(index).find((entry) => entry.type === 'function_call_output' && entry.call_id === callId)?.output as string;

describe('Codex tools on the Responses wire', () => {
  it('runs a command: commandExecution started, output streamed, completed; the model reads the output', async () => {
    const cwd = workspace({ 'a.txt': 'alpha\n' });
    fake.script(wire.route, [
      { sse: wire.stream([call('call_1', 'exec_command', { cmd: 'cat a.txt' })]) },
      { sse: wire.stream([wire.message('It says alpha.')]) },
    ]);
    const { keel, threadId } = await start(cwd);
    const seq = await runTurn(keel, threadId, 'what is in a.txt?');
    const command = {
      type: 'commandExecution',
      id: 'call_1',
      command: expect.stringMatching(/^\/\S*bash -lc 'cat a\.txt'$/),
      cwd,
      processId: expect.stringMatching(/^\d+$/),
      source: 'unifiedExecStartup',
      status: 'inProgress',
      commandActions: [{ type: 'read', command: 'cat a.txt', name: 'a.txt', path: 'a.txt' }],
      aggregatedOutput: null,
      exitCode: null,
      durationMs: null,
    };
    const events = itemEvents(seq, 'call_1');
    expect(methods(events)[0]).toBe('item/started');
    expect(params(events[0]!).item).toEqual(command);
    expect(methods(events).at(-1)).toBe('item/completed');
    // The output arrives as deltas between the two, however the pipe chunked it.
    const deltas = events.slice(1, -1);
    expect(new Set(methods(deltas))).toEqual(new Set(['item/commandExecution/outputDelta']));
    expect(deltas.map((m) => params(m).delta).join('')).toBe('alpha\n');
    const completed = params(events.at(-1)!).item;
    expect(completed).toEqual({ ...command, processId: params(events[0]!).item.processId, status: 'completed', aggregatedOutput: 'alpha\n', exitCode: 0, durationMs: expect.any(Number) });
    expect(completedItems(seq).map((item) => item.type)).toEqual(['userMessage', 'commandExecution', 'agentMessage']);
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    // The model got Codex's text for the call.
    expect(inputOf(1).slice(1)).toEqual([
      { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"cat a.txt"}' },
      { type: 'function_call_output', call_id: 'call_1', output: expect.stringMatching(exitedText(0, 'alpha\n')) },
    ]);
    // The tools offered are Codex's.
    expect((fake.calls[0]!.body as any).tools.map((tool: any) => tool.name)).toEqual(['exec_command', 'write_stdin', 'apply_patch', 'update_plan', 'view_image', 'get_goal', 'create_goal', 'update_goal']);
  });

  it('keeps a command that waits for input: write_stdin answers it, and the interaction is its own item', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([call('call_1', 'exec_command', { cmd: 'read line; echo "got $line"', yield_time_ms: 300 })]) },
      {
        // The model reads the session id from the output it was given.
        respond: (request) => {
          const output = ((request.body as any).input as any[]).find((entry) => entry.type === 'function_call_output' && entry.call_id === 'call_1').output as string;
          const sessionId = Number(/Process running with session ID (\d+)/.exec(output)![1]);
          return { sse: wire.stream([call('call_2', 'write_stdin', { session_id: sessionId, chars: 'hello\n' })]) };
        },
      },
      { sse: wire.stream([wire.message('It echoed.')]) },
    ]);
    const { keel, threadId } = await start(cwd);
    const seq = await runTurn(keel, threadId, 'talk to it');
    const [, first, second] = completedItems(seq);
    expect(first).toMatchObject({ id: 'call_1', source: 'unifiedExecStartup', status: 'completed', exitCode: null, aggregatedOutput: '' });
    expect(second).toEqual({
      type: 'commandExecution',
      id: 'call_2',
      command: first.command,
      cwd,
      processId: first.processId,
      source: 'unifiedExecInteraction',
      status: 'completed',
      commandActions: first.commandActions,
      aggregatedOutput: 'got hello\n',
      exitCode: 0,
      durationMs: expect.any(Number),
    });
    expect(outputOf(1, 'call_1')).toMatch(new RegExp(`^Wall time: [\\d.]+ seconds\\nProcess running with session ID ${first.processId}\\nOriginal token count: 0\\nOutput:\\n$`));
    expect(outputOf(2, 'call_2')).toMatch(exitedText(0, 'got hello\n'));
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
  });

  it('applies a patch sent through exec_command as a heredoc: a fileChange item and the turn diff', async () => {
    const cwd = workspace({ 'a.txt': 'one\ntwo\n' });
    const patch = ['*** Begin Patch', '*** Update File: a.txt', '@@', ' one', '-two', '+three', '*** Add File: b.txt', '+new', '*** End Patch'].join('\n');
    fake.script(wire.route, [
      { sse: wire.stream([call('call_1', 'exec_command', { cmd: `apply_patch <<'EOF'\n${patch}\nEOF\n` })]) },
      { sse: wire.stream([wire.message('Patched.')]) },
    ]);
    const { keel, threadId } = await start(cwd);
    const seq = await runTurn(keel, threadId, 'patch it');
    expect(read(cwd, 'a.txt')).toBe('one\nthree\n');
    expect(read(cwd, 'b.txt')).toBe('new\n');
    const changes = [
      { path: path.join(cwd, 'a.txt'), kind: { type: 'update', move_path: null }, diff: expect.stringContaining('-two\n+three') },
      { path: path.join(cwd, 'b.txt'), kind: { type: 'add' }, diff: 'new\n' },
    ];
    expect(methods(itemEvents(seq, 'call_1'))).toEqual(['item/started', 'item/completed']);
    expect(params(itemEvents(seq, 'call_1')[0]!).item).toEqual({ type: 'fileChange', id: 'call_1', changes, status: 'inProgress' });
    expect(completedItems(seq)[1]).toEqual({ type: 'fileChange', id: 'call_1', changes, status: 'completed' });
    const diff = seq.filter((m) => m.method === 'turn/diff/updated').map(params);
    expect(diff).toEqual([{ threadId, turnId: turnOf(seq).id, diff: expect.stringMatching(/a\.txt[\s\S]*-two\n\+three[\s\S]*b\.txt[\s\S]*\+new/) }]);
    expect(outputOf(1, 'call_1')).toBe('Success. Updated the following files:\nM a.txt\nA b.txt\n');
  });

  it('answers a bad call with an error naming the field, and the turn goes on', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_1', 'exec_command', '{"cmd": 42}')]) },
      { sse: wire.stream([call('call_2', 'exec_command', { command: 'echo fixed' })]) },
      { sse: wire.stream([wire.message('Fixed.')]) },
    ]);
    const { keel, threadId } = await start(cwd);
    const seq = await runTurn(keel, threadId, 'go');
    const reason = 'invalid arguments for exec_command: cmd: Invalid input: expected string, received number. Fix them and call exec_command again.';
    expect(completedItems(seq)[1]).toEqual({
      type: 'dynamicToolCall',
      id: 'call_1',
      tool: 'exec_command',
      arguments: { cmd: 42 },
      status: 'failed',
      contentItems: [{ type: 'inputText', text: reason }],
      success: false,
      durationMs: 0,
    });
    expect(outputOf(1, 'call_1')).toBe(`Error: ${reason}`);
    // `command` is read as `cmd`, as some models spell it.
    expect(completedItems(seq)[2]).toMatchObject({ id: 'call_2', type: 'commandExecution', aggregatedOutput: 'fixed\n', exitCode: 0 });
    expect(completedItems(seq)[3]).toEqual(agentMessage(expect.any(String), 'Fixed.'));
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
  });

  it('interrupts a running command: the turn ends interrupted and the command and its children are gone', async () => {
    const cwd = workspace();
    fake.script(wire.route, [{ sse: wire.stream([call('call_1', 'exec_command', { cmd: 'sleep 60 & echo $! > child.pid; echo $$ > shell.pid; echo started; wait', yield_time_ms: 30_000 })]) }]);
    const { keel, threadId } = await start(cwd);
    const before = keel.messages.length;
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'run it' }] });
    await keel.waitFor((m) => m.method === 'item/commandExecution/outputDelta' && params(m).delta.includes('started'));
    await keel.request('turn/interrupt', { threadId, turnId: turn.id });
    await keel.waitFor((m) => m.method === 'turn/completed');
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
    expect(turnOf(seq)).toMatchObject({ id: turn.id, status: 'interrupted' });
    expect(completedItems(seq)[1]).toMatchObject({ id: 'call_1', type: 'commandExecution', status: 'failed', exitCode: 143, aggregatedOutput: 'started\n' });
    await expectAllGone(['child.pid', 'shell.pid'].map((file) => Number(read(cwd, file))));
  });
  it('keeps a plan (turn/plan/updated and a plan item) and looks at an image (imageView, the image sent with the result)', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const cwd = workspace();
    fs.writeFileSync(path.join(cwd, 'dot.png'), png);
    const plan = [
      { step: 'Look at the image', status: 'in_progress' },
      { step: 'Describe it', status: 'pending' },
    ];
    fake.script(wire.route, [
      { sse: wire.stream([call('call_1', 'update_plan', { explanation: 'Two steps.', plan }), call('call_2', 'view_image', { path: 'dot.png' })]) },
      { sse: wire.stream([wire.message('A dot.')]) },
    ]);
    const { keel, threadId } = await start(cwd);
    const seq = await runTurn(keel, threadId, 'what is dot.png?');
    const turnId = turnOf(seq).id;
    expect(seq.filter((m) => m.method === 'turn/plan/updated').map(params)).toEqual([
      { threadId, turnId, explanation: 'Two steps.', plan: [{ step: 'Look at the image', status: 'inProgress' }, { step: 'Describe it', status: 'pending' }] },
    ]);
    expect(completedItems(seq).slice(1, 3)).toEqual([
      { type: 'plan', id: 'call_1', text: 'Two steps.\n\n- [~] Look at the image\n- [ ] Describe it' },
      { type: 'imageView', id: 'call_2', path: path.join(cwd, 'dot.png') },
    ]);
    expect(inputOf(1).slice(1)).toEqual([
      { type: 'function_call', call_id: 'call_1', name: 'update_plan', arguments: JSON.stringify({ explanation: 'Two steps.', plan }) },
      { type: 'function_call', call_id: 'call_2', name: 'view_image', arguments: '{"path":"dot.png"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'Plan updated' },
      { type: 'function_call_output', call_id: 'call_2', output: `Image attached: ${path.join(cwd, 'dot.png')}` },
      { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: `data:image/png;base64,${png.toString('base64')}`, detail: 'auto' }] },
    ]);
  });
  it('offers apply_patch freeform to a GPT-5 model (raw patch text), and as a function once the thread moves to a model without freeform tools', async () => {
    const cwd = workspace({ 'a.txt': 'one\n' });
    const patch = '*** Begin Patch\n*** Update File: a.txt\n@@\n-one\n+two\n*** End Patch';
    fake.script(wire.route, [
      { sse: wire.stream([wire.customToolCall('call_1', 'apply_patch', patch.slice(0, 20), patch.slice(20))]) },
      { sse: wire.stream([wire.message('Patched.')]) },
      { sse: wire.stream([wire.message('Still two.')]) },
    ]);
    const { keel, threadId } = await start(cwd);
    const first = await runTurn(keel, threadId, 'patch it');
    expect(read(cwd, 'a.txt')).toBe('two\n');
    expect(completedItems(first)[1]).toMatchObject({ type: 'fileChange', id: 'call_1', status: 'completed' });
    const tools = (request: number) => (fake.calls[request]!.body as any).tools.find((tool: any) => tool.name === 'apply_patch');
    expect(tools(0)).toEqual({ type: 'custom', name: 'apply_patch', description: expect.stringContaining('*** Begin Patch'), format: { type: 'grammar', syntax: 'lark', definition: expect.stringContaining('start: begin_patch') } });
    const success = 'Success. Updated the following files:\nM a.txt\n';
    expect(inputOf(1).slice(1)).toEqual([
      { type: 'custom_tool_call', call_id: 'call_1', name: 'apply_patch', input: patch },
      { type: 'custom_tool_call_output', call_id: 'call_1', output: success },
    ]);

    const before = keel.messages.length;
    await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'and now?' }], model: 'gpt-4.1' });
    await keel.waitFor((m) => m.method === 'turn/completed' && keel.messages.indexOf(m) >= before);
    expect(tools(2)).toEqual({ type: 'function', name: 'apply_patch', description: expect.any(String), parameters: expect.objectContaining({ required: ['input'] }), strict: false });
    expect(inputOf(2).slice(1, 3)).toEqual([
      { type: 'function_call', call_id: 'call_1', name: 'apply_patch', arguments: JSON.stringify({ input: patch }) },
      { type: 'function_call_output', call_id: 'call_1', output: success },
    ]);
  });
});
