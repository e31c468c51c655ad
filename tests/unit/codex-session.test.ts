// The Codex session at the engine's edge: the engine's questions go out as Codex server requests,
// the replies come back as the engine's answers (an error or malformed reply is the client saying
// no), and an event heard by several sessions is encoded once — the same params object for each,
// which the JSONL writer's line cache relies on.
import { describe, expect, it } from 'vitest';
import { reduceThread } from '../../src/core/reduce.js';
import type { ThreadState } from '../../src/core/state.js';
import type { QuestionOf } from '../../src/engine/questions.js';
import { Session } from '../../src/server/session.js';
import { agentMessage, created, ev } from '../core/fixtures.js';

interface Sent {
  notifications: Array<{ method: string; params: unknown; emittedAtMs: number; seq?: number }>;
  requests: Array<{ method: string; params: unknown; reply: (value: unknown) => void; fail: (error: unknown) => void }>;
}

function session(optOut: string[] = []): { session: Session; sent: Sent } {
  const sent: Sent = { notifications: [], requests: [] };
  const s = new Session({
    sendNotification: (method, params, emittedAtMs, seq) => sent.notifications.push({ method, params, emittedAtMs, ...(seq !== undefined && { seq }) }),
    sendRequest: (method, params) => {
      let reply!: (value: unknown) => void;
      let fail!: (error: unknown) => void;
      const answer = new Promise<unknown>((resolve, reject) => ((reply = resolve), (fail = reject)));
      sent.requests.push({ method, params, reply, fail });
      return { id: sent.requests.length, answer };
    },
    whenWritable: () => null,
  });
  s.open({ clientInfo: { name: 'test', title: null, version: '0' }, capabilities: { experimentalApi: false, optOutNotificationMethods: optOut } } as never);
  return { session: s, sent };
}

const command: QuestionOf<'commandApproval'> = {
  kind: 'commandApproval',
  threadId: 't1',
  turnId: 'u1',
  itemId: 'c1',
  startedAtMs: 5,
  reason: 'writes outside the workspace',
  command: 'rm -rf build',
  cwd: '/w',
  actions: [{ type: 'unknown', command: 'rm -rf build' }],
  proposedRule: ['rm', '-rf', 'build'],
  offered: ['accept', 'acceptForSession', { acceptWithRule: ['rm', '-rf', 'build'] }, 'cancel'],
};

describe('the Codex session', () => {
  it('asks a command approval as item/commandExecution/requestApproval, field for field in Codex order', () => {
    const { session: s, sent } = session();
    const asked = s.ask(command);
    expect(asked.id).toBe(1);
    expect(sent.requests.map(({ method, params }) => ({ method, params: JSON.stringify(params) }))).toEqual([
      {
        method: 'item/commandExecution/requestApproval',
        params: JSON.stringify({
          threadId: 't1',
          turnId: 'u1',
          itemId: 'c1',
          kind: 'command',
          startedAtMs: 5,
          approvalId: null,
          environmentId: null,
          reason: 'writes outside the workspace',
          command: 'rm -rf build',
          cwd: '/w',
          commandActions: [{ type: 'unknown', command: 'rm -rf build' }],
          proposedExecpolicyAmendment: ['rm', '-rf', 'build'],
          availableDecisions: ['accept', 'acceptForSession', { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['rm', '-rf', 'build'] } }, 'cancel'],
        }),
      },
    ]);
  });

  it.each([
    [{ decision: 'acceptForSession' }, 'acceptForSession'],
    [{ decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['rm', '-rf'] } } }, { acceptWithRule: ['rm', '-rf'] }],
    [{ decision: { applyNetworkPolicyAmendment: { network_policy_amendment: { host: 'example.com', action: 'allow' } } } }, { networkRule: { host: 'example.com', action: 'allow' } }],
    [{ decision: 'maybe' }, 'decline'],
  ])('reads the reply %j to a command approval as %j', async (reply, answer) => {
    const { session: s, sent } = session();
    const asked = s.ask(command);
    sent.requests[0]!.reply(reply);
    expect(await asked.answer).toEqual(answer);
  });

  it('reads an error reply as the client saying no: decline, or null where a question has no decline', async () => {
    const { session: s, sent } = session();
    const approval = s.ask(command);
    const tool = s.ask({ kind: 'clientToolCall', threadId: 't1', turnId: 'u1', callId: 'k1', namespace: null, tool: 'lookup', input: { q: 1 } });
    sent.requests[0]!.fail(Object.assign(new Error('client refused'), { code: -32000 }));
    sent.requests[1]!.fail(Object.assign(new Error('client refused'), { code: -32000 }));
    expect([await approval.answer, await tool.answer]).toEqual(['decline', null]);
    expect(sent.requests[1]!.params).toEqual({ threadId: 't1', turnId: 'u1', callId: 'k1', namespace: null, tool: 'lookup', arguments: { q: 1 } });
  });

  it('encodes an event heard by two sessions once (the same params object), at its time and seq; opt-outs hold', () => {
    const [a, b, optedOut] = [session(), session(), session(['item/agentMessage/delta'])];
    const thread = [created(), ev('turn/started', 1100, { turnId: 'u1', model: 'm' }), ev('item/started', 1101, { turnId: 'u1', itemId: 'a', item: agentMessage('a', '') })].reduce(
      (state, event) => reduceThread(state, event),
      undefined as ThreadState | undefined,
    );
    const delta = ev('item/delta', 1200, { turnId: 'u1', itemId: 'a', channel: 'agentMessage', index: 0, delta: 'hi' });
    const after = reduceThread(thread, delta);
    for (const { session: s } of [a, b, optedOut]) s.receive(delta, thread, after, 7);
    expect(a.sent.notifications).toEqual([{ method: 'item/agentMessage/delta', params: { threadId: 't1', turnId: 'u1', itemId: 'a', delta: 'hi' }, emittedAtMs: 1200, seq: 7 }]);
    expect(b.sent.notifications[0]!.params).toBe(a.sent.notifications[0]!.params);
    expect(optedOut.sent.notifications).toEqual([]);
  });

  it('renders signals: a settled question, a thread status', () => {
    const { session: s, sent } = session();
    s.signal({ type: 'questionSettled', threadId: 't1', requestId: 3 }, 50, 9);
    s.signal({ type: 'threadStatus', threadId: 't1', status: { type: 'idle' } }, 60);
    expect(sent.notifications).toEqual([
      { method: 'serverRequest/resolved', params: { threadId: 't1', requestId: 3 }, emittedAtMs: 50, seq: 9 },
      { method: 'thread/status/changed', params: { threadId: 't1', status: { type: 'idle' } }, emittedAtMs: 60 },
    ]);
  });
});
