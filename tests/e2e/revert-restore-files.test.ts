// thread/revert with restoreFiles (a Keel extension), end to end: two turns patch files through
// apply_patch against the fake Responses server, the user edits one by hand, and the revert puts
// back the others and leaves that one alone. Without restoreFiles the disk is not touched and the
// answer is Codex's.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf, initialized, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { runTurn, turnOf } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import { readTree } from '../tools/patch/tree.js';

const fake = useFakeModelServer();

async function start(cwd: string) {
  const keel = spawnKeel({ cwd, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  await initialized(keel);
  // Explicitly unrestricted, so the patches run whatever the default policy becomes.
  const { thread } = await keel.request('thread/start', { approvalPolicy: 'never', sandbox: 'danger-full-access' });
  await keel.waitFor('thread/started');
  return { keel, threadId: thread.id };
}

/** What a revert sends, in order, once its thread/reverted is in: notifications whole, the answer as 'response'. */
async function revertWindow(keel: KeelProcess, from: number) {
  await keel.waitFor('thread/reverted');
  return keel.messages.slice(from).map((m) => (m.method === undefined ? 'response' : { method: m.method, params: m.params }));
}

/** Codex's order for a loaded thread: reloaded (notLoaded, idle), the answer, then thread/reverted. */
const revertSequence = (threadId: string, beforeTurnId: string) => [
  { method: 'thread/status/changed', params: { threadId, status: { type: 'notLoaded' } } },
  { method: 'thread/status/changed', params: { threadId, status: { type: 'idle' } } },
  'response',
  { method: 'thread/reverted', params: { threadId, beforeTurnId } },
];

const patch = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

/** One model turn: the patch as a freeform apply_patch call, then a closing message. */
const patchTurn = (callId: string, text: string) => [
  { sse: wire.stream([wire.customToolCall(callId, 'apply_patch', text)]) },
  { sse: wire.stream([wire.message('Done.')]) },
];

describe('thread/revert with restoreFiles', () => {
  it('puts back the files the dropped turns changed, and skips the one edited since', async () => {
    const cwd = workspace({ 'a.txt': 'a1\n', 'c.txt': 'c1\n' });
    fake.script(wire.route, [
      ...patchTurn('call_1', patch('*** Update File: a.txt', '@@', '-a1', '+a2', '*** Add File: b.txt', '+b')),
      ...patchTurn('call_2', patch('*** Update File: c.txt', '@@', '-c1', '+c2', '*** Update File: a.txt', '@@', '-a2', '+a3')),
    ]);
    const { keel, threadId } = await start(cwd);
    const first = turnOf(await runTurn(keel, threadId, 'first'));
    await runTurn(keel, threadId, 'second');
    expect(readTree(cwd)).toEqual({ 'a.txt': 'a3\n', 'b.txt': 'b\n', 'c.txt': 'c2\n' });
    fs.writeFileSync(path.join(cwd, 'c.txt'), 'c by hand\n');

    const from = keel.messages.length;
    const result = await keel.request('thread/revert', { threadId, beforeTurnId: first.id, restoreFiles: true });
    expect(result).toStrictEqual({
      thread: expect.objectContaining({ id: threadId, turns: [] }),
      turnsBackwardsCursor: null,
      itemsBackwardsCursor: null,
      files: [
        { path: path.join(cwd, 'a.txt'), status: 'restored' },
        { path: path.join(cwd, 'b.txt'), status: 'restored' },
        { path: path.join(cwd, 'c.txt'), status: 'skipped', reason: 'it changed since the reverted turn; left as it is' },
      ],
    });
    expect(readTree(cwd)).toEqual({ 'a.txt': 'a1\n', 'c.txt': 'c by hand\n' });
    expect(await revertWindow(keel, from)).toEqual(revertSequence(threadId, first.id));
    const read = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(read.thread.turns).toEqual([]);
  });

  it('without restoreFiles leaves the disk as it is and answers as Codex does; a refused revert touches nothing', async () => {
    const cwd = workspace({ 'a.txt': 'a1\n' });
    fake.script(wire.route, patchTurn('call_1', patch('*** Update File: a.txt', '@@', '-a1', '+a2', '*** Add File: b.txt', '+b')));
    const { keel, threadId } = await start(cwd);
    const turn = turnOf(await runTurn(keel, threadId, 'first'));

    const refused = await errorOf(keel.request('thread/revert', { threadId, beforeTurnId: 'nope', restoreFiles: true }));
    expect(refused).toEqual({ code: -32600, message: 'turn not found: nope' });
    expect(readTree(cwd)).toEqual({ 'a.txt': 'a2\n', 'b.txt': 'b\n' });

    const from = keel.messages.length;
    const result = await keel.request('thread/revert', { threadId, beforeTurnId: turn.id });
    expect(result).toStrictEqual({ thread: expect.objectContaining({ id: threadId, turns: [] }), turnsBackwardsCursor: null, itemsBackwardsCursor: null });
    expect(await revertWindow(keel, from)).toEqual(revertSequence(threadId, turn.id));
    expect(readTree(cwd)).toEqual({ 'a.txt': 'a2\n', 'b.txt': 'b\n' });
  });
});
