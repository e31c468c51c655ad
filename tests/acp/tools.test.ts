// Tool calls as an editor sees them through `keel acp`, driven by the official SDK's client on the
// scripted model: a patch as diffs (known hunks when asked, whole files once written), a command
// (pending while asked, its output streamed, its exit code), plans and reasoning, and the answers
// to a permission request: allow once, allow always, reject, and a prompt cancelled while asking.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestPermissionResponse, SessionUpdate } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { startAcpAgent, type AcpAgent, type AcpAgentOptions } from '../helpers/acp-agent.js';

// Every update and permission request Keel sends is checked against ACP's published schema after
// each test, which also stops the agents it started (acp-agent.ts).
const ASKING = ['-c', 'approval_policy="untrusted"', '-c', 'sandbox_mode="danger-full-access"'];
const exec = (callId: string, cmd: string) => ({ toolCall: { name: 'exec_command', callId, arguments: { cmd, login: false, yield_time_ms: 30_000 } } });
const patch = (body: string) => ({ toolCall: { name: 'apply_patch', callId: 'p1', arguments: { input: `*** Begin Patch\n${body}*** End Patch\n` } } });
const allowAlways = (): RequestPermissionResponse => ({ outcome: { outcome: 'selected', optionId: 'allow_always' } });
const reject = (): RequestPermissionResponse => ({ outcome: { outcome: 'selected', optionId: 'reject_once' } });

/** A home with `files` in it (the session's cwd), an agent started there, and a session. */
async function session(options: AcpAgentOptions & { files?: Record<string, string> }) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-tools-'));
  for (const [name, text] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(home, name), text);
  const keel = await startAcpAgent({ ...options, home });
  await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
  const { sessionId } = await keel.context.request('session/new', { cwd: home, mcpServers: [] });
  const prompt = (text: string) => keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text }] });
  return { keel, home, sessionId, prompt, at: (name: string) => path.join(home, name) };
}

