// An editor that lends Keel its files and terminal (ACP client capabilities `fs` and `terminal`),
// driven by the official SDK's client with a test editor behind it (acp-editor.ts): the model reads
// the user's unsaved buffer, an edit is written through the editor, and commands run in the
// editor's terminal — still behind Keel's gate and inside its sandbox. An editor that offers
// nothing gets Keel's own disk and processes (the rest of tests/acp).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startAcpAgent, type AcpAgent, type AcpAgentOptions } from '../helpers/acp-agent.js';
import { requestMethods, testEditor, type TestEditor } from '../helpers/acp-editor.js';
import { startFakeModelServer, type FakeModelServer } from '../helpers/fake-model-server.js';
import { anthropic } from '../helpers/wire-streams.js';

const EVERYTHING = { fs: { readTextFile: true, writeTextFile: true }, terminal: true };
const FULL_ACCESS = ['-c', 'approval_policy="never"', '-c', 'sandbox_mode="danger-full-access"'];
const exec = (callId: string, cmd: string) => ({ toolCall: { name: 'exec_command', callId, arguments: { cmd, login: false, yield_time_ms: 30_000 } } });

const servers: FakeModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** An agent whose client is `editor`, initialized with `capabilities`, and a session in a fresh project directory holding `files`. */
async function session(editor: TestEditor, capabilities: object, options: AcpAgentOptions & { files?: Record<string, string> }) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-editor-'));
  for (const [name, text] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
    fs.writeFileSync(path.join(cwd, name), text);
  }
  const keel = await startAcpAgent({ ...options, client: editor.attach });
  await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: capabilities });
  const { sessionId } = await keel.context.request('session/new', { cwd, mcpServers: [] });
  const prompt = (text: string) => keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] });
  return { keel, cwd, sessionId, prompt, at: (name: string) => path.join(cwd, name) };
}

/** Once the editor has been asked to release its terminal: the last request of a command's, which no message of Keel's follows. */
const released = (editor: TestEditor) => waitFor(() => editor.requests.some((r) => r.method === 'terminal/release'));

