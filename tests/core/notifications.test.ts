// notificationsFor as a table: an event and the states around it in, the whole notifications out.
import { describe, expect, it } from 'vitest';
import { notificationsFor } from '../../src/core/codec.js';
import type { KeelEvent } from '../../src/core/events.js';
import { reduceThread } from '../../src/core/reduce.js';
import type { ThreadState } from '../../src/core/state.js';
import { agentMessage, created, ev, userMessage } from './fixtures.js';

const turnStarted = ev('turn/started', 1100, { turnId: 'u1', model: 'gpt-test' });
const agentStarted = ev('item/started', 1103, { turnId: 'u1', itemId: 'a1', item: agentMessage('a1', '') });
const key = { threadId: 't1', turnId: 'u1', itemId: 'a1' };
const thread = {
  id: 't1',
  sessionId: 't1',
  name: null,
  preview: '',
  ephemeral: false,
  forkedFromId: null,
  cliVersion: '0.1.0',
  createdAt: 1,
  updatedAt: 1,
  cwd: '/work',
  model: 'gpt-test',
  modelProvider: 'openai',
  reasoningEffort: null,
  projectId: null,
  source: 'appServer',
  path: null,
  gitInfo: null,
  status: { type: 'idle' },
  turns: [],
};
const runningTurn = { id: 'u1', items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 1, completedAt: null, durationMs: null };

