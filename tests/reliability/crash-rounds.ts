// Reliability, crash-safe file changes: Keel is SIGKILLed while it writes a 600-file patch, and
// while `thread/revert {restoreFiles}` puts those files back, at PRNG-chosen delays spread over
// the write's measured length. After a restart every file is all before or all after (never a mix,
// never cut, no temp left), the fileChange item and its turn are not in progress, and the files
// agree with the log: a completed item means every file after, a reverted thread every file before.
import { describe, expect, it } from 'vitest';
import {
  afterRestart,
  crashSetup,
  diskVerdict,
  isMixed,
  killAfter,
  patchDisagreement,
  revertDisagreement,
  runPatchTurn,
  startPatchTurn,
  startThread,
} from '../helpers/crash-files.js';
import { rng } from '../helpers/rng.js';
import { reportPart, SEED } from './tally.js';

const FILES = 600;
const RUNS = 20;

/** How long writing (or restoring) the patch takes here: one run to its end, so the kills can spread over it. */
async function measuredWindow(): Promise<{ patchMs: number; revertMs: number }> {
  const setup = crashSetup(FILES);
  const { keel, threadId } = await startThread(setup);
  const patchMs = await runPatchTurn(keel, threadId);
  const read = await keel.request('thread/read', { threadId, includeTurns: true });
  const from = Date.now();
  await keel.request('thread/revert', { threadId, beforeTurnId: read.thread.turns[0]!.id, restoreFiles: true }, 60_000);
  const revertMs = Date.now() - from;
  expect(await keel.close()).toBe(0);
  return { patchMs, revertMs };
}

describe('reliability: SIGKILL while Keel writes files', () => {
  it(`leaves every file all before or all after, agreeing with the log, across ${RUNS} kills mid-patch and ${RUNS} mid-restore`, { timeout: 900_000 }, async () => {
    const startedAt = Date.now();
    const random = rng(SEED * 31 + 5);
    const window = await measuredWindow();
    console.log(`reliability crash: seed ${SEED}; writing ${FILES} files took ${window.patchMs} ms, restoring them ${window.revertMs} ms`);

    /** Each run's disagreement in one line: every run goes, then the list must be empty. */
    const broken: string[] = [];
    const held = (run: string, problem: string | null) => problem === null || broken.push(`${run}: ${problem}`);
    const patchHits: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const setup = crashSetup(FILES);
      const { keel, threadId } = await startThread(setup);
      await startPatchTurn(keel, threadId);
      await killAfter(keel, Math.floor(random.next() * window.patchMs * 1.2));
      const killed = diskVerdict(setup);
      if (isMixed(killed)) patchHits.push(`${killed.after}/${FILES}`);
      const read = await afterRestart(setup, threadId);
      held(`patch run ${run}`, patchDisagreement(read, diskVerdict(setup), FILES));
    }

    const revertHits: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const setup = crashSetup(FILES);
      const { keel, threadId } = await startThread(setup);
      await runPatchTurn(keel, threadId);
      const patched = await keel.request('thread/read', { threadId, includeTurns: true });
      void keel.request('thread/revert', { threadId, beforeTurnId: patched.thread.turns[0]!.id, restoreFiles: true }, 60_000).catch(() => undefined);
      await killAfter(keel, Math.floor(random.next() * window.revertMs * 1.2));
      const killed = diskVerdict(setup);
      if (isMixed(killed)) revertHits.push(`${killed.before}/${FILES}`);
      const read = await afterRestart(setup, threadId);
      held(`revert run ${run}`, revertDisagreement(read, diskVerdict(setup), FILES));
    }

    console.log(
      `reliability crash: ${RUNS} kills during a ${FILES}-file patch, ${patchHits.length} mid-write (files written when killed: ${patchHits.join(' ') || 'none'}); ` +
        `${RUNS} kills during thread/revert restoreFiles, ${revertHits.length} mid-restore (files restored when killed: ${revertHits.join(' ') || 'none'})`,
    );
    expect(broken).toEqual([]);
    reportPart('crash', { kills: 2 * RUNS, attacks: 2 * RUNS, turns: 2 * RUNS }, startedAt);
  });
});
