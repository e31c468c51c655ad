import { describe, expect, it } from 'vitest';
import { reduce, reduceThread, replay } from '../../src/core/reduce.js';
import { emptyKeelState } from '../../src/core/state.js';
import { agentMessage, created, ev, plain, settings, userMessage } from './fixtures.js';

const origin = { ephemeral: false, cliVersion: '0.1.0', forkedFromId: null };
const base = {
  id: 't1',
  settings,
  origin,
  name: null,
  preview: '',
  createdAtMs: 1000,
  archived: false,
  activeTurnId: null,
  tokenUsage: null,
};
const noError = null;
/** A call's usage: input (of which cached), output; no cache writes or reasoning. */
const tokens = (input: number, cached: number, output: number) => ({ inputTokens: input, cachedInputTokens: cached, cacheWriteInputTokens: 0, outputTokens: output, reasoningOutputTokens: 0, totalTokens: input + output });
const fileChange = (id: string, status: 'inProgress' | 'completed' | 'failed') => ({ type: 'fileChange' as const, id, changes: [], status });
const undoA = { path: '/work/a.txt', movePath: null, before: 'a1\n', after: 'a2\n' };

const cases = [
  {
    name: 'a created thread is empty and idle',
    events: [created()],
    expected: { ...base, updatedAtMs: 1000, turns: [] },
  },
  {
    name: 'a turn streams an agent message and completes',
    events: [
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: 'gpt-test' }),
      ev('item/started', 1101, { turnId: 'u1', itemId: 'm1', item: userMessage('m1', 'hello') }),
      ev('item/completed', 1102, { turnId: 'u1', itemId: 'm1', item: userMessage('m1', 'hello') }),
      ev('item/started', 1103, { turnId: 'u1', itemId: 'a1', item: agentMessage('a1', '') }),
      ev('item/delta', 1104, { turnId: 'u1', itemId: 'a1', channel: 'agentMessage', index: 0, delta: 'Hel' }),
      ev('item/delta', 1105, { turnId: 'u1', itemId: 'a1', channel: 'agentMessage', index: 0, delta: 'lo!' }),
      ev('turn/completed', 1200, { turnId: 'u1', status: 'completed', error: noError }),
    ],
    expected: {
      ...base,
      preview: 'hello',
      updatedAtMs: 1200,
      turns: [
        {
          id: 'u1',
          status: 'completed',
          error: null,
          startedAtMs: 1100,
          completedAtMs: 1200,
          model: 'gpt-test',
          items: [
            { item: userMessage('m1', 'hello'), startedAtMs: 1101, completedAtMs: 1102 },
            { item: agentMessage('a1', 'Hello!'), startedAtMs: 1103, completedAtMs: null },
          ],
        },
      ],
    },
  },
  {
    name: 'reasoning deltas fill summary parts and raw content by index',
    events: [
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: null }),
      ev('item/started', 1101, { turnId: 'u1', itemId: 'r1', item: { type: 'reasoning', id: 'r1', summary: [], content: [] } }),
      ev('item/summaryPartAdded', 1102, { turnId: 'u1', itemId: 'r1', index: 0 }),
      ev('item/delta', 1103, { turnId: 'u1', itemId: 'r1', channel: 'reasoningSummary', index: 0, delta: 'think' }),
      ev('item/delta', 1104, { turnId: 'u1', itemId: 'r1', channel: 'reasoningSummary', index: 1, delta: 'more' }),
      ev('item/delta', 1105, { turnId: 'u1', itemId: 'r1', channel: 'reasoningText', index: 0, delta: 'raw' }),
    ],
    expected: {
      ...base,
      updatedAtMs: 1105,
      activeTurnId: 'u1',
      turns: [
        {
          id: 'u1',
          status: 'inProgress',
          error: null,
          startedAtMs: 1100,
          completedAtMs: null,
          model: null,
          items: [{ item: { type: 'reasoning', id: 'r1', summary: ['think', 'more'], content: ['raw'] }, startedAtMs: 1101, completedAtMs: null }],
        },
      ],
    },
  },
  {
    name: 'item/completed is authoritative over streamed text',
    events: [
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: null }),
      ev('item/started', 1101, { turnId: 'u1', itemId: 'a1', item: agentMessage('a1', '') }),
      ev('item/delta', 1102, { turnId: 'u1', itemId: 'a1', channel: 'agentMessage', index: 0, delta: 'draft' }),
      ev('item/completed', 1103, { turnId: 'u1', itemId: 'a1', item: agentMessage('a1', 'final') }),
    ],
    expected: {
      ...base,
      updatedAtMs: 1103,
      activeTurnId: 'u1',
      turns: [
        {
          id: 'u1',
          status: 'inProgress',
          error: null,
          startedAtMs: 1100,
          completedAtMs: null,
          model: null,
          items: [{ item: agentMessage('a1', 'final'), startedAtMs: 1101, completedAtMs: 1103 }],
        },
      ],
    },
  },
  {
    name: 'revert drops the named turn and every later one; rename and archive record',
    events: [
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: null }),
      ev('turn/completed', 1110, { turnId: 'u1', status: 'completed', error: noError }),
      ev('turn/started', 1200, { turnId: 'u2', model: null }),
      ev('turn/completed', 1210, { turnId: 'u2', status: 'interrupted', error: noError }),
      ev('turn/started', 1300, { turnId: 'u3', model: null }),
      ev('turn/completed', 1310, { turnId: 'u3', status: 'failed', error: { message: 'boom', codexErrorInfo: 'other', additionalDetails: null } }),
      ev('thread/reverted', 1400, { beforeTurnId: 'u2' }),
      ev('thread/renamed', 1500, { name: 'Named' }),
      ev('thread/archived', 1600, {}),
    ],
    expected: {
      ...base,
      name: 'Named',
      archived: true,
      updatedAtMs: 1600,
      turns: [{ id: 'u1', status: 'completed', error: null, startedAtMs: 1100, completedAtMs: 1110, model: null, items: [] }],
    },
  },
  {
    name: 'a write intent is pending until its item completes, then becomes the undo of a completed change',
    events: [
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: null }),
      ev('item/started', 1101, { turnId: 'u1', itemId: 'p1', item: fileChange('p1', 'inProgress') }),
      ev('item/writeIntent', 1102, { turnId: 'u1', itemId: 'p1', changes: [undoA] }),
      ev('item/completed', 1103, { turnId: 'u1', itemId: 'p1', item: fileChange('p1', 'completed'), modelOutput: 'Success.' }),
    ],
    expected: {
      ...base,
      updatedAtMs: 1103,
      activeTurnId: 'u1',
      turns: [
        {
          id: 'u1',
          status: 'inProgress',
          error: null,
          startedAtMs: 1100,
          completedAtMs: null,
          model: null,
          items: [{ item: fileChange('p1', 'completed'), startedAtMs: 1101, completedAtMs: 1103, modelOutput: 'Success.', undo: [undoA] }],
        },
      ],
    },
  },
  {
    name: 'an intent left open stays pending; an item that failed keeps no undo',
    events: [
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: null }),
      ev('item/started', 1101, { turnId: 'u1', itemId: 'p1', item: fileChange('p1', 'inProgress') }),
      ev('item/writeIntent', 1102, { turnId: 'u1', itemId: 'p1', changes: [undoA] }),
      ev('item/completed', 1103, { turnId: 'u1', itemId: 'p1', item: fileChange('p1', 'failed'), modelOutput: 'undone' }),
      ev('item/started', 1104, { turnId: 'u1', itemId: 'p2', item: fileChange('p2', 'inProgress') }),
      ev('item/writeIntent', 1105, { turnId: 'u1', itemId: 'p2', changes: [undoA] }),
    ],
    expected: {
      ...base,
      updatedAtMs: 1105,
      activeTurnId: 'u1',
      pendingWrites: [{ turnId: 'u1', itemId: 'p2', changes: [undoA] }],
      turns: [
        {
          id: 'u1',
          status: 'inProgress',
          error: null,
          startedAtMs: 1100,
          completedAtMs: null,
          model: null,
          items: [
            { item: fileChange('p1', 'failed'), startedAtMs: 1101, completedAtMs: 1103, modelOutput: 'undone' },
            { item: fileChange('p2', 'inProgress'), startedAtMs: 1104, completedAtMs: null },
          ],
        },
      ],
    },
  },
  {
    name: 'a revert that restores files keeps them pending until they are marked restored',
    events: [
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: null }),
      ev('turn/completed', 1110, { turnId: 'u1', status: 'completed', error: noError }),
      ev('thread/reverted', 1200, { beforeTurnId: 'u1', restore: [undoA] }),
    ],
    expected: { ...base, updatedAtMs: 1200, turns: [], pendingWrites: [{ turnId: null, itemId: null, changes: [undoA] }] },
  },
  {
    name: 'a restore marked done leaves nothing pending',
    events: [
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: null }),
      ev('turn/completed', 1110, { turnId: 'u1', status: 'completed', error: noError }),
      ev('thread/reverted', 1200, { beforeTurnId: 'u1', restore: [undoA] }),
      ev('thread/filesRestored', 1210, {}),
    ],
    expected: { ...base, updatedAtMs: 1210, turns: [] },
  },
  {
    name: 'usage: the reducer sums the thread total, and each turn\'s and the thread\'s usage per provider and model; a wire total is taken as it is',
    events: [
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: 'gpt-5' }),
      ev('item/started', 1101, { turnId: 'u1', itemId: 'm1', item: userMessage('m1', 'hi') }),
      ev('turn/tokenUsage', 1110, { turnId: 'u1', last: tokens(100, 50, 10), modelContextWindow: 400_000, route: { provider: 'openai', model: 'gpt-5' } }),
      ev('turn/tokenUsage', 1120, { turnId: 'u1', last: tokens(200, 150, 20), modelContextWindow: 200_000, route: { provider: 'anthropic', model: 'claude-sonnet-4-5' } }),
      ev('turn/started', 1200, { turnId: 'u2', model: 'gpt-5' }),
      ev('turn/tokenUsage', 1210, { turnId: 'u2', last: tokens(300, 250, 30), modelContextWindow: 400_000, route: { provider: 'openai', model: 'gpt-5' } }),
      ev('turn/tokenUsage', 1220, { turnId: 'u2', last: tokens(1, 0, 1), modelContextWindow: null, total: tokens(9000, 0, 900) }),
    ],
    expected: {
      ...base,
      preview: 'hi',
      updatedAtMs: 1220,
      activeTurnId: 'u2',
      tokenUsage: { total: tokens(9000, 0, 900), last: tokens(1, 0, 1), modelContextWindow: null },
      usage: [
        { route: { provider: 'openai', model: 'gpt-5' }, usage: tokens(400, 300, 40) },
        { route: { provider: 'anthropic', model: 'claude-sonnet-4-5' }, usage: tokens(200, 150, 20) },
        { route: null, usage: tokens(1, 0, 1) },
      ],
      usageMark: { turnId: 'u2', items: 0, inputTokens: 1, outputTokens: 1 },
      turns: [
        {
          id: 'u1',
          status: 'inProgress',
          error: null,
          startedAtMs: 1100,
          completedAtMs: null,
          model: 'gpt-5',
          items: [{ item: userMessage('m1', 'hi'), startedAtMs: 1101, completedAtMs: null }],
          usage: [
            { route: { provider: 'openai', model: 'gpt-5' }, usage: tokens(100, 50, 10) },
            { route: { provider: 'anthropic', model: 'claude-sonnet-4-5' }, usage: tokens(200, 150, 20) },
          ],
        },
        {
          id: 'u2',
          status: 'inProgress',
          error: null,
          startedAtMs: 1200,
          completedAtMs: null,
          model: 'gpt-5',
          items: [],
          usage: [
            { route: { provider: 'openai', model: 'gpt-5' }, usage: tokens(300, 250, 30) },
            { route: null, usage: tokens(1, 0, 1) },
          ],
        },
      ],
    },
  },
];

