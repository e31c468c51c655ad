// Claude's own tools on the Anthropic Messages wire, end to end: the text editor views and edits a
// file (each edit a fileChange item, the turn diff growing), a failed edit is an error Claude reads
// and the turn goes on, and bash runs a command that fails.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { agentMessage, completedItems, FULL_ACCESS, keelWithThread, params, runTurn, turnOf } from '../helpers/turns.js';
import { anthropic as wire } from '../helpers/wire-streams.js';
import { read, workspace } from '../helpers/workspace.js';
import { inProcess } from '../helpers/in-process-server.js';

const fake = useFakeModelServer();

function start(cwd: string) {
  return keelWithThread({
    thread: FULL_ACCESS,
    config: ['model_provider = "anthropic"', 'model = "claude-sonnet-4-5"'],
    spawn: { serve: inProcess, cwd, env: { ANTHROPIC_API_KEY: 'test-ant-key', ANTHROPIC_BASE_URL: fake.url } },
  });
}

const use = (id: string, name: string, input: object) => ({ sse: wire.stream([wire.toolUse(id, name, JSON.stringify(input))], { stop: 'tool_use' }) });
const say = (text: string) => ({ sse: wire.stream([wire.text(text)]) });
/** The tool_result block for `id` in the request that followed it. */
const resultOf = (request: number, id: string) =>
  (conversationBody(fake.calls[request]!).messages as any[]).flatMap((m) => (Array.isArray(m.content) ? m.content : [])).find((block: any) => block.type === 'tool_result' && block.tool_use_id === id);

describe("Claude's tools on the Anthropic Messages wire", () => {
  it('views and edits a file with the text editor: reads as commandExecution, edits as fileChange, the turn diff after each', async () => {
    const cwd = workspace({ 'app.py': 'def main():\n    print("hi")\n\nmain()\n' });
    const file = path.join(cwd, 'app.py');
    const editor = 'str_replace_based_edit_tool';
    fake.script(wire.route, [
      use('t1', editor, { command: 'view', path: file, view_range: [1, 2] }),
      use('t2', editor, { command: 'str_replace', path: file, old_str: 'print("hi")', new_str: 'print("hello")' }),
      use('t3', editor, { command: 'str_replace', path: file, old_str: 'not there', new_str: 'x' }),
      use('t4', editor, { command: 'insert', path: file, insert_line: 0, insert_text: 'import sys\n' }),
      use('t5', editor, { command: 'create', path: 'notes.md', file_text: '# Notes\n' }),
      say('Edited.'),
    ]);
    const { keel, threadId } = await start(cwd);
    const seq = await runTurn(keel, threadId, 'edit app.py');

    expect(read(cwd, 'app.py')).toBe('import sys\ndef main():\n    print("hello")\n\nmain()\n');
    expect(read(cwd, 'notes.md')).toBe('# Notes\n');
    const items = completedItems(seq);
    expect(items.map((item) => [item.type, item.id, item.status])).toEqual([
      ['userMessage', expect.any(String), undefined],
      ['commandExecution', 't1', 'completed'],
      ['fileChange', 't2', 'completed'],
      ['fileChange', 't3', 'failed'],
      ['fileChange', 't4', 'completed'],
      ['fileChange', 't5', 'completed'],
      ['agentMessage', expect.any(String), undefined],
    ]);
    const view = `sed -n '1,2p' ${file}`;
    expect(items[1]).toMatchObject({ command: view, commandActions: [{ type: 'read', command: view, name: 'app.py', path: file }], aggregatedOutput: '     1\tdef main():\n     2\t    print("hi")\n… showing lines 1-2 of 4 (the line limit); read on with offset 3', exitCode: 0 });
    expect(items[2]).toEqual({
      type: 'fileChange',
      id: 't2',
      changes: [{ path: file, kind: { type: 'update', move_path: null }, diff: expect.stringContaining('-    print("hi")\n+    print("hello")') }],
      status: 'completed',
    });
    expect(items[3]).toEqual({ type: 'fileChange', id: 't3', changes: [], status: 'failed' });
    expect(items[5]).toMatchObject({ changes: [{ path: path.join(cwd, 'notes.md'), kind: { type: 'add' }, diff: '# Notes\n' }] });
    expect(items[6]).toEqual(agentMessage(expect.any(String), 'Edited.'));

    // What Claude read of each call.
    expect(resultOf(1, 't1')).toEqual({ type: 'tool_result', tool_use_id: 't1', content: items[1].aggregatedOutput, is_error: false });
    expect(resultOf(2, 't2')).toEqual({ type: 'tool_result', tool_use_id: 't2', content: `The file ${file} has been edited.`, is_error: false });
    expect(resultOf(3, 't3')).toEqual({ type: 'tool_result', tool_use_id: 't3', content: `Error: No replacement was performed: old_str did not appear verbatim in ${file}.`, is_error: true });
    expect(resultOf(5, 't5')).toEqual({ type: 'tool_result', tool_use_id: 't5', content: 'File created successfully at: notes.md', is_error: false });

    // One turn diff per applied edit, each the whole turn's changes so far.
    const diffs = seq.filter((m) => m.method === 'turn/diff/updated').map((m) => params(m).diff as string);
    expect(diffs).toHaveLength(3);
    expect(diffs[2]).toMatch(/app\.py[\s\S]*\+import sys[\s\S]*\+    print\("hello"\)[\s\S]*notes\.md[\s\S]*\+# Notes/);
    // Claude is offered its own tools by type (Anthropic holds their schemas), the plan tool and the goal tools.
    expect((fake.calls[0]!.body as any).tools.map((tool: any) => (tool.type ? { type: tool.type, name: tool.name } : tool.name))).toEqual([
      { type: 'bash_20250124', name: 'bash' },
      { type: 'text_editor_20250728', name: editor },
      'update_plan',
      'get_goal',
      'create_goal',
      'update_goal',
    ]);
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
  });

  it('runs bash: a failing command is a failed commandExecution and Claude reads its output and exit code', async () => {
    const cwd = workspace();
    fake.script(wire.route, [use('t1', 'bash', { command: 'echo out; echo err >&2; exit 3' }), say('It failed.')]);
    const { keel, threadId } = await start(cwd);
    const seq = await runTurn(keel, threadId, 'run it');
    expect(completedItems(seq)[1]).toEqual({
      type: 'commandExecution',
      id: 't1',
      command: expect.stringMatching(/bash -lc 'echo out; echo err >&2; exit 3'$/),
      cwd,
      processId: null,
      source: 'agent',
      status: 'failed',
      commandActions: [{ type: 'unknown', command: 'echo out; echo err >&2; exit 3' }],
      aggregatedOutput: 'out\nerr\n',
      exitCode: 3,
      durationMs: expect.any(Number),
    });
    expect(resultOf(1, 't1')).toEqual({ type: 'tool_result', tool_use_id: 't1', content: 'out\nerr\nExit code: 3', is_error: false });
  });
});