/** `history`: events already applied; `event`: the one whose notifications are asked for. */
const cases: Array<{ name: string; history: KeelEvent[]; event: KeelEvent; expected: unknown[] }> = [
  { name: 'thread/created → thread/started with the whole thread', history: [], event: created(), expected: [{ method: 'thread/started', params: { thread } }] },
  {
    name: 'a turn starting on an idle thread → status active, then turn/started',
    history: [created()],
    event: turnStarted,
    expected: [
      { method: 'thread/status/changed', params: { threadId: 't1', status: { type: 'active', activeFlags: [] } } },
      { method: 'turn/started', params: { threadId: 't1', turn: runningTurn } },
    ],
  },
  {
    name: 'an interrupted turn → status idle, then turn/completed without items',
    history: [created(), turnStarted],
    event: ev('turn/completed', 1500, { turnId: 'u1', status: 'interrupted', error: null }),
    expected: [
      { method: 'thread/status/changed', params: { threadId: 't1', status: { type: 'idle' } } },
      { method: 'turn/completed', params: { threadId: 't1', turn: { ...runningTurn, status: 'interrupted', completedAt: 1, durationMs: 400 } } },
    ],
  },
  {
    name: 'a completed turn → status idle, then turn/completed with its final agent message (summary)',
    history: [
      created(),
      turnStarted,
      ev('item/started', 1101, { turnId: 'u1', itemId: 'm1', item: userMessage('m1', 'hi') }),
      ev('item/completed', 1150, { turnId: 'u1', itemId: 'a0', item: agentMessage('a0', 'first') }),
      ev('item/completed', 1160, { turnId: 'u1', itemId: 'a1', item: agentMessage('a1', 'final') }),
    ],
    event: ev('turn/completed', 1500, { turnId: 'u1', status: 'completed', error: null }),
    expected: [
      { method: 'thread/status/changed', params: { threadId: 't1', status: { type: 'idle' } } },
      { method: 'turn/completed', params: { threadId: 't1', turn: { ...runningTurn, items: [agentMessage('a1', 'final')], itemsView: 'summary', status: 'completed', completedAt: 1, durationMs: 400 } } },
    ],
  },
  {
    name: 'a failed turn → status systemError, the error, then turn/completed',
    history: [created(), turnStarted],
    event: ev('turn/completed', 1500, { turnId: 'u1', status: 'failed', error: { message: 'boom', codexErrorInfo: 'internalServerError', additionalDetails: null } }),
    expected: [
      { method: 'thread/status/changed', params: { threadId: 't1', status: { type: 'systemError' } } },
      { method: 'error', params: { threadId: 't1', turnId: 'u1', willRetry: false, error: { message: 'boom', codexErrorInfo: 'internalServerError', additionalDetails: null } } },
      {
        method: 'turn/completed',
        params: { threadId: 't1', turn: { ...runningTurn, status: 'failed', error: { message: 'boom', codexErrorInfo: 'internalServerError', additionalDetails: null }, completedAt: 1, durationMs: 400 } },
      },
    ],
  },
  {
    name: 'the next turn after a failed one: systemError → active',
    history: [created(), turnStarted, ev('turn/completed', 1500, { turnId: 'u1', status: 'failed', error: null })],
    event: ev('turn/started', 1600, { turnId: 'u2', model: null }),
    expected: [
      { method: 'thread/status/changed', params: { threadId: 't1', status: { type: 'active', activeFlags: [] } } },
      { method: 'turn/started', params: { threadId: 't1', turn: { ...runningTurn, id: 'u2' } } },
    ],
  },
  { name: 'a duplicate turn/started changes nothing and says nothing', history: [created(), turnStarted], event: turnStarted, expected: [] },
  { name: 'an event for an unknown turn says nothing', history: [created()], event: agentStarted, expected: [] },
  {
    name: 'a turn error changes no state and is still told',
    history: [created(), turnStarted],
    event: ev('turn/error', 1200, { turnId: 'u1', willRetry: true, error: { message: 'slow down', codexErrorInfo: 'serverOverloaded', additionalDetails: null } }),
    expected: [{ method: 'error', params: { threadId: 't1', turnId: 'u1', willRetry: true, error: { message: 'slow down', codexErrorInfo: 'serverOverloaded', additionalDetails: null } } }],
  },
  {
    name: 'item/started carries the item and its start time',
    history: [created(), turnStarted],
    event: ev('item/started', 1101, { turnId: 'u1', itemId: 'm1', item: userMessage('m1', 'hi') }),
    expected: [{ method: 'item/started', params: { threadId: 't1', turnId: 'u1', item: userMessage('m1', 'hi'), startedAtMs: 1101 } }],
  },
  {
    name: 'item/completed carries the final item and its end time',
    history: [created(), turnStarted, agentStarted],
    event: ev('item/completed', 1190, { turnId: 'u1', itemId: 'a1', item: agentMessage('a1', 'done') }),
    expected: [{ method: 'item/completed', params: { threadId: 't1', turnId: 'u1', item: agentMessage('a1', 'done'), completedAtMs: 1190 } }],
  },
  {
    name: 'an agent message delta',
    history: [created(), turnStarted, agentStarted],
    event: ev('item/delta', 1104, { ...key, channel: 'agentMessage', index: 0, delta: 'Hi' }),
    expected: [{ method: 'item/agentMessage/delta', params: { ...key, delta: 'Hi' } }],
  },
  {
    name: 'a reasoning summary delta names its part',
    history: [created(), turnStarted, ev('item/started', 1103, { turnId: 'u1', itemId: 'a1', item: { type: 'reasoning', id: 'a1', summary: [], content: [] } })],
    event: ev('item/delta', 1104, { ...key, channel: 'reasoningSummary', index: 2, delta: 'why' }),
    expected: [{ method: 'item/reasoning/summaryTextDelta', params: { ...key, delta: 'why', summaryIndex: 2 } }],
  },
  {
    name: 'a settings change: thread/settings/updated with all the settings Codex carries',
    history: [created()],
    event: ev('thread/settingsChanged', 1050, { settings: { model: 'other' } }),
    expected: [
      {
        method: 'thread/settings/updated',
        params: {
          threadId: 't1',
          threadSettings: {
            cwd: '/work',
            model: 'other',
            modelProvider: 'openai',
            serviceTier: null,
            approvalPolicy: 'on-request',
            approvalsReviewer: 'user',
            sandboxPolicy: { type: 'readOnly', networkAccess: false },
            effort: null,
            collaborationMode: { mode: 'default', settings: { model: 'other', reasoning_effort: null, developer_instructions: null } },
          },
        },
      },
    ],
  },
  {
    name: 'a change of what the notification does not carry (instructions) is not on the wire',
    history: [created()],
    event: ev('thread/settingsChanged', 1050, { settings: { developerInstructions: 'be brief' } }),
    expected: [],
  },
  { name: 'a rename', history: [created()], event: ev('thread/renamed', 1050, { name: 'N' }), expected: [{ method: 'thread/name/updated', params: { threadId: 't1', threadName: 'N' } }] },
  { name: 'a deletion', history: [created()], event: ev('thread/deleted', 1050, {}), expected: [{ method: 'thread/deleted', params: { threadId: 't1' } }] },
];

describe('notificationsFor', () => {
  for (const { name, history, event, expected } of cases) {
    it(name, () => {
      const before = history.reduce<ThreadState | undefined>(reduceThread, undefined);
      expect(notificationsFor(event, before, reduceThread(before, event))).toEqual(expected);
    });
  }
});
