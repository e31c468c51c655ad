// Approvals in-process (tests/scenarios/README.md), in the real server's order: the command's item starts, the thread waits
// on approval, Keel asks (item/commandExecution/requestApproval), the client answers,
// serverRequest/resolved follows, the wait ends, the item completes. Every decision is in the
// thread's audit trail (thread/read includeApprovals).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { answerRequest, between, isServerRequest, statuses } from '../helpers/approvals.js';
import { initialized, makeTempHome, spawnKeel, type IncomingMessage, type KeelProcess } from '../helpers/keel-process.js';
import { methods, params, runTurn, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import { inProcess } from '../helpers/in-process-server.js';

const fake = useFakeModelServer();

const exec = (callId: string, args: Record<string, unknown>) => wire.functionCall(callId, 'exec_command', JSON.stringify(args));
const outputOf = (index: number, callId: string) =>
  (conversationBody(fake.calls[index]!).input as Array<Record<string, any>>).find((e) => e.type === 'function_call_output' && e.call_id === callId)?.output as string;

async function start(options: { cwd: string; thread: Record<string, unknown>; home?: string; keelConfig?: string[] }): Promise<{ keel: KeelProcess; threadId: string; home: string }> {
  const home = options.home ?? makeTempHome();
  if (options.keelConfig) fs.writeFileSync(path.join(home, 'config.toml'), ['[keel]', ...options.keelConfig].join('\n') + '\n');
  const keel = spawnKeel({ serve: inProcess, cwd: options.cwd, home, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  await initialized(keel);
  const started = await keel.request('thread/start', { cwd: options.cwd, ...options.thread } as never);
  return { keel, threadId: started.thread.id, home };
}

/** Starts a turn; answers each approval request with the next decision, in order; resolves with the turn's messages. */
async function turnAnswering(keel: KeelProcess, threadId: string, text: string, decisions: unknown[]): Promise<IncomingMessage[]> {
  const before = keel.messages.length;
  const turn = runTurn(keel, threadId, text);
  for (const decision of decisions) await answerRequest(keel, 'item/commandExecution/requestApproval', { decision });
  await turn;
  return keel.messages.slice(before).filter((m) => m.method !== undefined);
}

const commandItem = (seq: readonly IncomingMessage[], callId: string, method: 'item/started' | 'item/completed') =>
  params(seq.find((m) => m.method === method && params(m).item?.id === callId)!).item;

const auditOf = async (keel: KeelProcess, threadId: string) => (await keel.request('thread/read', { threadId, includeApprovals: true } as never) as { approvals: unknown[] }).approvals;

describe('command approvals', () => {
  it('accept: item started, waiting on approval, asked, resolved, run; all in the audit trail', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([exec('call_1', { cmd: 'touch made.txt' })]) },
      { sse: wire.stream([wire.message('Made it.')]) },
    ]);
    const { keel, threadId } = await start({ cwd, thread: { approvalPolicy: 'untrusted', sandbox: 'workspace-write' } });
    const seq = await turnAnswering(keel, threadId, 'make a file', ['accept']);
    const window = between(seq, (m) => m.method === 'item/started' && params(m).item.id === 'call_1', (m) => m.method === 'item/completed' && params(m).item.id === 'call_1');
    const request = window.find((m) => isServerRequest(m, 'item/commandExecution/requestApproval'))!;
    expect(methods(window).filter((m) => m !== 'item/commandExecution/outputDelta')).toEqual([
      'item/started',
      'thread/status/changed',
      'item/commandExecution/requestApproval',
      'serverRequest/resolved',
      'thread/status/changed',
      'item/completed',
    ]);
    expect(statuses(window)).toEqual([['active', ['waitingOnApproval']], ['active', []]]);
    expect(request.params).toEqual({
      threadId,
      turnId: turnOf(seq).id,
      itemId: 'call_1',
      kind: 'command',
      startedAtMs: expect.any(Number),
      approvalId: null,
      environmentId: null,
      reason: null,
      command: expect.stringMatching(/bash -lc 'touch made\.txt'$/),
      cwd,
      commandActions: [{ type: 'unknown', command: 'touch made.txt' }],
      proposedExecpolicyAmendment: ['touch', 'made.txt'],
      availableDecisions: ['accept', 'acceptForSession', { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['touch', 'made.txt'] } }, 'cancel'],
    });
    expect(params(window.find((m) => m.method === 'serverRequest/resolved')!)).toEqual({ threadId, requestId: request.id });
    expect(commandItem(seq, 'call_1', 'item/completed')).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(true);
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
    expect(await auditOf(keel, threadId)).toEqual([
      {
        turnId: turnOf(seq).id,
        itemId: 'call_1',
        kind: 'commandApproval',
        subject: 'touch made.txt',
        reason: null,
        requestedAtMs: expect.any(Number),
        decision: 'accept',
        decidedBy: 'client',
        resolvedAtMs: expect.any(Number),
      },
    ]);
  });

  it('acceptForSession: asked once for two runs of the same command; the second is recorded as the session decision', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([exec('call_1', { cmd: 'echo x >> log.txt' })]) },
      { sse: wire.stream([exec('call_2', { cmd: 'echo x >> log.txt' })]) },
      { sse: wire.stream([wire.message('Twice.')]) },
    ]);
    const { keel, threadId } = await start({ cwd, thread: { approvalPolicy: 'untrusted', sandbox: 'workspace-write' } });
    const seq = await turnAnswering(keel, threadId, 'append twice', ['acceptForSession']);
    expect(seq.filter((m) => isServerRequest(m, 'item/commandExecution/requestApproval'))).toHaveLength(1);
    expect(fs.readFileSync(path.join(cwd, 'log.txt'), 'utf8')).toBe('x\nx\n');
    expect((await auditOf(keel, threadId)).map((entry: any) => [entry.itemId, entry.decision, entry.decidedBy, entry.requestedAtMs === null])).toEqual([
      ['call_1', 'acceptForSession', 'client', false],
      ['call_2', 'acceptForSession', 'session', true],
    ]);
  });

  it('acceptWithExecpolicyAmendment: the prefix rule is written to $KEEL_HOME and a new thread runs the command without asking', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([exec('call_1', { cmd: 'touch one.txt' })]) },
      { sse: wire.stream([wire.message('Touched.')]) },
      { sse: wire.stream([exec('call_2', { cmd: 'touch two.txt' })]) },
      { sse: wire.stream([wire.message('Touched again.')]) },
    ]);
    const { keel, threadId, home } = await start({ cwd, thread: { approvalPolicy: 'untrusted', sandbox: 'workspace-write' } });
    await turnAnswering(keel, threadId, 'touch one', [{ acceptWithExecpolicyAmendment: { execpolicy_amendment: ['touch'] } }]);
    expect(fs.readFileSync(path.join(home, 'rules', 'default.rules'), 'utf8')).toBe('prefix_rule(pattern=["touch"], decision="allow")\n');
    const second = await keel.request('thread/start', { cwd, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    const seq = await runTurn(keel, second.thread.id, 'touch two');
    expect(seq.some((m) => m.id !== undefined)).toBe(false);
    expect(commandItem(seq, 'call_2', 'item/completed')).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(fs.existsSync(path.join(cwd, 'two.txt'))).toBe(true);
    expect((await auditOf(keel, second.thread.id)).map((entry: any) => [entry.decision, entry.decidedBy])).toEqual([['acceptByRule', 'rule']]);
  });

  it('an answer the request did not offer (decline): refused, the command not run, the item declined, the model told why; the turn goes on', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([exec('call_1', { cmd: 'rm -rf build' })]) },
      { sse: wire.stream([wire.message('I will not delete it.')]) },
    ]);
    const { keel, threadId } = await start({ cwd, thread: { approvalPolicy: 'untrusted', sandbox: 'workspace-write' } });
    const seq = await turnAnswering(keel, threadId, 'clean up', ['decline']);
    expect(commandItem(seq, 'call_1', 'item/completed')).toMatchObject({ status: 'declined', aggregatedOutput: null, exitCode: null });
    expect(outputOf(1, 'call_1')).toBe(
      'The command was not run: the client answered decline, which the approval request did not offer (it offered accept, acceptForSession, acceptWithExecpolicyAmendment: rm -rf build, cancel)',
    );
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
  });

  it('cancel: the command does not run and the turn ends interrupted', async () => {
    const cwd = workspace();
    fake.script(wire.route, [{ sse: wire.stream([exec('call_1', { cmd: 'touch never.txt' })]) }]);
    const { keel, threadId } = await start({ cwd, thread: { approvalPolicy: 'untrusted', sandbox: 'workspace-write' } });
    const seq = await turnAnswering(keel, threadId, 'touch', ['cancel']);
    expect(commandItem(seq, 'call_1', 'item/completed')).toMatchObject({ status: 'declined' });
    expect(turnOf(seq)).toMatchObject({ status: 'interrupted' });
    expect(fs.existsSync(path.join(cwd, 'never.txt'))).toBe(false);
    expect((await auditOf(keel, threadId)).map((entry: any) => entry.decision)).toEqual(['cancel']);
  });

  it('a client that never answers: the request is declined after keel.approval_timeout_ms, and resolved all the same', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([exec('call_1', { cmd: 'touch late.txt' })]) },
      { sse: wire.stream([wire.message('No answer, so I stopped.')]) },
    ]);
    const { keel, threadId } = await start({ cwd, thread: { approvalPolicy: 'untrusted', sandbox: 'workspace-write' }, keelConfig: ['approval_timeout_ms = 300'] });
    const seq = await runTurn(keel, threadId, 'touch');
    const request = seq.find((m) => isServerRequest(m, 'item/commandExecution/requestApproval'))!;
    expect(params(seq.find((m) => m.method === 'serverRequest/resolved')!)).toEqual({ threadId, requestId: request.id });
    expect(commandItem(seq, 'call_1', 'item/completed')).toMatchObject({ status: 'declined' });
    expect(outputOf(1, 'call_1')).toBe('The command was not run: no answer to the approval request within 300 ms (keel.approval_timeout_ms), so it was declined');
    expect(fs.existsSync(path.join(cwd, 'late.txt'))).toBe(false);
    expect((await auditOf(keel, threadId)).map((entry: any) => [entry.decision, entry.decidedBy])).toEqual([['decline', 'timeout']]);
  });

  it('on-request: a sandboxed command runs without asking; the model asks to escalate with a justification, the client accepts, it runs outside the sandbox', async () => {
    const cwd = workspace();
    // Not under /tmp: workspace-write lets commands write there.
    const outside = fs.mkdtempSync('/var/tmp/keel-outside-');
    const target = path.join(outside, 'escalated.txt');
    fake.script(wire.route, [
      { sse: wire.stream([exec('call_1', { cmd: `touch ${target}` })]) },
      { sse: wire.stream([exec('call_2', { cmd: `touch ${target}`, sandbox_permissions: 'require_escalated', justification: 'May I write outside the workspace?' })]) },
      { sse: wire.stream([wire.message('Done outside.')]) },
    ]);
    const { keel, threadId } = await start({ cwd, thread: { approvalPolicy: 'on-request', sandbox: 'workspace-write' } });
    const before = keel.messages.length;
    const turn = runTurn(keel, threadId, 'write outside');
    const request = await answerRequest(keel, 'item/commandExecution/requestApproval', { decision: 'accept' });
    const seq = (await turn, keel.messages.slice(before));
    // The first, sandboxed, was refused by the sandbox (no approval asked for it).
    expect(commandItem(seq, 'call_1', 'item/completed')).toMatchObject({ status: 'failed', exitCode: 1, aggregatedOutput: expect.stringContaining('Read-only file system') });
    expect(params(request)).toMatchObject({ itemId: 'call_2', reason: 'May I write outside the workspace?' });
    expect(commandItem(seq, 'call_2', 'item/completed')).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(fs.existsSync(target)).toBe(true);
    expect(seq.filter((m) => m.id !== undefined && m.method !== undefined)).toHaveLength(1);
  });

  it('on-failure: a command the sandbox refused is asked to run again without it; accepted, it runs', async () => {
    const cwd = workspace();
    const outside = fs.mkdtempSync('/var/tmp/keel-outside-');
    fake.script(wire.route, [
      { sse: wire.stream([exec('call_1', { cmd: `touch ${outside}/retried.txt` })]) },
      { sse: wire.stream([wire.message('Retried.')]) },
    ]);
    const { keel, threadId } = await start({ cwd, thread: { approvalPolicy: 'on-failure', sandbox: 'workspace-write' } });
    const seq = await turnAnswering(keel, threadId, 'touch outside', ['accept']);
    const request = seq.find((m) => isServerRequest(m, 'item/commandExecution/requestApproval'))!;
    expect(params(request).reason).toMatch(/^the sandbox seems to have refused the command \(.*Read-only file system\); run it again without the sandbox\?$/);
    expect(commandItem(seq, 'call_1', 'item/completed')).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(fs.existsSync(path.join(outside, 'retried.txt'))).toBe(true);
  });

  it('an interrupt while the client is asked: the request is resolved, the item declined, the turn interrupted', async () => {
    const cwd = workspace();
    fake.script(wire.route, [{ sse: wire.stream([exec('call_1', { cmd: 'touch maybe.txt' })]) }]);
    const { keel, threadId } = await start({ cwd, thread: { approvalPolicy: 'untrusted', sandbox: 'workspace-write' } });
    const before = keel.messages.length;
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'touch' }] });
    const request = await keel.waitFor((m) => isServerRequest(m, 'item/commandExecution/requestApproval'));
    await keel.request('turn/interrupt', { threadId, turnId: turn.id });
    await keel.waitFor('turn/completed');
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
    expect(methods(between(seq, (m) => m === request, (m) => m.method === 'turn/completed'))).toEqual([
      'item/commandExecution/requestApproval',
      'serverRequest/resolved',
      'thread/status/changed',
      'item/completed',
      'thread/status/changed',
      'turn/completed',
    ]);
    expect(commandItem(seq, 'call_1', 'item/completed')).toMatchObject({ status: 'declined' });
    expect(turnOf(seq)).toMatchObject({ status: 'interrupted' });
    expect((await auditOf(keel, threadId)).map((entry: any) => [entry.decision, entry.decidedBy])).toEqual([['decline', 'turnEnded']]);
  });
});