function callUpdates(keel: AcpAgent, toolCallId: string): SessionUpdate[] {
  return keel.updates.map((n) => n.update).filter((u) => (u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update') && u.toolCallId === toolCallId);
}

describe("keel acp: the editor's files", () => {
  it('plans a patch on the unsaved buffer and writes it through the editor', async () => {
    const editor = testEditor();
    const patch = { toolCall: { name: 'apply_patch', callId: 'p1', arguments: { input: '*** Begin Patch\n*** Update File: a.txt\n@@\n one\n-two (unsaved)\n+two (patched)\n*** End Patch\n' } } };
    const { keel, sessionId, prompt, at } = await session(editor, EVERYTHING, { files: { 'a.txt': 'one\ntwo\n' }, script: [[patch], [{ text: 'Patched.' }]], args: FULL_ACCESS });
    editor.buffers.set(at('a.txt'), 'one\ntwo (unsaved)\n');
    expect(await prompt('patch it')).toEqual({ stopReason: 'end_turn' });
    // Planned on the buffer (the disk's "two" would not match), checked against it again, written by the editor.
    expect(editor.requests).toEqual([
      { method: 'fs/read_text_file', params: { sessionId, path: at('a.txt') } },
      { method: 'fs/read_text_file', params: { sessionId, path: at('a.txt') } },
      { method: 'fs/write_text_file', params: { sessionId, path: at('a.txt'), content: 'one\ntwo (patched)\n' } },
    ]);
    expect(fs.readFileSync(at('a.txt'), 'utf8')).toBe('one\ntwo (patched)\n');
    expect(callUpdates(keel, 'p1').at(-2)).toEqual({
      sessionUpdate: 'tool_call_update',
      toolCallId: 'p1',
      content: [{ type: 'diff', path: at('a.txt'), oldText: 'one\ntwo (unsaved)\n', newText: 'one\ntwo (patched)\n' }],
    });
    expect(callUpdates(keel, 'p1').at(-1)).toMatchObject({ sessionUpdate: 'tool_call_update', toolCallId: 'p1', status: 'completed' });
  });

  it('applies a patch that deletes a file on disk itself (the editor cannot delete), planned from the disk', async () => {
    const editor = testEditor();
    const patch = { toolCall: { name: 'apply_patch', callId: 'p1', arguments: { input: '*** Begin Patch\n*** Delete File: gone.txt\n*** End Patch\n' } } };
    const { prompt, at } = await session(editor, EVERYTHING, { files: { 'gone.txt': 'bye\n' }, script: [[patch], [{ text: 'Deleted.' }]], args: FULL_ACCESS });
    expect(await prompt('delete it')).toEqual({ stopReason: 'end_turn' });
    expect(fs.existsSync(at('gone.txt'))).toBe(false);
    expect(editor.requests.map((r) => r.method)).toEqual([]);
  });

  it('with reads alone lent, a patch is planned and written on the disk (an edit is planned from the text it is written over)', async () => {
    const editor = testEditor();
    const patch = { toolCall: { name: 'apply_patch', callId: 'p1', arguments: { input: '*** Begin Patch\n*** Update File: a.txt\n@@\n-two\n+TWO\n*** End Patch\n' } } };
    const { prompt, at } = await session(editor, { fs: { readTextFile: true } }, { files: { 'a.txt': 'two\n' }, script: [[patch], [{ text: 'Done.' }]], args: FULL_ACCESS });
    editor.buffers.set(at('a.txt'), 'unsaved\n');
    expect(await prompt('patch it')).toEqual({ stopReason: 'end_turn' });
    expect([fs.readFileSync(at('a.txt'), 'utf8'), editor.requests]).toEqual(['TWO\n', []]);
  });

  it("Claude's text editor views the buffer and its str_replace is written by the editor", async () => {
    const claude = await startFakeModelServer();
    servers.push(claude);
    claude.script('/v1/models', [{ json: { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-5', last_id: 'claude-sonnet-4-5' } }]);
    const tool = (id: string, input: object) => anthropic.stream([anthropic.toolUse(id, 'str_replace_based_edit_tool', JSON.stringify(input))], { stop: 'tool_use' });
    claude.script(anthropic.route, [
      { sse: tool('toolu_view', { command: 'view', path: 'notes.md' }) },
      { sse: tool('toolu_edit', { command: 'str_replace', path: 'notes.md', old_str: 'draft', new_str: 'final' }) },
      { sse: anthropic.stream([anthropic.text('Edited.')]) },
    ]);
    const editor = testEditor();
    const { keel, sessionId, prompt, at } = await session(editor, EVERYTHING, {
      files: { 'notes.md': 'saved text\n' },
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: claude.url },
      args: [...FULL_ACCESS, '-c', 'model_provider="anthropic"', '-c', 'model="claude-sonnet-4-5"'],
    });
    editor.buffers.set(at('notes.md'), 'a draft, unsaved\n');
    expect(await prompt('finish the notes')).toEqual({ stopReason: 'end_turn' });
    const calls = claude.calls.filter((call) => call.path === anthropic.route);
    expect(calls).toHaveLength(3);
    // What Claude read is the buffer, numbered as `cat -n` does.
    const viewed = (calls[1]!.body as { messages: Array<{ content: unknown }> }).messages.at(-1)!.content;
    expect(viewed).toEqual([expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_view', content: expect.stringContaining('     1\ta draft, unsaved') })]);
    expect(editor.requests).toEqual([
      { method: 'fs/read_text_file', params: { sessionId, path: at('notes.md') } },
      { method: 'fs/read_text_file', params: { sessionId, path: at('notes.md') } },
      { method: 'fs/read_text_file', params: { sessionId, path: at('notes.md') } },
      { method: 'fs/write_text_file', params: { sessionId, path: at('notes.md'), content: 'a final, unsaved\n' } },
    ]);
    expect(keel.updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'agent_message_chunk').map((u) => (u as { content: { text: string } }).content.text).join('')).toBe('Edited.');
  });
});

describe("keel acp: the editor's terminal", () => {
  it('runs a command in the terminal after a permission request: the call shows the terminal, its exit code is the model\'s', async () => {
    const editor = testEditor();
    const { keel, sessionId, prompt, cwd } = await session(editor, EVERYTHING, {
      script: [[exec('c1', 'echo out; echo err >&2; exit 3')], [{ text: 'It failed with 3.' }]],
      args: ['-c', 'approval_policy="untrusted"', '-c', 'sandbox_mode="danger-full-access"'],
    });
    expect(await prompt('run it')).toEqual({ stopReason: 'end_turn' });
    expect(keel.permissions).toHaveLength(1);
    const created = editor.requests[0]!;
    expect(created).toMatchObject({ method: 'terminal/create', params: { sessionId, cwd, outputByteLimit: 1024 * 1024 } });
    await released(editor);
    expect([...created.params.args].slice(-2)).toEqual(['-c', 'echo out; echo err >&2; exit 3']);
    expect(requestMethods(editor)).toEqual(['terminal/create', 'terminal/wait_for_exit', 'terminal/output', 'terminal/release']);
    expect(editor.terminals.get('term-1')!.output).toBe('out\nerr\n');
    const updates = callUpdates(keel, 'c1');
    expect(updates[0]).toMatchObject({ sessionUpdate: 'tool_call', toolCallId: 'c1', kind: 'execute' });
    expect(updates.filter((u) => 'content' in u && u.content !== undefined).map((u) => (u as { content: unknown }).content)).toEqual([[{ type: 'terminal', terminalId: 'term-1' }], [{ type: 'terminal', terminalId: 'term-1' }]]);
    expect(updates.at(-1)).toEqual({ sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'failed', content: [{ type: 'terminal', terminalId: 'term-1' }], rawOutput: { exitCode: 3, durationMs: expect.any(Number) } });
  });

  it("keeps the sandbox around a command in the terminal: bubblewrap runs it, with its network filter, and a write to the project's .git fails", async () => {
    const editor = testEditor();
    const { keel, prompt, at } = await session(editor, { terminal: true }, {
      files: { '.git/HEAD': 'ref: refs/heads/main\n' },
      script: [[exec('c1', 'echo inside > in.txt; echo escaped > .git/escaped.txt')], [{ text: 'Done.' }]],
      args: ['-c', 'approval_policy="never"', '-c', 'sandbox_mode="workspace-write"'],
    });
    expect(await prompt('write both')).toEqual({ stopReason: 'end_turn' });
    const created = editor.requests[0]!;
    // The seccomp filter reaches bwrap on descriptor 3 from a file, as startExec's pipe gives it.
    expect([created.params.command, created.params.args[0], created.params.args[1]]).toEqual(['/bin/sh', '-c', 'exec "$@" 3<"$0"']);
    expect(created.params.args).toContain('--seccomp');
    expect(path.basename(created.params.args[3])).toMatch(/^bwrap$/);
    // The workspace is writable; its .git is not, as under Keel's own sandboxed commands.
    expect([fs.readFileSync(at('in.txt'), 'utf8'), fs.existsSync(at('.git/escaped.txt'))]).toEqual(['inside\n', false]);
    expect(editor.terminals.get('term-1')!.output).toMatch(/Read-only file system/);
    expect(callUpdates(keel, 'c1').at(-1)).toMatchObject({ status: 'failed', rawOutput: { exitCode: 1 } });
    // The filter's file is gone once the command ended.
    await released(editor);
    expect(fs.existsSync(created.params.args[2])).toBe(false);
  });

  it('kills the command in the terminal when the prompt is cancelled', async () => {
    const editor = testEditor();
    const { keel, sessionId, prompt } = await session(editor, EVERYTHING, { script: [[exec('c1', 'echo started; sleep 60')]], args: FULL_ACCESS });
    const answer = prompt('wait');
    await waitFor(() => editor.terminals.get('term-1')?.output.includes('started') === true);
    await keel.context.notify('session/cancel', { sessionId });
    expect(await answer).toEqual({ stopReason: 'cancelled' });
    await released(editor);
    expect(requestMethods(editor).filter((m) => m !== 'terminal/output')).toEqual(['terminal/create', 'terminal/wait_for_exit', 'terminal/kill', 'terminal/release']);
    expect(await editor.terminals.get('term-1')!.exit).toEqual({ exitCode: null, signal: 'SIGTERM' });
  });

  it("streams no text of its own for a command in the terminal, yet records its output: a session/load in a new process shows it", async () => {
    const editor = testEditor();
    const { keel, sessionId, prompt, cwd } = await session(editor, EVERYTHING, { script: [[exec('c1', 'for i in 1 2 3; do echo line $i; done')], [{ text: 'Three lines.' }]], args: FULL_ACCESS });
    expect(await prompt('count')).toEqual({ stopReason: 'end_turn' });
    await released(editor);
    const texts = callUpdates(keel, 'c1').flatMap((u) => ('content' in u && Array.isArray(u.content) ? (u.content as Array<{ type: string }>) : [])).filter((c) => c.type === 'content');
    expect(texts).toEqual([]);
    expect(callUpdates(keel, 'c1').at(-1)).toMatchObject({ status: 'completed', rawOutput: { exitCode: 0 } });
    await keel.close();
    // A new process has no terminal to show: the call's recorded output is its content.
    const again = await startAcpAgent({ home: keel.home });
    await again.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    await again.context.request('session/load', { sessionId, cwd, mcpServers: [] });
    expect(callUpdates(again, 'c1').at(-1)).toEqual({
      sessionUpdate: 'tool_call_update',
      toolCallId: 'c1',
      status: 'completed',
      content: [{ type: 'content', content: { type: 'text', text: 'line 1\nline 2\nline 3\n' } }],
      rawOutput: { exitCode: 0, durationMs: expect.any(Number) },
    });
  });
});

/** Polls `check` (a test editor's state, which no message announces) until it holds, or fails after 20 s. */
async function waitFor(check: () => boolean): Promise<void> {
  const until = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
