// Reliability, part "writes": Keel's own writes against the symlink race. A racer process keeps
// swapping `sub/` of a workspace-write thread's workspace between the real directory and a
// symbolic link to a directory outside the writable roots, while the model (the scripted
// provider) has apply_patch add files under `sub/` — at its top and in new directories below it —
// in turns alternating between the on-request and never approval policies (approval requests are
// declined). Each write must land inside the workspace or not at all: nothing may appear in the
// outside directory, neither a file nor a directory nor a temporary file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { quietHome, isServerRequest } from '../helpers/approvals.js';
import { rng } from '../helpers/rng.js';
import { landedOutside, startSymlinkRacer } from '../helpers/symlink-racer.js';
import { completedItems, turnOf } from '../helpers/turns.js';
import { workspace } from '../helpers/workspace.js';
import type { ScriptStep } from '../../src/providers/scripted.js';
import { reportPart, SEED } from './tally.js';

const TURNS = 20;
const WRITES_PER_TURN = 50;
const POLICIES = ['on-request', 'never'] as const;

/** apply_patch adding one file under sub/: at its top, or in a new directory (created by the patch). */
function addFile(callId: string, file: string): ScriptStep {
  return { toolCall: { name: 'apply_patch', callId, arguments: { input: `*** Begin Patch\n*** Add File: ${file}\n+written ${callId}\n*** End Patch\n` } } };
}

/** Answers every file-change approval request with decline until stopped. */
function declineApprovals(keel: KeelProcess): { stop(): void; count(): number } {
  let stopped = false;
  let count = 0;
  void (async () => {
    while (!stopped) {
      const request = await keel.waitFor((m) => isServerRequest(m, 'item/fileChange/requestApproval'), 1_000).catch(() => null);
      if (request === null) continue;
      keel.sendLine(JSON.stringify({ id: request.id, result: { decision: 'decline' } }));
      count++;
    }
  })();
  return { stop: () => (stopped = true), count: () => count };
}

describe('reliability: writes', () => {
  it(`${TURNS * WRITES_PER_TURN} patch writes under a racing symlink swap land nowhere outside the roots`, { timeout: 300_000 }, async () => {
    const startedAt = Date.now();
    console.log(`reliability writes: seed ${SEED}`);
    const random = rng(SEED * 31 + 21);
    const cwd = workspace({ 'sub/.keep': '' });
    const outside = fs.mkdtempSync('/var/tmp/keel-writes-outside-');
    const script: ScriptStep[][] = [];
    for (let turn = 0; turn < TURNS; turn++) {
      const calls = Array.from({ length: WRITES_PER_TURN }, (_, i) => {
        const id = `w${turn}_${i}`;
        return addFile(id, random.int(2) === 0 ? `sub/${id}.txt` : `sub/d_${id}/deeper/${id}.txt`);
      });
      script.push(calls, [{ text: 'done' }]);
    }
    const home = makeTempHome();
    const scriptPath = path.join(home, 'script.json');
    fs.writeFileSync(scriptPath, JSON.stringify({ responses: script }));
    const keel = spawnKeel({ cwd, home, env: { HOME: quietHome(), KEEL_SCRIPT: scriptPath } });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'workspace-write' });
    // Only the workspace is writable: /tmp (where it lies) is not a root of its own here.
    const sandboxPolicy = { type: 'workspaceWrite', writableRoots: [cwd], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true };
    const racer = await startSymlinkRacer(path.join(cwd, 'sub'), outside);
    const approvals = declineApprovals(keel);
    const statuses: Record<string, number> = {};
    try {
      for (let turn = 0; turn < TURNS; turn++) {
        const approvalPolicy = POLICIES[turn % POLICIES.length];
        const before = keel.messages.length;
        const { turn: started } = await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: `write ${turn}` }], approvalPolicy, sandboxPolicy } as never);
        await keel.waitFor((m) => m.method === 'turn/completed' && (m.params as { turn: { id: string } }).turn.id === started.id, 60_000);
        const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
        expect(turnOf(seq)).toMatchObject({ status: 'completed' });
        const changes = completedItems(seq).filter((item) => item.type === 'fileChange');
        expect(changes).toHaveLength(WRITES_PER_TURN);
        for (const item of changes) statuses[`${approvalPolicy}:${item.status}`] = (statuses[`${approvalPolicy}:${item.status}`] ?? 0) + 1;
      }
    } finally {
      approvals.stop();
      const swaps = await racer.stop();
      console.log(`reliability writes: ${swaps} swaps, ${approvals.count()} approval requests declined, items ${JSON.stringify(statuses)}`);
      await keel.close();
    }
    const landed = landedOutside(outside);
    console.log(`reliability writes: ${landed.escapes.length} entries written outside the roots, ${landed.temps.length} temporary files left outside`);
    expect(landed).toEqual({ escapes: [], temps: [] });
    reportPart('writes', { attacks: TURNS * WRITES_PER_TURN, turns: TURNS }, startedAt);
  });
});
