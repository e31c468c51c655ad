// What each command approval offers (`availableDecisions`), per approval policy and request kind,
// against the list Codex sends for the same request. Codex's lists are written out here from its
// source (codex-rs/protocol/src/approvals.rs: ExecApprovalRequestEvent::effective_available_decisions
// and default_available_decisions; the app-server maps Approved → accept, ApprovedForSession →
// acceptForSession, ApprovedExecpolicyAmendment → acceptWithExecpolicyAmendment, Abort → cancel):
// a first request offers accept, acceptForSession, the proposed prefix rule, cancel; a request
// scoped to one callback (sandbox retry, input for a running command) offers accept, cancel.
import { describe, expect, it } from 'vitest';
import { decideExec, type ExecFacts } from '../../src/engine/approvals/decide.js';
import { commandPurpose, isOffered, offeredCommandDecisions, type CommandDecision } from '../../src/engine/approvals/offered-decisions.js';
import { codexRequest } from '../../src/server/codex-questions.js';
import type { AskForApproval } from '../../src/core/protocol-types.js';
import { plainExecFacts } from '../helpers/exec-facts.js';

const base = plainExecFacts;
const rule = ['touch', 'made.txt'];
const granular: AskForApproval = { granular: { sandbox_approval: true, rules: true, mcp_elicitations: true, request_permissions: true, skill_approval: true } } as never;

/** The request kinds Keel asks about: a command line the policy asks for, an escalation, a retry outside the sandbox, input for a running command. */
const kinds: Record<string, Partial<ExecFacts>> = {
  'a command that writes': {},
  'an escalation (sandbox_permissions: require_escalated)': { escalated: true, justification: 'needs the network' },
  'a retry after the sandbox refused': { sandboxDenial: 'Permission denied' },
  'input for a running command': { input: true },
};

// Codex's list for each policy and kind, as the JSON the app-server sends; 'not asked' where Codex runs or refuses without asking.
const first = ['accept', 'acceptForSession', { acceptWithExecpolicyAmendment: { execpolicy_amendment: rule } }, 'cancel'];
const callback = ['accept', 'cancel'];
const codex: Array<[string, AskForApproval, string, unknown]> = [
  ['untrusted', 'untrusted', 'a command that writes', first],
  ['untrusted', 'untrusted', 'an escalation (sandbox_permissions: require_escalated)', first],
  ['untrusted', 'untrusted', 'a retry after the sandbox refused', 'not asked'],
  ['untrusted', 'untrusted', 'input for a running command', callback],
  ['on-request', 'on-request', 'a command that writes', 'not asked'],
  ['on-request', 'on-request', 'an escalation (sandbox_permissions: require_escalated)', first],
  ['on-request', 'on-request', 'a retry after the sandbox refused', 'not asked'],
  ['on-request', 'on-request', 'input for a running command', 'not asked'],
  ['on-failure', 'on-failure', 'a command that writes', 'not asked'],
  ['on-failure', 'on-failure', 'an escalation (sandbox_permissions: require_escalated)', first],
  ['on-failure', 'on-failure', 'a retry after the sandbox refused', callback],
  ['never', 'never', 'a command that writes', 'not asked'],
  ['never', 'never', 'an escalation (sandbox_permissions: require_escalated)', 'not asked'],
  ['never', 'never', 'a retry after the sandbox refused', 'not asked'],
  ['granular', granular, 'an escalation (sandbox_permissions: require_escalated)', first],
];

/** What Keel sends for these facts: the plan, then (when it asks) the request's availableDecisions. */
function keelOffers(facts: ExecFacts): unknown {
  const plan = decideExec(facts);
  if (plan.action !== 'ask') return 'not asked';
  const purpose = commandPurpose(facts);
  const proposedRule = purpose === 'initial' ? rule : null;
  const request = codexRequest({
    kind: 'commandApproval',
    threadId: 't',
    turnId: 'u',
    itemId: 'i',
    startedAtMs: 0,
    reason: null,
    command: 'touch made.txt',
    cwd: '/w',
    actions: [],
    proposedRule,
    offered: offeredCommandDecisions(purpose, proposedRule),
  });
  return (request.params as { availableDecisions: unknown }).availableDecisions;
}

describe('availableDecisions, per approval policy and request kind, as Codex sends them', () => {
  it.each(codex)('%s: %s', (_name, policy, kind, expected) => {
    expect(keelOffers({ ...base, policy, ...kinds[kind] })).toEqual(expected);
  });

  it('offers no prefix rule where none fits (a line another shell runs)', () => {
    expect(offeredCommandDecisions('initial', null)).toEqual(['accept', 'acceptForSession', 'cancel']);
  });
});

describe('an answer is taken only when it was offered', () => {
  const offered = offeredCommandDecisions('initial', rule);
  const cases: Array<[string, CommandDecision, boolean]> = [
    ['accept', 'accept', true],
    ['acceptForSession', 'acceptForSession', true],
    ['cancel', 'cancel', true],
    ['the proposed rule', { acceptWithRule: rule }, true],
    ['decline (Codex never offers it for a command)', 'decline', false],
    ['the proposed rule edited by the user (a prefix rule is offered)', { acceptWithRule: ['touch'] }, true],
    ['a network rule', { networkRule: { host: 'example.com', action: 'allow' } }, false],
  ];
  it.each(cases)('%s', (_name, decision, taken) => {
    expect(isOffered(offered, decision)).toBe(taken);
  });

  it('no prefix rule is taken where none was offered', () => {
    expect(isOffered(offeredCommandDecisions('initial', null), { acceptWithRule: ['touch'] })).toBe(false);
  });

  it('a retry offers only accept and cancel', () => {
    expect(['accept', 'acceptForSession', 'cancel'].map((d) => isOffered(offeredCommandDecisions('sandboxRetry', null), d as CommandDecision))).toEqual([true, false, true]);
  });
});
