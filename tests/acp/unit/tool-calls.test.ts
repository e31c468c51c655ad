// The ACP encoder alone (acp-tool-calls.ts, acp-updates.ts, acp-questions.ts): Keel's items, events
// and questions in, ACP's tool calls, updates and permission requests out — tables, no process.
import { describe, expect, it } from 'vitest';
import { stampEvent, type EventBody, type KeelEvent } from '../../../src/core/events.js';
import type { ThreadItem } from '../../../src/core/protocol-types.js';
import { hunks, toolCall } from '../../../src/server/acp/acp-tool-calls.js';
import { permissionRequest, answerOf } from '../../../src/server/acp/acp-questions.js';
import { LIVE_OUTPUT_TAIL_CHARS, ToolCallMemory, updatesFor } from '../../../src/server/acp/acp-updates.js';
import type { QuestionOf } from '../../../src/engine/questions.js';

const command = (over: Partial<Extract<ThreadItem, { type: 'commandExecution' }>> = {}): ThreadItem => ({
  type: 'commandExecution', id: 'c1', command: 'ls', cwd: '/w', processId: null, source: 'agent', status: 'inProgress', commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null, ...over,
});
const fileChange: ThreadItem = { type: 'fileChange', id: 'p1', status: 'inProgress', changes: [{ path: '/w/a.txt', kind: { type: 'update', move_path: null }, diff: '@@ -7,2 +8,2 @@\n keep\n-old\n+new\n' }] };

describe('toolCall: every tool item as an ACP tool call', () => {
  it.each<[string, ThreadItem, object]>([
    ['a command of unknown actions executes', command({ command: 'make', commandActions: [{ type: 'unknown', command: 'make' }] }), { title: 'make', kind: 'execute' }],
    ['a read names its file and locates it', command({ command: 'cat a.txt', commandActions: [{ type: 'read', command: 'cat a.txt', name: 'a.txt', path: 'a.txt' }] }), { title: 'Read a.txt', kind: 'read', locations: [{ path: '/w/a.txt' }] }],
    ['a search', command({ command: 'rg foo src', commandActions: [{ type: 'search', command: 'rg foo src', query: 'foo', path: 'src' }] }), { title: 'Search foo in src', kind: 'search', locations: [{ path: '/w/src' }] }],
    ['a listing is a search', command({ command: 'ls src', commandActions: [{ type: 'listFiles', command: 'ls src', path: 'src' }] }), { title: 'List src', kind: 'search' }],
    ['one unknown action is titled with its own words', command({ command: "bash -c 'make all'", commandActions: [{ type: 'unknown', command: 'make all' }] }), { title: 'make all', kind: 'execute' }],
    ['a read then a build executes', command({ command: 'cat a && make', commandActions: [{ type: 'read', command: 'cat a', name: 'a', path: 'a' }, { type: 'unknown', command: 'make' }] }), { title: 'cat a && make', kind: 'execute' }],
    ['an MCP tool', { type: 'mcpToolCall', id: 'm1', server: 'docs', tool: 'lookup', status: 'completed', arguments: { q: 1 }, result: { content: [] }, error: null, durationMs: 5 }, { title: 'docs: lookup', kind: 'other', rawInput: { server: 'docs', tool: 'lookup', arguments: { q: 1 } }, content: [], rawOutput: { content: [] } }],
    ['a dynamic tool', { type: 'dynamicToolCall', id: 'd1', tool: 'ask_db', arguments: {}, status: 'inProgress', contentItems: null, success: null, durationMs: null }, { title: 'ask_db', kind: 'other', rawInput: { tool: 'ask_db', arguments: {} } }],
    ['a web search', { type: 'webSearch', id: 'w1', query: 'acp', action: { type: 'search', query: 'acp' } }, { title: 'Search: acp', kind: 'search' }],
    ['an opened page is a fetch', { type: 'webSearch', id: 'w2', query: 'acp', action: { type: 'openPage', url: 'https://x.dev' } }, { title: 'Fetch https://x.dev', kind: 'fetch' }],
    ['an image viewed is a read', { type: 'imageView', id: 'i1', path: '/w/shot.png' }, { title: 'View shot.png', kind: 'read', locations: [{ path: '/w/shot.png' }] }],
    ['a deletion', { type: 'fileChange', id: 'p2', status: 'inProgress', changes: [{ path: '/w/b', kind: { type: 'delete' }, diff: 'gone\n' }] }, { title: 'Delete /w/b', kind: 'delete', content: [{ type: 'diff', path: '/w/b', oldText: 'gone\n', newText: '' }] }],
    ['a move', { type: 'fileChange', id: 'p3', status: 'inProgress', changes: [{ path: '/w/b', kind: { type: 'update', move_path: '/w/c' }, diff: '' }] }, { title: 'Move /w/b → /w/c', kind: 'move', locations: [{ path: '/w/b' }, { path: '/w/c' }], content: [] }],
    ['a moved file\'s update is located in its new file', { type: 'fileChange', id: 'p4', status: 'inProgress', changes: [{ path: '/w/b', kind: { type: 'update', move_path: '/w/c' }, diff: '@@ -2 +3 @@\n-x\n+y\n' }] }, { kind: 'move', locations: [{ path: '/w/b' }, { path: '/w/c', line: 3 }], content: [{ type: 'diff', path: '/w/c', oldText: 'x', newText: 'y' }] }],
  ])('%s', (_name, item, expected) => {
    expect(toolCall(item)).toMatchObject({ toolCallId: item.id, ...expected });
  });

  it('leaves messages and reasoning out', () => {
    expect(toolCall({ type: 'reasoning', id: 'r', summary: [], content: [] })).toBeNull();
    expect(toolCall({ type: 'agentMessage', id: 'a', text: 'hi', phase: null, memoryCitation: null })).toBeNull();
  });

  it('splits a unified diff into the old and new sides of each hunk', () => {
    expect(hunks('@@ -1,2 +1,2 @@\n keep\n-old\n+new\n\\ No newline at end of file\n@@ -9 +9 @@\n-x\n+y\n')).toEqual([
      { oldText: 'keep\nold', newText: 'keep\nnew' },
      { oldText: 'x', newText: 'y' },
    ]);
  });
});

