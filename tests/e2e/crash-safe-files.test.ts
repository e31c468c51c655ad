// Crash-safe file changes, end to end. First from stores written as a killed Keel leaves them (a
// patch's intent recorded and half its files written, a temp file beside them; a revert recorded
// and half its files restored): the next start puts the files where the log says, ends the patch
// item failed with its turn, and finishes the restore. Then a few real SIGKILLs during a 600-file
// patch and its revert (the reliability part runs many more).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileUndo } from '../../src/core/events.js';
import {
  afterRestart,
  crashSetup,
  diskVerdict,
  killAfter,
  patchDisagreement,
  revertDisagreement,
  runPatchTurn,
  startPatchTurn,
  startThread,
} from '../helpers/crash-files.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { eventsOf, fixtureSettings, inspectStore, userMessage, writeStore } from '../helpers/store-fixtures.js';
import { useTempDirs } from '../helpers/threads.js';
import { workspace } from '../helpers/workspace.js';
import { readTree } from '../tools/patch/tree.js';

const tempDir = useTempDirs();
const origin = { ephemeral: false, cliVersion: '0.0.9', forkedFromId: null };
const fileChange = (id: string, status: string) => ({ type: 'fileChange' as const, id, changes: [], status: status as 'inProgress' });

describe('a file write left open by a crash', () => {
  it('is undone when the patch never completed: every file back, temps gone, the item failed and the turn interrupted', async () => {
    const cwd = workspace({ 'a.txt': 'a2\n', 'b.txt': 'b new\n', 'c.txt': 'c1\n', '.a.txt.keel-patch-0123456789ab': 'a2\n', 'keep.txt': 'k\n' });
    const changes: FileUndo[] = [
      { path: path.join(cwd, 'a.txt'), movePath: null, before: 'a1\n', after: 'a2\n' },
      { path: path.join(cwd, 'b.txt'), movePath: null, before: null, after: 'b new\n' },
      { path: path.join(cwd, 'c.txt'), movePath: null, before: 'c1\n', after: null },
    ];
    const file = path.join(tempDir(), 'crashed.db');
    const e = eventsOf('thread-patch', Date.UTC(2026, 0, 1));
    const user = userMessage('item-user', 'patch it');
    const command = { type: 'commandExecution' as const, id: 'call-cmd', command: 'sleep 100', cwd, processId: null, source: 'agent' as const, status: 'inProgress' as const, commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null };
    await writeStore(file, [
      [
        e('thread/created', { settings: { ...fixtureSettings, cwd }, origin }),
        e('turn/started', { turnId: 'turn-1', model: 'gpt-test' }),
        e('item/started', { turnId: 'turn-1', itemId: 'item-user', item: user }),
        e('item/completed', { turnId: 'turn-1', itemId: 'item-user', item: user }),
        e('item/started', { turnId: 'turn-1', itemId: 'call-cmd', item: command }),
        e('item/started', { turnId: 'turn-1', itemId: 'call-patch', item: fileChange('call-patch', 'inProgress') }),
        e('item/writeIntent', { turnId: 'turn-1', itemId: 'call-patch', changes }),
      ],
    ]);

    // The store opens with the first thread request, and recovery runs before it is answered.
    const keel = spawnKeel({ args: ['--db', file] });
    await initialized(keel);
    const read = await keel.request('thread/read', { threadId: 'thread-patch', includeTurns: true });
    expect(readTree(cwd)).toEqual({ 'a.txt': 'a1\n', 'c.txt': 'c1\n', 'keep.txt': 'k\n' });
    expect(read.thread.turns.map(({ status, items, error }) => ({ status, items, error }))).toEqual([
      {
        status: 'interrupted',
        error: { message: 'Keel stopped before this turn ended; it was closed as interrupted when the thread was next loaded.', codexErrorInfo: null, additionalDetails: null },
        items: [user, { ...command, status: 'failed' }, fileChange('call-patch', 'failed')],
      },
    ]);
    expect(await keel.close()).toBe(0);
    expect(inspectStore(file)).toMatchObject({ integrity: 'ok', problems: [] });

    // A second start finds nothing left to put back: a file edited by hand since stays as it is.
    fs.writeFileSync(path.join(cwd, 'a.txt'), 'a by hand\n');
    const again = spawnKeel({ args: ['--db', file] });
    await initialized(again);
    expect((await again.request('thread/read', { threadId: 'thread-patch', includeTurns: true })).thread.turns).toEqual(read.thread.turns);
    expect(await again.close()).toBe(0);
    expect(readTree(cwd)).toEqual({ 'a.txt': 'a by hand\n', 'c.txt': 'c1\n', 'keep.txt': 'k\n' });
  });

  it('is finished when the revert was recorded: the files match the reverted log', async () => {
    // Turn 1 changed a and created b; the revert restored a, then Keel was killed before b.
    const cwd = workspace({ 'a.txt': 'a1\n', 'b.txt': 'b\n' });
    const changes: FileUndo[] = [
      { path: path.join(cwd, 'a.txt'), movePath: null, before: 'a1\n', after: 'a2\n' },
      { path: path.join(cwd, 'b.txt'), movePath: null, before: null, after: 'b\n' },
    ];
    const file = path.join(tempDir(), 'reverted.db');
    const e = eventsOf('thread-revert', Date.UTC(2026, 0, 1));
    await writeStore(file, [
      [
        e('thread/created', { settings: { ...fixtureSettings, cwd }, origin }),
        e('turn/started', { turnId: 'turn-1', model: 'gpt-test' }),
        e('item/started', { turnId: 'turn-1', itemId: 'call-patch', item: fileChange('call-patch', 'inProgress') }),
        e('item/writeIntent', { turnId: 'turn-1', itemId: 'call-patch', changes }),
        e('item/completed', { turnId: 'turn-1', itemId: 'call-patch', item: fileChange('call-patch', 'completed') }),
        e('turn/completed', { turnId: 'turn-1', status: 'completed', error: null }),
        e('thread/reverted', { beforeTurnId: 'turn-1', restore: changes }),
      ],
    ]);

    const keel = spawnKeel({ args: ['--db', file] });
    await initialized(keel);
    expect((await keel.request('thread/read', { threadId: 'thread-revert', includeTurns: true })).thread.turns).toEqual([]);
    expect(readTree(cwd)).toEqual({ 'a.txt': 'a1\n' });
    expect(await keel.close()).toBe(0);
    expect(inspectStore(file)).toMatchObject({ integrity: 'ok', problems: [] });
  });
});

