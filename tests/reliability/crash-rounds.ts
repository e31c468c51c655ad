// Reliability, crash-safe file changes: Keel is SIGKILLed while it writes a 600-file patch, and
// while `thread/revert {restoreFiles}` puts those files back, at PRNG-chosen delays spread over
// the write's measured length. After a restart every file is all before or all after (never a mix,
// never cut, no temp left), the fileChange item and its turn are not in progress, and the files
// agree with the log: a completed item means every file after, a reverted thread every file before.
//
// The 2 × RUNS kill rounds are independent (each its own workspace and Keel), so they are cut into
// shards, one test file each (crash-patch-*.test.ts, crash-revert-*.test.ts), that the runner can
// run side by side: one file of all rounds took 72 s alone. The delays are the same draws as when
// one loop ran them all: every shard draws the whole sequence and takes its own slice.
import { expect } from 'vitest';
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

export const FILES = 600;
export const RUNS = 20;
/** Each kind's RUNS rounds are cut into this many files. */
export const SHARDS = 2;

export type CrashKind = 'patch' | 'revert';

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

/** The delay fractions (of the measured window) of one kind's rounds `from` up to `to`: patch rounds draw first, then revert rounds, from one sequence. */
function delayFractions(kind: CrashKind, from: number, to: number): number[] {
  const random = rng(SEED * 31 + 5);
  const all = Array.from({ length: 2 * RUNS }, () => random.next());
  const offset = kind === 'patch' ? 0 : RUNS;
  return all.slice(offset + from, offset + to);
}

/** The rounds of one shard: `shard` of SHARDS (1-based) of the kind's RUNS kills. */
export function shardRounds(shard: number): { from: number; to: number } {
  const size = Math.ceil(RUNS / SHARDS);
  return { from: (shard - 1) * size, to: Math.min(RUNS, shard * size) };
}

/** Runs one shard's kill rounds; every round goes, then the list of disagreements must be empty. */
export async function runCrashShard(kind: CrashKind, shard: number): Promise<void> {
  const startedAt = Date.now();
  const { from, to } = shardRounds(shard);
  const window = await measuredWindow();
  console.log(`reliability crash ${kind} ${shard}/${SHARDS}: seed ${SEED}; writing ${FILES} files took ${window.patchMs} ms, restoring them ${window.revertMs} ms`);

  const broken: string[] = [];
  const held = (run: string, problem: string | null) => problem === null || broken.push(`${run}: ${problem}`);
  const hits: string[] = [];
  const fractions = delayFractions(kind, from, to);
  for (const [index, fraction] of fractions.entries()) {
    const run = from + index;
    const setup = crashSetup(FILES);
    const { keel, threadId } = await startThread(setup);
    if (kind === 'patch') {
      await startPatchTurn(keel, threadId);
      await killAfter(keel, Math.floor(fraction * window.patchMs * 1.2));
      const killed = diskVerdict(setup);
      if (isMixed(killed)) hits.push(`${killed.after}/${FILES}`);
      const read = await afterRestart(setup, threadId);
      held(`patch run ${run}`, patchDisagreement(read, diskVerdict(setup), FILES));
    } else {
      await runPatchTurn(keel, threadId);
      const patched = await keel.request('thread/read', { threadId, includeTurns: true });
      void keel.request('thread/revert', { threadId, beforeTurnId: patched.thread.turns[0]!.id, restoreFiles: true }, 60_000).catch(() => undefined);
      await killAfter(keel, Math.floor(fraction * window.revertMs * 1.2));
      const killed = diskVerdict(setup);
      if (isMixed(killed)) hits.push(`${killed.before}/${FILES}`);
      const read = await afterRestart(setup, threadId);
      held(`revert run ${run}`, revertDisagreement(read, diskVerdict(setup), FILES));
    }
  }

  const during = kind === 'patch' ? `a ${FILES}-file patch` : 'thread/revert restoreFiles';
  const counted = kind === 'patch' ? 'files written when killed' : 'files restored when killed';
  console.log(
    `reliability crash ${kind} ${shard}/${SHARDS}: ${fractions.length} kills during ${during}, ${hits.length} mid-${kind === 'patch' ? 'write' : 'restore'} (${counted}: ${hits.join(' ') || 'none'})`,
  );
  expect(broken).toEqual([]);
  reportPart(`crash-${kind}-${shard}of${SHARDS}`, { kills: fractions.length, attacks: fractions.length, turns: fractions.length }, startedAt);
}