describe('updatesFor: a fold over the thread\'s events', () => {
  const stamp = (body: EventBody): KeelEvent => stampEvent('t1', 0, body);
  const run = (bodies: EventBody[]) => {
    const calls = new ToolCallMemory();
    return bodies.flatMap((body) => updatesFor(stamp(body), { withUserMessages: false, calls }));
  };

  it('a command asked, allowed, streamed and ended: one tool call, output whole in each update, its exit code', () => {
    const started = command({ command: 'make' });
    const done = command({ command: 'make', status: 'completed', aggregatedOutput: 'a\nb\n', exitCode: 0, durationMs: 7 });
    expect(run([
      { type: 'item/started', turnId: 'u', itemId: 'c1', item: started },
      { type: 'request/opened', turnId: 'u', itemId: 'c1', requestKey: 'k', kind: 'commandApproval', subject: 'make', reason: null },
      { type: 'request/resolved', turnId: 'u', itemId: 'c1', requestKey: 'k', kind: 'commandApproval', decision: 'accept', by: 'client', subject: 'make' },
      { type: 'item/started', turnId: 'u', itemId: 'c1', item: started },
      { type: 'item/delta', turnId: 'u', itemId: 'c1', channel: 'commandOutput', index: 0, delta: 'a\n' },
      { type: 'item/delta', turnId: 'u', itemId: 'c1', channel: 'commandOutput', index: 0, delta: 'b\n' },
      { type: 'item/completed', turnId: 'u', itemId: 'c1', item: done },
    ])).toEqual([
      { sessionUpdate: 'tool_call', toolCallId: 'c1', title: 'make', kind: 'execute', rawInput: { command: 'make', cwd: '/w' }, status: 'in_progress' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'pending' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'in_progress' },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', content: [{ type: 'content', content: { type: 'text', text: 'a\n' } }] },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', content: [{ type: 'content', content: { type: 'text', text: 'a\nb\n' } }] },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'completed', content: [{ type: 'content', content: { type: 'text', text: 'a\nb\n' } }], rawOutput: { exitCode: 0, durationMs: 7 } },
    ]);
  });

  it('a decision remembered for the session updates nothing (its call has not started); a declined item ends failed', () => {
    expect(run([
      { type: 'request/resolved', turnId: 'u', itemId: 'c2', requestKey: 'k', kind: 'commandApproval', decision: 'acceptForSession', by: 'session', subject: 'make' },
      { type: 'item/completed', turnId: 'u', itemId: 'c3', item: command({ id: 'c3', status: 'declined' }) },
    ])).toEqual([{ sessionUpdate: 'tool_call_update', toolCallId: 'c3', status: 'failed', rawOutput: { exitCode: null, durationMs: null } }]);
  });

  it('a file change keeps its diffs at completion: the whole ones of its write intent', () => {
    const updates = run([
      { type: 'item/writeIntent', turnId: 'u', itemId: 'p1', changes: [{ path: '/w/a.txt', movePath: null, before: 'keep\nold\n', after: 'keep\nnew\n' }, { path: '/w/n', movePath: null, before: null, after: 'hi' }, { path: '/w/d', movePath: null, before: 'x', after: null }] },
      { type: 'item/completed', turnId: 'u', itemId: 'p1', item: { ...fileChange, status: 'completed' } as ThreadItem },
    ]);
    expect(updates).toEqual([
      { sessionUpdate: 'tool_call_update', toolCallId: 'p1', content: [
        { type: 'diff', path: '/w/a.txt', oldText: 'keep\nold\n', newText: 'keep\nnew\n' },
        { type: 'diff', path: '/w/n', oldText: null, newText: 'hi' },
        { type: 'diff', path: '/w/d', oldText: 'x', newText: '' },
      ] },
      { sessionUpdate: 'tool_call_update', toolCallId: 'p1', status: 'completed' },
    ]);
  });

  it('a turn\'s end closes the calls it left open: the same item replayed afterwards is shown again, its output anew', () => {
    const started: EventBody = { type: 'item/started', turnId: 'u', itemId: 'c1', item: command() };
    const output: EventBody = { type: 'item/delta', turnId: 'u', itemId: 'c1', channel: 'commandOutput', index: 0, delta: 'x' };
    const ended: EventBody = { type: 'turn/completed', turnId: 'u', status: 'interrupted', error: null } as EventBody;
    const once = run([started, output, ended]);
    expect(run([started, output, ended, started, output, ended])).toEqual([...once, ...once]);
  });

  it('a long output\'s updates carry its tail, so what is resent stays bounded', () => {
    const chunk = 'x'.repeat(LIVE_OUTPUT_TAIL_CHARS / 2 - 1) + '\n';
    const deltas = [1, 2, 3].map((n): EventBody => ({ type: 'item/delta', turnId: 'u', itemId: 'c1', channel: 'commandOutput', index: 0, delta: chunk.replace('x', String(n)) }));
    const texts = run(deltas).map((u) => ((u as { content: Array<{ content: { text: string } }> }).content[0]!.content.text));
    expect(texts.map((t) => t.length)).toEqual([chunk.length, 2 * chunk.length, LIVE_OUTPUT_TAIL_CHARS]);
    expect(texts[2]).toBe((chunk.replace('x', '2') + chunk.replace('x', '3')).slice(-LIVE_OUTPUT_TAIL_CHARS));
  });

  it('a plan with every entry, its statuses mapped', () => {
    expect(run([{ type: 'turn/planUpdated', turnId: 'u', explanation: null, plan: [{ step: 'a', status: 'inProgress' }, { step: 'b', status: 'pending' }] }])).toEqual([
      { sessionUpdate: 'plan', entries: [{ content: 'a', priority: 'medium', status: 'in_progress' }, { content: 'b', priority: 'medium', status: 'pending' }] },
    ]);
  });
});

