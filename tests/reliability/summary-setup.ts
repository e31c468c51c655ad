// Vitest global setup for the reliability suite's one summary line. Each part runs in its own
// worker, so it writes its counts to a file in a directory made here (handed over with `provide`);
// after the run this adds them up and prints the line. Prints nothing when no part ran.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { formatSummary, type PartTally } from './tally.js';

export default function setup(project: TestProject): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-reliability-'));
  project.provide('reliabilityTallyDir', dir);
  return () => {
    const parts = fs
      .readdirSync(dir)
      .sort()
      .map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as PartTally);
    if (parts.length > 0) console.log(formatSummary(parts));
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
