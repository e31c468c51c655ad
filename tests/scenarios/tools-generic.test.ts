// The generic toolset on the Chat Completions wire (a custom OpenAI-compatible provider), end to
// end: a long command streamed and then timed out with its children gone, and the read tools
// (read_file with a line range, list_dir, grep_files, glob_files) shown as the shell reads they equal.
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItems, FULL_ACCESS, keelWithThread, runTurn, turnOf, params } from '../helpers/turns.js';
import { chat as wire } from '../helpers/wire-streams.js';
import { exitedText, itemEvents, read, workspace } from '../helpers/workspace.js';
import { expectAllGone } from '../tools/exec/process-helpers.js';
import { inProcess } from '../helpers/in-process-server.js';

const fake = useFakeModelServer();

function start(cwd: string) {
  const config = ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"'];
  return keelWithThread({ thread: FULL_ACCESS, config, spawn: { serve: inProcess, cwd, env: { FAKE_API_KEY: 'test-key' } } });
}

/** One response that calls one tool. */
const toolCall = (id: string, name: string, args: object) => ({ sse: wire.stream([wire.toolCall(id, name, JSON.stringify(args))], { finish: 'tool_calls' }) });
const answer = (text: string) => ({ sse: wire.stream([wire.text(text)]) });
/** What the model was told of a call, as the next request carries it. */
const toolMessage = (request: number, id: string) => (conversationBody(fake.calls[request]!).messages as any[]).find((m) => m.role === 'tool' && m.tool_call_id === id)?.content;

describe('the generic toolset on the Chat Completions wire', () => {
  it('streams a long command, then times it out: the whole process group is killed and the model is told', async () => {
    const cwd = workspace();
    const cmd = 'sleep 60 & echo $! > child.pid; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done';
    fake.script(wire.route, [toolCall('call_1', 'shell', { command: cmd, timeout_ms: 1500 }), answer('It hung.')]);
    const { keel, threadId } = await start(cwd);
    const seq = await runTurn(keel, threadId, 'run it');
    const events = itemEvents(seq, 'call_1');
    const deltas = events.filter((m) => m.method === 'item/commandExecution/outputDelta').map((m) => params(m).delta as string);
    // Streamed while it ran: the ticks came in several deltas, before the item completed.
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)!.method).toBe('item/completed');
    const ticks = deltas.join('');
    expect(ticks).toMatch(/^tick 1\ntick 2\n(tick \d+\n)*$/);
    expect(params(events.at(-1)!).item).toEqual({
      type: 'commandExecution',
      id: 'call_1',
      command: expect.stringMatching(/bash -lc 'sleep 60 &/),
      cwd,
      processId: null,
      source: 'agent',
      status: 'failed',
      commandActions: [{ type: 'unknown', command: cmd }],
      aggregatedOutput: ticks,
      exitCode: 124,
      durationMs: expect.any(Number),
    });
    expect(toolMessage(1, 'call_1')).toMatch(exitedText(124, `${ticks}[command timed out after 1500 ms; its whole process group was killed]`));
    await expectAllGone([Number(read(cwd, 'child.pid'))]);
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
  });

  it('reads a line range, lists, searches and globs: each a commandExecution of the read it equals', async () => {
    const cwd = workspace({ 'src/a.ts': 'one\ntwo\nthree\nfour\n', 'src/b.ts': 'const two = 2;\n', 'notes.md': 'two notes\n', '.gitignore': 'build/\n', 'build/out.ts': 'two\n' });
    fake.script(wire.route, [
      toolCall('c1', 'read_file', { file_path: 'src/a.ts', offset: 2, limit: 2 }),
      toolCall('c2', 'list_dir', { path: '.', depth: 2 }),
      toolCall('c3', 'grep_files', { pattern: 'two', include: '*.ts' }),
      toolCall('c4', 'glob_files', { pattern: '**/*.ts' }),
      answer('Read.'),
    ]);
    const { keel, threadId } = await start(cwd);
    // (.gitignore counts inside a git work tree only, as for ripgrep: build/ is listed here.)
    const seq = await runTurn(keel, threadId, 'look around');
    const items = completedItems(seq).filter((item) => item.type === 'commandExecution');
    const item = (id: string, command: string, commandActions: object[], output: string) => ({
      type: 'commandExecution',
      id,
      command,
      cwd,
      processId: null,
      source: 'agent',
      status: 'completed',
      commandActions,
      aggregatedOutput: output,
      exitCode: 0,
      durationMs: expect.any(Number),
    });
    const readText = '     2\ttwo\n     3\tthree\n… showing lines 2-3 of 4 (the line limit); read on with offset 4';
    const listing = 'build/\n  out.ts\nnotes.md\nsrc/\n  a.ts\n  b.ts';
    const matches = 'build/out.ts:1: two\nsrc/a.ts:2: two\nsrc/b.ts:1: const two = 2;';
    const files = 'build/out.ts\nsrc/a.ts\nsrc/b.ts';
    expect(items).toEqual([
      item('c1', "sed -n '2,3p' src/a.ts", [{ type: 'read', command: "sed -n '2,3p' src/a.ts", name: 'a.ts', path: 'src/a.ts' }], readText),
      item('c2', 'find . -maxdepth 2', [{ type: 'listFiles', command: 'find . -maxdepth 2', path: '.' }], listing),
      item('c3', "rg -n --glob '*.ts' two .", [{ type: 'search', command: "rg -n --glob '*.ts' two .", query: 'two', path: '.' }], matches),
      item('c4', "rg --files -g '**/*.ts' .", [{ type: 'listFiles', command: "rg --files -g '**/*.ts' .", path: '.' }], files),
    ]);
    expect([1, 2, 3, 4].map((request, i) => toolMessage(request, `c${i + 1}`))).toEqual([readText, listing, matches, files]);
    expect((fake.calls[0]!.body as any).tools.map((tool: any) => tool.function.name)).toEqual(['shell', 'apply_patch', 'read_file', 'list_dir', 'grep_files', 'glob_files', 'update_plan', 'get_goal', 'create_goal', 'update_goal']);
  });

  it("under a sandbox, read_file refuses Keel's home (its config and keys) and reads the workspace", async () => {
    const cwd = workspace({ 'a.txt': 'alpha\n' });
    const config = ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"'];
    const { keel, threadId } = await keelWithThread({ thread: { approvalPolicy: 'never', sandbox: 'read-only' }, config, spawn: { serve: inProcess, cwd, env: { FAKE_API_KEY: 'test-key' } } });
    const home = (await keel.request('config/read', {})).origins['model_provider']!.name as { file: string };
    const configFile = home.file;
    fake.script(wire.route, [toolCall('call_1', 'read_file', { path: configFile }), toolCall('call_2', 'read_file', { path: 'a.txt' }), answer('Read.')]);
    const seq = await runTurn(keel, threadId, 'read the config');
    const [refused, allowed] = completedItems(seq).filter((item) => item.type === 'commandExecution');
    expect(refused).toMatchObject({ id: 'call_1', status: 'failed', exitCode: 1, aggregatedOutput: expect.stringMatching(/^reading .*config\.toml is inside Keel's home, which is hidden from the model/) });
    expect(toolMessage(1, 'call_1')).toBe(`Error: ${refused.aggregatedOutput}`);
    expect(allowed).toMatchObject({ id: 'call_2', status: 'completed', exitCode: 0 });
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
  });
});
