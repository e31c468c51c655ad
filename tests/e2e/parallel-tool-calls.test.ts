// Several tool calls in one response, end to end on the Responses wire: the calls that only read
// run side by side, a writing call waits for them; items go out and outputs go back in call order;
// an interrupt ends every call of the batch. The reads are `cat` of FIFOs the test writes only once
// both commands have started, so the batch can finish only if the two reads overlapped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import type { KeelProcess } from '../helpers/keel-process.js';
import { pathWithout, startOnHost } from '../helpers/host-path.js';
import { FULL_ACCESS, keelWithThread, params, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { exitedText, read, workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();

function start(cwd: string) {
  return keelWithThread({ thread: FULL_ACCESS, spawn: { cwd, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } } });
}

const call = (callId: string, name: string, args: object) => wire.functionCall(callId, name, JSON.stringify(args));
/** A workspace with two FIFOs: `cat` of either blocks until the test writes it. */
function fifos(): string {
  const cwd = workspace({ 'a.txt': 'one\n' });
  execFileSync('mkfifo', [path.join(cwd, 'p1'), path.join(cwd, 'p2')]);
  return cwd;
}
const PATCH = '*** Begin Patch\n*** Update File: a.txt\n@@\n-one\n+two\n*** End Patch';
// Both reads wait far longer than the test does: they return when their FIFO is written, not on a yield.
const THREE_CALLS = [
  call('c1', 'exec_command', { cmd: 'cat p1', yield_time_ms: 30_000 }),
  call('c2', 'exec_command', { cmd: 'cat p2', yield_time_ms: 30_000 }),
  // gpt-5 is offered apply_patch freeform: the patch comes as raw text.
  wire.customToolCall('c3', 'apply_patch', PATCH),
];

/** The lifecycle of the batch's items as the client saw it (deltas left out). */
const lifecycle = (keel: KeelProcess, from: number) =>
  keel.messages
    .slice(from)
    .filter((m) => m.method === 'item/started' || m.method === 'item/completed')
    .map((m) => `${m.method} ${params(m).item.id}`)
    .filter((line) => / c[123]$/.test(line));

const itemStarted = (id: string) => (m: { method?: string; params?: unknown }) => m.method === 'item/started' && params(m).item.id === id;
const itemCompleted = (id: string) => (m: { method?: string; params?: unknown }) => m.method === 'item/completed' && params(m).item.id === id;

describe('several tool calls in one response', () => {
  it('runs the two reads side by side and the patch after them; items and outputs in call order', async () => {
    const cwd = fifos();
    fake.script(wire.route, [{ sse: wire.stream(THREE_CALLS) }, { sse: wire.stream([wire.message('Done.')]) }]);
    const { keel, threadId } = await start(cwd);
    const before = keel.messages.length;
    await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'read both, then patch' }] });
    // Run one after the other, c2 would not start before c1 ends, and c1 ends only once p1 is written.
    await keel.waitFor(itemStarted('c2'));
    await fs.writeFile(path.join(cwd, 'p1'), 'first\n');
    await keel.waitFor(itemCompleted('c1'));
    await fs.writeFile(path.join(cwd, 'p2'), 'second\n');
    const completed = await keel.waitFor((m) => m.method === 'turn/completed');
    expect(turnOf([completed])).toMatchObject({ status: 'completed', error: null });
    expect(lifecycle(keel, before)).toEqual(['item/started c1', 'item/started c2', 'item/completed c1', 'item/completed c2', 'item/started c3', 'item/completed c3']);
    expect(read(cwd, 'a.txt')).toBe('two\n');
    const body = conversationBody(fake.calls[1]!);
    expect(body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'read both, then patch' }] },
      { type: 'function_call', call_id: 'c1', name: 'exec_command', arguments: '{"cmd":"cat p1","yield_time_ms":30000}' },
      { type: 'function_call', call_id: 'c2', name: 'exec_command', arguments: '{"cmd":"cat p2","yield_time_ms":30000}' },
      { type: 'custom_tool_call', call_id: 'c3', name: 'apply_patch', input: PATCH },
      { type: 'function_call_output', call_id: 'c1', output: expect.stringMatching(exitedText(0, 'first\n')) },
      { type: 'function_call_output', call_id: 'c2', output: expect.stringMatching(exitedText(0, 'second\n')) },
      { type: 'custom_tool_call_output', call_id: 'c3', output: 'Success. Updated the following files:\nM a.txt\n' },
    ]);
    expect(body).toEqual({ ...conversationBody(fake.calls[0]!), input: body.input });
  });

  it('an interrupt ends the reads running side by side; the patch after them never runs', async () => {
    const cwd = fifos();
    fake.script(wire.route, [{ sse: wire.stream(THREE_CALLS) }]);
    const { keel, threadId } = await start(cwd);
    const before = keel.messages.length;
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'read both, then patch' }] });
    await keel.waitFor(itemStarted('c2'));
    await keel.request('turn/interrupt', { threadId, turnId: turn.id });
    const completed = await keel.waitFor((m) => m.method === 'turn/completed');
    expect(turnOf([completed])).toMatchObject({ id: turn.id, status: 'interrupted' });
    const seen = lifecycle(keel, before);
    // Both end at once, killed: in either order.
    expect([...seen.slice(0, 2), ...seen.slice(2).sort()]).toEqual(['item/started c1', 'item/started c2', 'item/completed c1', 'item/completed c2']);
    expect(read(cwd, 'a.txt')).toBe('one\n');
  });

  it('reads that must be approved are asked one at a time, in call order', async () => {
    // No bubblewrap here: under on-request every sandboxed command, reads too, is asked to run without it.
    const cwd = workspace({ 'a.txt': 'one\n', 'b.txt': 'two\n', 'c.txt': 'three\n' });
    fake.script(wire.route, [
      { sse: wire.stream(['a', 'b', 'c'].map((name, i) => call(`c${i + 1}`, 'exec_command', { cmd: `cat ${name}.txt` }))) },
      { sse: wire.stream([wire.message('Done.')]) },
    ]);
    const { keel, threadId } = await startOnHost(fake.url, cwd, pathWithout('bwrap'), 'on-request');
    const before = keel.messages.length;
    await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'read all three' }] });
    for (const id of ['c1', 'c2', 'c3']) {
      const request = await keel.waitFor((m) => m.method === 'item/commandExecution/requestApproval' && m.id !== undefined && params(m).itemId === id);
      keel.sendLine(JSON.stringify({ id: request.id, result: { decision: 'accept' } }));
    }
    const completed = await keel.waitFor((m) => m.method === 'turn/completed');
    expect(turnOf([completed])).toMatchObject({ status: 'completed', error: null });
    // Each question is settled before the next is asked.
    const questions = keel.messages
      .slice(before)
      .filter((m) => m.method === 'item/commandExecution/requestApproval' || m.method === 'serverRequest/resolved')
      .map((m) => (m.method === 'serverRequest/resolved' ? 'resolved' : `asked ${params(m).itemId}`));
    expect(questions).toEqual(['asked c1', 'resolved', 'asked c2', 'resolved', 'asked c3', 'resolved']);
    expect(fake.calls[1]!.body).toMatchObject({ input: expect.arrayContaining([expect.objectContaining({ type: 'function_call_output', call_id: 'c3', output: expect.stringMatching(exitedText(0, 'three\n')) })]) });
  });
});
