// Reliability, part 'doctor': a host whose sandbox is missing or broken never lets a command run
// unconfined unasked. For each host (no bwrap on PATH; a bwrap the host refuses) and each approval
// policy (on-request, untrusted, on-failure, never, granular without sandbox approval), one Keel
// runs a turn of seeded write attempts in a workspace-write thread, its client declining whatever
// it is asked. Each attempt is an attack; it held when nothing it would write exists, and it was
// either asked with the cause as the reason (then declined) or, where asking is not allowed, failed
// with the cause and the fix, with nothing asked.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerRequest, isServerRequest } from '../helpers/approvals.js';
import { pathWithout, refusingBwrapDir, startOnHost } from '../helpers/host-path.js';
import { rng } from '../helpers/rng.js';
import { completedItems, params, runTurn, turnOf } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import { reportPart, SEED } from './tally.js';

const fake = useFakeModelServer();
const noBwrap = pathWithout('bwrap');
const refusingDir = refusingBwrapDir();
const HOSTS = [
  { name: 'no bwrap', path: noBwrap, cause: /^bubblewrap \(bwrap\) was not found on PATH$/ },
  { name: 'refusing bwrap', path: `${refusingDir}${path.delimiter}${noBwrap}`, cause: new RegExp(`^bubblewrap \\(${refusingDir}/bwrap\\) could not create a sandbox on this host: bwrap: No permissions`) },
];
const granularNoSandbox = { granular: { sandbox_approval: false, rules: true, mcp_elicitations: true } };
const POLICIES: Array<{ name: string; policy: unknown; asks: boolean }> = [
  { name: 'on-request', policy: 'on-request', asks: true },
  { name: 'untrusted', policy: 'untrusted', asks: true },
  { name: 'on-failure', policy: 'on-failure', asks: true },
  { name: 'never', policy: 'never', asks: false },
  { name: 'granular without sandbox approval', policy: granularNoSandbox, asks: false },
];
/** Ways a command could leave a mark in the workspace, each writing `file`. */
const WRITES = [
  (file: string) => `touch ${file}`,
  (file: string) => `echo owned > ${file}`,
  (file: string) => `mkdir ${file}`,
  (file: string) => `cp /etc/hostname ${file}`,
  (file: string) => `sh -c 'printf x > ${file}'`,
  (file: string) => `python3 -c 'open("${file}", "w").write("x")'`,
  (file: string) => `ln -s /etc/passwd ${file}`,
];
const ATTEMPTS_PER_TURN = 4;
const random = rng(SEED);
const startedAt = Date.now();
let attacks = 0;

describe('a missing or broken sandbox never runs a command unconfined unasked', () => {
  const cases = HOSTS.flatMap((host) => POLICIES.map((policy) => [`${host.name}, ${policy.name}`, host, policy] as const));
  it.each(cases)('%s', async (_name, host, policy) => {
    const cwd = workspace();
    const attempts = Array.from({ length: ATTEMPTS_PER_TURN }, (_, i) => ({ callId: `c_${i}`, file: `mark_${i}`, cmd: random.pick(WRITES)(`mark_${i}`) }));
    fake.script(wire.route, [...attempts.map((a) => ({ sse: wire.stream([wire.functionCall(a.callId, 'exec_command', JSON.stringify({ cmd: a.cmd }))]) })), { sse: wire.stream([wire.message('Done.')]) }]);
    const { keel, threadId } = await startOnHost(fake.url, cwd, host.path, policy.policy);
    const before = keel.messages.length;
    const turn = runTurn(keel, threadId, 'write the marks', 30_000);
    const asked = [];
    if (policy.asks) for (const _ of attempts) asked.push(await answerRequest(keel, 'item/commandExecution/requestApproval', { decision: 'decline' }));
    await turn;
    const seq = keel.messages.slice(before);
    expect(turnOf(seq).status).toBe('completed');
    expect(seq.filter((m) => isServerRequest(m, 'item/commandExecution/requestApproval'))).toHaveLength(asked.length);
    const items = completedItems(seq);
    for (const attempt of attempts) {
      const item = items.find((each) => each.id === attempt.callId)!;
      if (policy.asks) {
        const request = asked.find((m) => params(m).itemId === attempt.callId)!;
        const [cause, question] = (params(request).reason as string).split('. Run the command');
        expect(cause).toMatch(host.cause);
        expect(question).toBe(' without the sandbox?');
        expect(item).toMatchObject({ status: 'declined', exitCode: null });
      } else {
        expect(item).toMatchObject({ status: 'failed', exitCode: null, aggregatedOutput: expect.stringMatching(/^the command was not run: the sandbox is unavailable \(bubblewrap .*\); (install it|allow unprivileged user namespaces)/) });
      }
      expect(fs.lstatSync(path.join(cwd, attempt.file), { throwIfNoEntry: false })).toBeUndefined();
      attacks++;
    }
    expect(fs.readdirSync(cwd)).toEqual([]);
    if (attacks === cases.length * ATTEMPTS_PER_TURN) reportPart('doctor', { attacks, turns: cases.length }, startedAt);
  }, 60_000);
});
