// Reliability, part "writes": Keel's own writes against the symlink race. A racer process keeps
// swapping `sub/` of a workspace-write thread's workspace between the real directory and a
// symbolic link to a directory outside the writable roots, while the model has Keel write files
// under `sub/` — apply_patch (the scripted provider) adding files at its top and in new
// directories below it, and Claude's text editor (a fake Anthropic server) creating them — in
// turns alternating between the on-request and never approval policies (approval requests are
// declined). Each write must land inside the workspace or not at all: nothing may appear in the
// outside directory, neither a file nor a directory nor a temporary file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { isServerRequest } from '../helpers/approvals.js';
import type { FakeResponse } from '../helpers/fake-model-server.js';
import { rng } from '../helpers/rng.js';
import { landedOutside, startSymlinkRacer } from '../helpers/symlink-racer.js';
import { completedItems, turnOf } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { anthropic } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import type { ScriptStep } from '../../src/providers/scripted.js';
import { reportPart, SEED } from './tally.js';

const POLICIES = ['on-request', 'never'] as const;
const PATCH_TURNS = 20;
const EDITOR_TURNS = 4;
const WRITES_PER_TURN = 50;

const fake = useFakeModelServer();

/** Where write `id` goes: the top of sub/, or a new directory below it (created by the write). */
const target = (random: ReturnType<typeof rng>, id: string) => (random.int(2) === 0 ? `sub/${id}.txt` : `sub/d_${id}/deeper/${id}.txt`);

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

/** Runs `turns` turns of WRITES_PER_TURN writes each under the racer; returns what landed outside. */
async function race(part: string, turns: number, home: string, env: Record<string, string>, cwd: string, outside: string) {
  const keel = spawnKeel({ cwd, home, env: { ...env } });
  await initialized(keel);
  const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'workspace-write' });
  // Only the workspace is writable: /tmp (where it lies) is not a root of its own here.
  const sandboxPolicy = { type: 'workspaceWrite', writableRoots: [cwd], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true };
  const racer = await startSymlinkRacer(path.join(cwd, 'sub'), outside);
  const approvals = declineApprovals(keel);
  const statuses: Record<string, number> = {};
  try {
    for (let turn = 0; turn < turns; turn++) {
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
    console.log(`reliability writes (${part}): ${swaps} swaps, ${approvals.count()} approval requests declined, items ${JSON.stringify(statuses)}`);
    await keel.close();
  }
  const landed = landedOutside(outside);
  const files = landed.escapes.filter((name) => name.endsWith('.txt'));
  console.log(`reliability writes (${part}): ${files.length} files and ${landed.escapes.length - files.length} directories written outside the roots, ${landed.temps.length} temporary files left outside`);
  return landed;
}

describe('reliability: writes', () => {
  it(`${PATCH_TURNS * WRITES_PER_TURN} apply_patch writes and ${EDITOR_TURNS * WRITES_PER_TURN} text-editor writes under a racing symlink swap land nowhere outside the roots`, { timeout: 300_000 }, async () => {
    const startedAt = Date.now();
    console.log(`reliability writes: seed ${SEED}`);
    const random = rng(SEED * 31 + 21);

    const script: ScriptStep[][] = [];
    for (let turn = 0; turn < PATCH_TURNS; turn++) {
      const calls = Array.from({ length: WRITES_PER_TURN }, (_, i): ScriptStep => {
        const id = `w${turn}_${i}`;
        return { toolCall: { name: 'apply_patch', callId: id, arguments: { input: `*** Begin Patch\n*** Add File: ${target(random, id)}\n+written ${id}\n*** End Patch\n` } } };
      });
      script.push(calls, [{ text: 'done' }]);
    }
    const patchHome = makeTempHome();
    fs.writeFileSync(path.join(patchHome, 'script.json'), JSON.stringify({ responses: script }));
    const patchOutside = fs.mkdtempSync('/var/tmp/keel-writes-outside-');
    const patches = await race('apply_patch', PATCH_TURNS, patchHome, { KEEL_SCRIPT: path.join(patchHome, 'script.json') }, workspace({ 'sub/.keep': '' }), patchOutside);

    const responses: FakeResponse[] = [];
    for (let turn = 0; turn < EDITOR_TURNS; turn++) {
      const uses = Array.from({ length: WRITES_PER_TURN }, (_, i) => {
        const id = `e${turn}_${i}`;
        return anthropic.toolUse(id, 'str_replace_based_edit_tool', JSON.stringify({ command: 'create', path: target(random, id), file_text: `written ${id}\n` }));
      });
      responses.push({ sse: anthropic.stream(uses, { stop: 'tool_use' }) }, { sse: anthropic.stream([anthropic.text('done')]) });
    }
    fake.script(anthropic.route, responses);
    const editorHome = makeTempHome();
    fs.writeFileSync(path.join(editorHome, 'config.toml'), 'model_provider = "anthropic"\nmodel = "claude-sonnet-4-5"\n');
    const editorOutside = fs.mkdtempSync('/var/tmp/keel-writes-outside-');
    const edits = await race('text editor', EDITOR_TURNS, editorHome, { ANTHROPIC_API_KEY: 'test-ant-key', ANTHROPIC_BASE_URL: fake.url }, workspace({ 'sub/.keep': '' }), editorOutside);

    expect({ patches, edits }).toEqual({ patches: { escapes: [], temps: [] }, edits: { escapes: [], temps: [] } });
    for (const dir of [patchOutside, editorOutside]) fs.rmSync(dir, { recursive: true, force: true });
    reportPart('writes', { attacks: (PATCH_TURNS + EDITOR_TURNS) * WRITES_PER_TURN, turns: PATCH_TURNS + EDITOR_TURNS }, startedAt);
  });
});