describe('permission requests', () => {
  const fileQuestion: QuestionOf<'fileChangeApproval'> = { kind: 'fileChangeApproval', threadId: 't1', turnId: 'u', itemId: 'p1', startedAtMs: 0, reason: 'outside the workspace' };

  it('a file change shows its diff, from the item started just before the question', () => {
    expect(permissionRequest('t1', fileQuestion, fileChange)).toEqual({
      sessionId: 't1',
      toolCall: { toolCallId: 'p1', title: 'Edit /w/a.txt', kind: 'edit', status: 'pending', locations: [{ path: '/w/a.txt', line: 8 }], content: [{ type: 'diff', path: '/w/a.txt', oldText: 'keep\nold', newText: 'keep\nnew' }], rawInput: { reason: 'outside the workspace' } },
      options: [
        { optionId: 'allow_once', name: 'Allow', kind: 'allow_once' },
        { optionId: 'allow_always', name: 'Always allow', kind: 'allow_always' },
        { optionId: 'reject_once', name: 'Reject', kind: 'reject_once' },
      ],
    });
  });

  it.each([
    [{ outcome: { outcome: 'selected', optionId: 'allow_once' } }, 'accept'],
    [{ outcome: { outcome: 'selected', optionId: 'allow_always' } }, 'acceptForSession'],
    [{ outcome: { outcome: 'selected', optionId: 'reject_once' } }, 'decline'],
    [{ outcome: { outcome: 'cancelled' } }, 'cancel'],
    [null, 'decline'],
  ] as const)('the reply %j is the answer %s', (reply, answer) => {
    expect(answerOf(fileQuestion, reply)).toBe(answer);
  });
});
