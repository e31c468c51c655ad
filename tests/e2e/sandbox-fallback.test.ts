// A host without a working bubblewrap (none on PATH, or one the host refuses namespaces): a
// sandboxed command is asked to run without the sandbox under on-request, untrusted and
// on-failure — the cause in the request's reason, accepted runs unconfined (so said in the audit
// trail), declined is a declined item — and refused under never with the cause and the fix.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerRequest, isServerRequest } from '../helpers/approvals.js';
import { pathWithout, refusingBwrapDir, startOnHost } from '../helpers/host-path.js';
import type { IncomingMessage, KeelProcess } from '../helpers/keel-process.js';
import { completedItems, params, runTurn, turnOf } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();
const noBwrap = pathWithout('bwrap');
const refusing = `${refusingBwrapDir()}${path.delimiter}${noBwrap}`;
const refusal = 'bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces';

function scriptCommand(cmd: string): void {
  fake.script(wire.route, [{ sse: wire.stream([wire.functionCall('c_1', 'exec_command', JSON.stringify({ cmd }))]) }, { sse: wire.stream([wire.message('Done.')]) }]);
}

/** Runs a turn, answering its one command approval with `decision`; the turn's messages and the request. */
async function turnAnswering(keel: KeelProcess, threadId: string, decision: string): Promise<{ seq: IncomingMessage[]; request: IncomingMessage }> {
  const before = keel.messages.length;
  const turn = runTurn(keel, threadId, 'run it');
  const request = await answerRequest(keel, 'item/commandExecution/requestApproval', { decision });
  await turn;
  return { seq: keel.messages.slice(before), request };
}

const itemC1 = (seq: IncomingMessage[]) => completedItems(seq).find((item) => item.id === 'c_1');
const auditOf = async (keel: KeelProcess, threadId: string) => (await keel.request('thread/read', { threadId, includeApprovals: true } as never) as { approvals: unknown[] }).approvals;

describe('a missing or broken sandbox', () => {
  it('on-request, no bwrap on PATH: asks to run without the sandbox, the cause in the reason; accepted, the command runs unconfined', async () => {
    const cwd = workspace();
    scriptCommand('echo ran > ran.txt && cat ran.txt');
    const { keel, threadId } = await startOnHost(fake.url, cwd, noBwrap, 'on-request');
    const { seq, request } = await turnAnswering(keel, threadId, 'accept');
    const reason = 'bubblewrap (bwrap) was not found on PATH. Run the command without the sandbox?';
    expect(request.params).toEqual({
      threadId,
      turnId: turnOf(seq).id,
      itemId: 'c_1',
      kind: 'command',
      startedAtMs: expect.any(Number),
      approvalId: null,
      environmentId: null,
      reason,
      command: expect.stringMatching(/bash -lc 'echo ran > ran\.txt && cat ran\.txt'$/),
      cwd,
      commandActions: expect.any(Array),
      proposedExecpolicyAmendment: null,
      availableDecisions: ['accept', 'acceptForSession', 'cancel'],
    });
    expect(itemC1(seq)).toMatchObject({ status: 'completed', exitCode: 0, aggregatedOutput: 'ran\n' });
    expect(fs.readFileSync(path.join(cwd, 'ran.txt'), 'utf8')).toBe('ran\n');
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
    expect(await auditOf(keel, threadId)).toEqual([
      { turnId: turnOf(seq).id, itemId: 'c_1', kind: 'commandApproval', subject: 'echo ran > ran.txt && cat ran.txt', reason, requestedAtMs: expect.any(Number), decision: 'accept', decidedBy: 'client', resolvedAtMs: expect.any(Number) },
    ]);
  });

  it('untrusted, a bwrap the host refuses: asks with what bwrap said; declined, nothing runs and the item is declined', async () => {
    const cwd = workspace();
    scriptCommand('touch ran.txt');
    const { keel, threadId } = await startOnHost(fake.url, cwd, refusing, 'untrusted');
    const { seq, request } = await turnAnswering(keel, threadId, 'decline');
    expect(params(request).reason).toBe(`bubblewrap (${refusing.split(path.delimiter)[0]}/bwrap) could not create a sandbox on this host: ${refusal}. Run the command without the sandbox?`);
    expect(itemC1(seq)).toMatchObject({ status: 'declined', exitCode: null, aggregatedOutput: null });
    expect(fs.existsSync(path.join(cwd, 'ran.txt'))).toBe(false);
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
  });

  it('on-failure, no bwrap on PATH: asks too', async () => {
    const cwd = workspace();
    scriptCommand('echo hi');
    const { keel, threadId } = await startOnHost(fake.url, cwd, noBwrap, 'on-failure');
    const { seq, request } = await turnAnswering(keel, threadId, 'accept');
    expect(params(request).reason).toBe('bubblewrap (bwrap) was not found on PATH. Run the command without the sandbox?');
    expect(itemC1(seq)).toMatchObject({ status: 'completed', exitCode: 0, aggregatedOutput: 'hi\n' });
  });

  it('never, a bwrap the host refuses: nothing is asked; the command fails with the cause and the fix', async () => {
    const cwd = workspace();
    scriptCommand('touch ran.txt');
    const { keel, threadId } = await startOnHost(fake.url, cwd, refusing, 'never');
    const seq = await runTurn(keel, threadId, 'run it');
    expect(seq.filter((m) => isServerRequest(m, 'item/commandExecution/requestApproval'))).toEqual([]);
    expect(itemC1(seq)).toMatchObject({
      status: 'failed',
      exitCode: null,
      aggregatedOutput: expect.stringMatching(/^the command was not run: the sandbox is unavailable \(bubblewrap \(.*\/bwrap\) could not create a sandbox on this host: bwrap: No permissions.*\); allow unprivileged user namespaces/),
    });
    expect(fs.existsSync(path.join(cwd, 'ran.txt'))).toBe(false);
  });
});
