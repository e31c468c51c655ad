// Runs every benchmark in bench/ (all *.mjs but this one), one after another, in name order.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));
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
