// Runs every benchmark in bench/ (all *.mjs but this one), one after another, in name order; with
// `--against codex`, the side-by-side comparison with Codex's app-server instead.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));

// `--against codex`: the side-by-side run instead (bench/vs-codex/run.mjs; `--quick` for a smoke run).
const against = process.argv.indexOf('--against');
if (against !== -1) {
  const target = process.argv[against + 1];
  if (target !== 'codex') {
    process.stderr.write(`bench: --against ${target ?? '(nothing)'}: only codex is known\n`);
    process.exit(2);
  }
  const rest = process.argv.slice(2).filter((_, i) => i !== against - 2 && i !== against - 1);
  const { status } = spawnSync(process.execPath, [path.join(dir, 'vs-codex', 'run.mjs'), ...rest], { stdio: 'inherit' });
  process.exit(status ?? 1);
}
const benches = fs.readdirSync(dir).filter((name) => name.endsWith('.mjs') && name !== self).sort();

let failed = 0;
for (const name of benches) {
  process.stdout.write(`== ${name}\n`);
  const { status, signal } = spawnSync(process.execPath, [path.join(dir, name)], { stdio: 'inherit' });
  if (status !== 0) {
    failed++;
    process.stdout.write(`${name} failed (exit ${status ?? signal})\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
