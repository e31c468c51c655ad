// The reliability suite's seed and counts. Every part draws from a PRNG seeded by
// KEEL_RELIABILITY_SEED (default below), prints it, and reports what it did: lines fuzzed, kills,
// provider faults, turns. Rerun a failure with the printed seed.
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    reliabilityTallyDir: string;
  }
}

export const SEED = Number(process.env.KEEL_RELIABILITY_SEED ?? 20_240_917);

export interface Counts {
  linesFuzzed: number;
  kills: number;
  faults: number;
  turns: number;
  /** Hostile attempts made against a defence (a secret read, a write escape, a talked-around approval…), each checked to have held. */
  attacks: number;
}

export interface PartTally extends Counts {
  part: string;
  seed: number;
  wallMs: number;
}

const zero: Counts = { linesFuzzed: 0, kills: 0, faults: 0, turns: 0, attacks: 0 };

/** Prints the part's counts and leaves them for the run's summary line (summary-setup.ts). */
export function reportPart(part: string, counts: Partial<Counts>, startedAtMs: number): void {
  const tally: PartTally = { part, seed: SEED, ...zero, ...counts, wallMs: Date.now() - startedAtMs };
  console.log(`reliability ${part}: ${describeCounts(tally)}`);
  const dir = inject('reliabilityTallyDir');
  if (dir !== undefined) fs.writeFileSync(path.join(dir, `${part}.json`), JSON.stringify(tally));
}

export function formatSummary(parts: readonly PartTally[]): string {
  const total = parts.reduce<PartTally>(
    (sum, p) => ({ ...sum, linesFuzzed: sum.linesFuzzed + p.linesFuzzed, kills: sum.kills + p.kills, faults: sum.faults + p.faults, turns: sum.turns + p.turns, attacks: sum.attacks + p.attacks, wallMs: sum.wallMs + p.wallMs }),
    { part: 'all', seed: SEED, ...zero, wallMs: 0 },
  );
  return `reliability summary (${parts.map((p) => p.part).join(', ')}): ${describeCounts(total)}`;
}

function describeCounts(t: PartTally): string {
  return `seed ${t.seed}; ${t.linesFuzzed} lines fuzzed, ${t.kills} kills, ${t.faults} faults, ${t.turns} turns, ${t.attacks} attacks held; ${(t.wallMs / 1000).toFixed(1)} s`;
}