describe('reduce (tables: events in, whole state out)', () => {
  for (const { name, events, expected } of cases) {
    it(name, () => {
      expect(plain(replay(events))).toEqual(expected);
    });
  }
});

describe('no-ops return the same reference', () => {
  const state = replay([created(), ev('turn/started', 1100, { turnId: 'u1', model: null })])!;
  const noOps = [
    ['a second creation', created(2000)],
    ['a turn that already exists', ev('turn/started', 2000, { turnId: 'u1', model: null })],
    ['completing an unknown turn', ev('turn/completed', 2000, { turnId: 'zz', status: 'completed', error: null })],
    ['an item for an unknown turn', ev('item/started', 2000, { turnId: 'zz', itemId: 'i', item: agentMessage('i', '') })],
    ['a delta for an unknown item', ev('item/delta', 2000, { turnId: 'u1', itemId: 'zz', channel: 'agentMessage', index: 0, delta: 'x' })],
    ['reverting to an unknown turn', ev('thread/reverted', 2000, { beforeTurnId: 'zz' })],
    ['unarchiving a live thread', ev('thread/unarchived', 2000, {})],
    ['a write intent for an unknown item', ev('item/writeIntent', 2000, { turnId: 'u1', itemId: 'zz', changes: [undoA] })],
    ['files restored with no restore pending', ev('thread/filesRestored', 2000, {})],
    ['a transient error', ev('turn/error', 2000, { turnId: 'u1', error: { message: 'retrying', codexErrorInfo: null, additionalDetails: null }, willRetry: true })],
  ] as const;
  for (const [name, event] of noOps) {
    it(name, () => expect(reduceThread(state, event)).toBe(state));
  }
  it('events for a thread nobody created', () => {
    expect(reduceThread(undefined, ev('turn/started', 1, { turnId: 'u1', model: null }))).toBeUndefined();
    expect(reduce(emptyKeelState, ev('turn/started', 1, { turnId: 'u1', model: null }))).toBe(emptyKeelState);
  });
});