describe('SIGKILL during a 600-file patch and its revert', () => {
  const FILES = 600;

  it('leaves the files all before or all after, as the log says, whenever the kill lands', { timeout: 300_000 }, async () => {
    const problems: string[] = [];
    for (const fraction of [0.3, 0.7]) {
      const setup = crashSetup(FILES);
      const { keel, threadId } = await startThread(setup);
      const took = await runPatchTurn(keel, threadId);
      const read = await keel.request('thread/read', { threadId, includeTurns: true });
      const revert = keel.request('thread/revert', { threadId, beforeTurnId: read.thread.turns[0]!.id, restoreFiles: true }, 60_000);
      revert.catch(() => undefined);
      await killAfter(keel, Math.floor(took * fraction));
      const reverted = await afterRestart(setup, threadId);
      const revertProblem = revertDisagreement(reverted, diskVerdict(setup), FILES);
      if (revertProblem !== null) problems.push(`revert at ${fraction}: ${revertProblem}`);

      const second = crashSetup(FILES);
      const started = await startThread(second);
      await startPatchTurn(started.keel, started.threadId);
      await killAfter(started.keel, Math.floor(took * fraction));
      const patchProblem = patchDisagreement(await afterRestart(second, started.threadId), diskVerdict(second), FILES);
      if (patchProblem !== null) problems.push(`patch at ${fraction}: ${patchProblem}`);
    }
    expect(problems).toEqual([]);
  });
});