/** The updates about one tool call, in order. */
function callUpdates(keel: AcpAgent, toolCallId: string): SessionUpdate[] {
  return keel.updates.map((n) => n.update).filter((u) => (u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update') && u.toolCallId === toolCallId);
}

const text = (value: string) => ({ type: 'content', content: { type: 'text', text: value } });

describe('keel acp: tool calls', () => {
  it('shows a patch as diffs: the hunks known when asked, every file whole once written (add, update, delete, move)', async () => {
    const { keel, prompt, at } = await session({
      files: { 'old.txt': 'one\ntwo\nthree\n', 'gone.txt': 'bye\n', 'from.txt': 'moving\n' },
      script: [[patch('*** Add File: new.txt\n+hi\n*** Update File: old.txt\n@@\n one\n-two\n+TWO\n three\n*** Delete File: gone.txt\n*** Update File: from.txt\n*** Move to: to.txt\n@@\n-moving\n+moved\n')], [{ text: 'Patched.' }]],
      args: ASKING,
    });
    expect(await prompt('patch it')).toEqual({ stopReason: 'end_turn' });
    const title = `Add ${at('new.txt')}, Edit ${at('old.txt')}, Delete ${at('gone.txt')}, Move ${at('from.txt')} → ${at('to.txt')}`;
    // An update is located at its first hunk's line in the new file.
    const locations = [{ path: at('new.txt') }, { path: at('old.txt'), line: 1 }, { path: at('gone.txt') }, { path: at('from.txt') }, { path: at('to.txt'), line: 1 }];
    const known = [
      { type: 'diff', path: at('new.txt'), oldText: null, newText: 'hi\n' },
      { type: 'diff', path: at('old.txt'), oldText: 'one\ntwo\nthree', newText: 'one\nTWO\nthree' },
      { type: 'diff', path: at('gone.txt'), oldText: 'bye\n', newText: '' },
      { type: 'diff', path: at('to.txt'), oldText: 'moving', newText: 'moved' },
    ];
    const whole = [
      { type: 'diff', path: at('new.txt'), oldText: null, newText: 'hi\n' },
      { type: 'diff', path: at('old.txt'), oldText: 'one\ntwo\nthree\n', newText: 'one\nTWO\nthree\n' },
      { type: 'diff', path: at('gone.txt'), oldText: 'bye\n', newText: '' },
      { type: 'diff', path: at('to.txt'), oldText: 'moving\n', newText: 'moved\n' },
    ];
    expect(keel.permissions).toEqual([
      { sessionId: expect.any(String), toolCall: { toolCallId: 'p1', title, kind: 'edit', status: 'pending', locations, content: known, rawInput: { reason: null } }, options: expect.any(Array) },
    ]);
    expect(callUpdates(keel, 'p1')).toEqual([
      { sessionUpdate: 'tool_call', toolCallId: 'p1', title, kind: 'edit', locations, content: known, status: 'in_progress' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'p1', status: 'pending' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'p1', status: 'in_progress' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'p1', content: whole },
      { sessionUpdate: 'tool_call_update', toolCallId: 'p1', status: 'completed' },
    ]);
    expect(fs.readFileSync(at('old.txt'), 'utf8')).toBe('one\nTWO\nthree\n');
    expect(fs.existsSync(at('gone.txt'))).toBe(false);
    expect(fs.readFileSync(at('to.txt'), 'utf8')).toBe('moved\n');
  });

  it('shows a command pending while asked, then running, its output streamed, its exit code, failed when it fails', async () => {
    const { keel, prompt, home } = await session({ script: [[exec('c1', 'echo first; echo second; exit 3')], [{ text: 'It failed.' }]], args: ASKING });
    expect(await prompt('run it')).toEqual({ stopReason: 'end_turn' });
    // Titled with the line as the model wrote it; the raw input has it as Keel runs it, in the user's shell (its path differs between machines).
    const title = 'echo first; echo second; exit 3';
    const command = (keel.permissions[0]!.toolCall.rawInput as { command: string }).command;
    expect(command).toMatch(/ -c 'echo first; echo second; exit 3'$/);
    const asked = keel.permissions.map((request) => request.toolCall);
    expect(asked).toEqual([{ toolCallId: 'c1', title, kind: 'execute', status: 'pending', rawInput: { command, cwd: home, reason: null } }]);
    const updates = callUpdates(keel, 'c1');
    expect(updates.slice(0, 3)).toEqual([
      { sessionUpdate: 'tool_call', toolCallId: 'c1', title, kind: 'execute', rawInput: { command, cwd: home }, status: 'in_progress' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'pending' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'in_progress' },
    ]);
    // The output streams in as many chunks as the process wrote: each update carries all of it so far.
    const streamed = updates.slice(3, -1);
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed.at(-1)).toEqual({ sessionUpdate: 'tool_call_update', toolCallId: 'c1', content: [text('first\nsecond\n')] });
    expect(updates.at(-1)).toEqual({ sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'failed', content: [text('first\nsecond\n')], rawOutput: { exitCode: 3, durationMs: expect.any(Number) } });
  });

  it('names a command that only reads as a read of its file, with the file as its location', async () => {
    const { keel, prompt, at } = await session({ files: { 'notes.txt': 'remember\n' }, script: [[exec('r1', 'cat notes.txt')], [{ text: 'Read.' }]], args: ['-c', 'approval_policy="never"', '-c', 'sandbox_mode="danger-full-access"'] });
    expect(await prompt('read it')).toEqual({ stopReason: 'end_turn' });
    expect(keel.permissions).toEqual([]);
    const updates = callUpdates(keel, 'r1');
    expect(updates[0]).toMatchObject({ sessionUpdate: 'tool_call', toolCallId: 'r1', title: 'Read notes.txt', kind: 'read', locations: [{ path: at('notes.txt') }], status: 'in_progress' });
    expect(updates.at(-1)).toMatchObject({ sessionUpdate: 'tool_call_update', toolCallId: 'r1', status: 'completed', content: [text('remember\n')], rawOutput: { exitCode: 0 } });
  });

  it('streams reasoning as thought chunks and the plan as a plan update with every entry', async () => {
    const plan = [
      { step: 'Read the code', status: 'completed' },
      { step: 'Write the fix', status: 'in_progress' },
      { step: 'Run the tests', status: 'pending' },
    ];
    const { keel, prompt } = await session({ script: [[{ reasoningSummary: 'Thinking it over.' }, { toolCall: { name: 'update_plan', callId: 'u1', arguments: { plan } } }], [{ text: 'Planned.' }]] });
    expect(await prompt('plan it')).toEqual({ stopReason: 'end_turn' });
    const shown = keel.updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'agent_thought_chunk' || u.sessionUpdate === 'plan');
    expect(shown).toEqual([
      { sessionUpdate: 'agent_thought_chunk', messageId: expect.any(String), content: { type: 'text', text: 'Thinking it over.' } },
      {
        sessionUpdate: 'plan',
        entries: [
          { content: 'Read the code', priority: 'medium', status: 'completed' },
          { content: 'Write the fix', priority: 'medium', status: 'in_progress' },
          { content: 'Run the tests', priority: 'medium', status: 'pending' },
        ],
      },
    ]);
  });

  it('allowed always, a second identical command is not asked again in the session', async () => {
    const { keel, prompt, at } = await session({ script: [[exec('c1', 'echo x >> log.txt')], [exec('c2', 'echo x >> log.txt')], [{ text: 'Twice.' }]], args: ASKING, permission: allowAlways });
    expect(await prompt('twice')).toEqual({ stopReason: 'end_turn' });
    expect(keel.permissions.map((request) => request.toolCall.toolCallId)).toEqual(['c1']);
    expect(fs.readFileSync(at('log.txt'), 'utf8')).toBe('x\nx\n');
    expect(callUpdates(keel, 'c2').map((u) => (u as { status?: string }).status).filter(Boolean)).toEqual(['in_progress', 'completed']);
  });

  it('rejected, a command does not run, its tool call ends failed, and the turn goes on', async () => {
    const { keel, prompt, at } = await session({ script: [[exec('c1', 'touch ran.txt')], [{ text: 'Not run.' }]], args: ASKING, permission: reject });
    expect(await prompt('try')).toEqual({ stopReason: 'end_turn' });
    expect(fs.existsSync(at('ran.txt'))).toBe(false);
    const statuses = callUpdates(keel, 'c1').map((u) => (u as { status?: string }).status).filter(Boolean);
    expect(statuses).toEqual(['in_progress', 'pending', 'failed']);
    const said = keel.updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'agent_message_chunk');
    expect(said.map((u) => (u as { content: { text: string } }).content.text).join('')).toBe('Not run.');
  });

  it('a prompt cancelled while a permission is pending: the request is answered cancelled, nothing runs, the prompt ends cancelled', async () => {
    let answer: (reply: RequestPermissionResponse) => void = () => {};
    const { keel, prompt, sessionId, at } = await session({ script: [[exec('c1', 'touch ran.txt')], [{ text: 'never' }]], args: ASKING, permission: () => new Promise((resolve) => (answer = resolve)) });
    const ended = prompt('try');
    await expect.poll(() => keel.permissions.length, { timeout: 15_000 }).toBe(1);
    await keel.context.notify('session/cancel', { sessionId });
    // ACP: a client that cancels answers its pending permission requests `cancelled`.
    answer({ outcome: { outcome: 'cancelled' } });
    expect(await ended).toEqual({ stopReason: 'cancelled' });
    expect(fs.existsSync(at('ran.txt'))).toBe(false);
    expect(callUpdates(keel, 'c1').at(-1)).toMatchObject({ sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'failed' });
  });

  it('a file change allowed always is not asked again for the same file; one rejected is not written and ends failed', async () => {
    const second = { toolCall: { name: 'apply_patch', callId: 'p2', arguments: { input: '*** Begin Patch\n*** Update File: a.txt\n@@\n-2\n+3\n*** End Patch\n' } } };
    const always = await session({ files: { 'a.txt': '1\n' }, script: [[patch('*** Update File: a.txt\n@@\n-1\n+2\n')], [second], [{ text: 'Twice.' }]], args: ASKING, permission: allowAlways });
    expect(await always.prompt('edit twice')).toEqual({ stopReason: 'end_turn' });
    expect(always.keel.permissions.map((request) => request.toolCall.toolCallId)).toEqual(['p1']);
    expect(fs.readFileSync(always.at('a.txt'), 'utf8')).toBe('3\n');

    const rejected = await session({ files: { 'a.txt': '1\n' }, script: [[patch('*** Update File: a.txt\n@@\n-1\n+2\n')], [{ text: 'Left alone.' }]], args: ASKING, permission: reject });
    expect(await rejected.prompt('edit')).toEqual({ stopReason: 'end_turn' });
    expect(fs.readFileSync(rejected.at('a.txt'), 'utf8')).toBe('1\n');
    const hunk = [{ type: 'diff', path: rejected.at('a.txt'), oldText: '1', newText: '2' }];
    expect(callUpdates(rejected.keel, 'p1')).toEqual([
      { sessionUpdate: 'tool_call', toolCallId: 'p1', title: `Edit ${rejected.at('a.txt')}`, kind: 'edit', locations: [{ path: rejected.at('a.txt'), line: 1 }], content: hunk, status: 'in_progress' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'p1', status: 'pending' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'p1', status: 'failed' },
    ]);
  });

  it('session/load in a new process replays the tool calls exactly as they were streamed: the patch, the command, the plan', async () => {
    const plan = [{ step: 'Patch', status: 'in_progress' }];
    const first = await session({
      files: { 'old.txt': 'one\n' },
      script: [[{ toolCall: { name: 'update_plan', callId: 'u1', arguments: { plan } } }, patch('*** Update File: old.txt\n@@\n-one\n+ONE\n')], [exec('c1', 'echo a; echo b')], [{ text: 'Done.' }]],
      args: ASKING,
    });
    expect(await first.prompt('go')).toEqual({ stopReason: 'end_turn' });
    const live = first.keel.updates.map((n) => n.update);
    expect(live.filter((u) => u.sessionUpdate === 'tool_call').map((u) => (u as { toolCallId: string }).toolCallId)).toEqual(['p1', 'c1']);
    expect(await first.keel.close()).toBe(0);
    expect(first.keel.problems).toEqual([]);

    const second = await startAcpAgent({ home: first.home, args: ASKING });
    await second.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    expect(await second.context.request('session/load', { sessionId: first.sessionId, cwd: first.home, mcpServers: [] })).toMatchObject({ modes: { currentModeId: expect.any(String) } });
    expect(second.updates.map((n) => n.update).filter((u) => u.sessionUpdate !== 'user_message_chunk')).toEqual(live);
  });
});