describe('file change approvals', () => {
  it('a patch outside the writable roots is asked after its fileChange item starts; accepted, it is applied', async () => {
    const cwd = workspace();
    const outside = fs.mkdtempSync('/var/tmp/keel-outside-');
    const patch = `*** Begin Patch\n*** Add File: ${outside}/note.txt\n+outside\n*** End Patch\n`;
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_p', 'apply_patch', JSON.stringify({ input: patch }))]) },
      { sse: wire.stream([wire.message('Written.')]) },
    ]);
    const { keel, threadId } = await start({ cwd, thread: { approvalPolicy: 'on-request', sandbox: 'workspace-write', model: 'gpt-4.1' } });
    const before = keel.messages.length;
    const turn = runTurn(keel, threadId, 'write a note outside');
    const request = await answerRequest(keel, 'item/fileChange/requestApproval', { decision: 'accept' });
    await turn;
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
    const window = between(seq, (m) => m.method === 'item/started' && params(m).item.id === 'call_p', (m) => m.method === 'item/completed' && params(m).item.id === 'call_p');
    expect(methods(window).filter((m) => m !== 'turn/diff/updated')).toEqual([
      'item/started',
      'thread/status/changed',
      'item/fileChange/requestApproval',
      'serverRequest/resolved',
      'thread/status/changed',
      'item/completed',
    ]);
    expect(params(window[0]!).item).toMatchObject({ type: 'fileChange', status: 'inProgress', changes: [{ path: `${outside}/note.txt`, kind: { type: 'add' } }] });
    expect(request.params).toEqual({
      threadId,
      turnId: turnOf(seq).id,
      itemId: 'call_p',
      startedAtMs: expect.any(Number),
      reason: expect.stringMatching(/^writing .*note\.txt is outside the sandbox's writable roots/),
      grantRoot: null,
    });
    expect(fs.readFileSync(path.join(outside, 'note.txt'), 'utf8')).toBe('outside\n');
    expect(params(window.at(-1)!).item).toMatchObject({ status: 'completed' });
  });
});
