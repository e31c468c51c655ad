// Reliability, crash-safe file changes: shard 1 of the SIGKILLs mid-restore (the rounds and why
// they are cut into files are in crash-rounds.ts).
import { describe, it } from 'vitest';
import { FILES, runCrashShard, SHARDS, shardRounds } from './crash-rounds.js';

const { from, to } = shardRounds(1);

describe('reliability: SIGKILL while Keel writes files', () => {
  it(`leaves every file all before or all after, agreeing with the log, across kills mid-restore of ${FILES} files (rounds ${from}–${to - 1}, shard 1/${SHARDS})`, { timeout: 900_000 }, async () => {
    await runCrashShard('revert', 1);
  });
});