describe('reduce keys threads by id', () => {
  it('folds events of several threads into one state', () => {
    const state = [created(1, 'a'), created(2, 'b'), ev('thread/renamed', 3, { name: 'B' }, 'b')].reduce(reduce, emptyKeelState);
    expect(Object.keys(state.threads).sort()).toEqual(['a', 'b']);
    expect(state.threads.b!.name).toBe('B');
    expect(state.threads.a!.name).toBeNull();
  });
});

describe('long threads', () => {
  it('replays 10,000 items in one turn with every item intact and in order', () => {
    const events = [created(), ev('turn/started', 1, { turnId: 'u', model: null })];
    for (let i = 0; i < 10_000; i++) {
      events.push(ev('item/started', 2 + i, { turnId: 'u', itemId: `i${i}`, item: agentMessage(`i${i}`, '') }));
      events.push(ev('item/completed', 2 + i, { turnId: 'u', itemId: `i${i}`, item: agentMessage(`i${i}`, `text ${i}`) }));
    }
    const turn = plain(replay(events))!.turns[0]!;
    expect(turn.items).toHaveLength(10_000);
    expect(turn.items.map((entry) => (entry.item as { text: string }).text)).toEqual(Array.from({ length: 10_000 }, (_, i) => `text ${i}`));
  });
});

describe('the context mark', () => {
  it("a compaction's usage counts in the totals but leaves the mark where the last context call put it", () => {
    const route = { provider: 'openai', model: 'gpt-5' };
    const before = replay([
      created(),
      ev('turn/started', 1100, { turnId: 'u1', model: 'gpt-5' }),
      ev('item/started', 1101, { turnId: 'u1', itemId: 'm1', item: userMessage('m1', 'hi') }),
      ev('turn/tokenUsage', 1110, { turnId: 'u1', last: tokens(100, 0, 10), modelContextWindow: 400_000, route }),
      ev('item/started', 1111, { turnId: 'u1', itemId: 'c1', item: { type: 'contextCompaction', id: 'c1' } }),
    ])!;
    const after = reduceThread(before, ev('turn/tokenUsage', 1120, { turnId: 'u1', last: tokens(5000, 0, 50), modelContextWindow: 400_000, route, compaction: true }))!;
    expect(after.usageMark).toEqual({ turnId: 'u1', items: 1, inputTokens: 100, outputTokens: 10 });
    expect(after.tokenUsage).toEqual({ total: tokens(5100, 0, 60), last: tokens(5000, 0, 50), modelContextWindow: 400_000 });
  });
});
