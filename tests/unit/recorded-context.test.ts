// The context a turn records (src/engine/turns/turn-context.ts) and where the conversation puts it
// (conversation.ts): what changed, kind by kind, and nothing when nothing did; a thread older than
// the record gets its first recorded context in front of its whole history; MCP tools in one order.
import { describe, expect, it } from 'vitest';
import type { ContextMessage, KeelEvent } from '../../src/core/events.js';
import { replay } from '../../src/core/reduce.js';
import { buildConversation } from '../../src/engine/turns/conversation.js';
import { mcpToolDefinitions, type McpToolInfo } from '../../src/engine/turns/mcp-tools.js';
import { PLAN_MODE_ENDED, PLAN_MODE_PROMPT } from '../../src/engine/turns/plan-mode.js';
import { contextChanges, contextInEffect, MODE_ENDED } from '../../src/engine/turns/turn-context.js';
import { agentMessage, created, ev, userMessage } from '../core/fixtures.js';

const msg = (kind: ContextMessage['kind'], text: string): ContextMessage => ({ kind, text });
const base = [msg('instructions', 'Keel prompt.'), msg('agents', 'repo AGENTS.md'), msg('environment', 'env day 1')];
/** Turn states whose recorded contexts are these, in order. */
const recorded = (...contexts: ContextMessage[][]) => contexts.map((context, i) => ({ id: `u${i}`, context }) as never);

describe('what a turn records', () => {
  const table: Array<[name: string, before: ContextMessage[][], now: ContextMessage[], keep: Array<ContextMessage['kind']>, recorded: ContextMessage[]]> = [
    ['the first turn: everything, in sending order', [], [msg('environment', 'env day 1'), msg('instructions', 'Keel prompt.'), msg('agents', 'repo AGENTS.md')], [], base],
    ['nothing changed: nothing', [base], base, [], []],
    ['a new day: the new environment', [base], [...base.slice(0, 2), msg('environment', 'env day 2')], [], [msg('environment', 'env day 2')]],
    ['an AGENTS.md added: every file that applies, again', [base], [...base.slice(0, 2), msg('agents', 'pkg AGENTS.md'), base[2]!], [], [msg('agents', 'repo AGENTS.md'), msg('agents', 'pkg AGENTS.md')]],
    [
      'no AGENTS.md any more: a note',
      [base],
      [base[0]!, base[2]!],
      [],
      [{ kind: 'agents', text: 'No AGENTS.md instructions apply any more: the AGENTS.md files given above were removed or are outside the working directory.', ended: true }],
    ],
    ['developer instructions dropped: a note', [[...base, msg('developer', 'Be brief.')]], base, [], [{ kind: 'developer', text: 'The developer instructions given above no longer apply.', ended: true }]],
    ['Plan mode entered', [base], [...base, msg('mode', PLAN_MODE_PROMPT)], [], [msg('mode', PLAN_MODE_PROMPT)]],
    ['Plan mode again: nothing', [base, [msg('mode', PLAN_MODE_PROMPT)]], [...base, msg('mode', PLAN_MODE_PROMPT)], [], []],
    ['Plan mode left', [base, [msg('mode', PLAN_MODE_PROMPT)]], base, [], [{ kind: 'mode', text: PLAN_MODE_ENDED, ended: true }]],
    ["a mode's own instructions left", [base, [msg('mode', 'Only Python.')]], base, [], [{ kind: 'mode', text: MODE_ENDED, ended: true }]],
    ['default after Plan mode left: nothing', [base, [msg('mode', PLAN_MODE_PROMPT)], [{ kind: 'mode', text: PLAN_MODE_ENDED, ended: true }]], base, [], []],
    ["a compaction's turn keeps the mode", [base, [msg('mode', PLAN_MODE_PROMPT)]], base, ['mode'], []],
  ];
  it.each(table)('%s', (_name, before, now, keep, expected) => {
    expect(contextChanges(contextInEffect(recorded(...before)), now, keep)).toEqual(expected);
  });
});

describe('where the conversation puts it', () => {
  const signal = new AbortController().signal;
  const turn = (id: string, at: number, user: string, agent: string, context?: ContextMessage[]): KeelEvent[] => [
    ev('turn/started', at, { turnId: id, model: null }),
    ev('item/completed', at + 1, { turnId: id, itemId: `${id}-m`, item: userMessage(`${id}-m`, user) }),
    ...(context ? [ev('turn/context', at + 2, { turnId: id, context })] : []),
    ev('item/completed', at + 3, { turnId: id, itemId: `${id}-a`, item: agentMessage(`${id}-a`, agent) }),
    ev('turn/completed', at + 4, { turnId: id, status: 'completed', error: null }),
  ];
  const user = (text: string) => ({ type: 'user', content: [{ type: 'text', text }] });

  it("before each turn's message, where it was recorded", async () => {
    const thread = replay([created(), ...turn('u1', 1100, 'first', 'one', base), ...turn('u2', 1200, 'second', 'two', [msg('environment', 'env day 2'), msg('mode', 'Only Python.')])])!;
    expect(await buildConversation(thread, 'openai', signal)).toEqual([
      { type: 'developer', text: 'Keel prompt.' },
      user('repo AGENTS.md'),
      user('env day 1'),
      user('first'),
      { type: 'assistant', text: 'one' },
      user('env day 2'),
      { type: 'developer', text: 'Only Python.' },
      user('second'),
      { type: 'assistant', text: 'two' },
    ]);
  });

  it('a thread older than the record: its first recorded context in front of its whole history', async () => {
    const thread = replay([created(), ...turn('u1', 1100, 'old', 'old answer'), ...turn('u2', 1200, 'new', 'new answer', base)])!;
    expect(await buildConversation(thread, 'openai', signal)).toEqual([
      { type: 'developer', text: 'Keel prompt.' },
      user('repo AGENTS.md'),
      user('env day 1'),
      user('old'),
      { type: 'assistant', text: 'old answer' },
      user('new'),
      { type: 'assistant', text: 'new answer' },
    ]);
  });
});

it('MCP tools go by qualified name, whatever order their servers list them or become ready in', () => {
  const tool = (server: string, name: string): McpToolInfo => ({ qualifiedName: `mcp__${server}__${name}`, server, tool: name, description: name, inputSchema: { type: 'object', properties: {} }, annotations: null });
  const names = (tools: McpToolInfo[]) => mcpToolDefinitions(tools).map((definition) => definition.name);
  expect(names([tool('zeta', 'b'), tool('zeta', 'a'), tool('alpha', 'x')])).toEqual(['mcp__alpha__x', 'mcp__zeta__a', 'mcp__zeta__b']);
  // A server ready later: its tools join among the others, which keep their order.
  expect(names([tool('zeta', 'b'), tool('zeta', 'a'), tool('alpha', 'x'), tool('mid', 'q')])).toEqual(['mcp__alpha__x', 'mcp__mid__q', 'mcp__zeta__a', 'mcp__zeta__b']);
});
