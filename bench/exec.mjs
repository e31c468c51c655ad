// `keel exec` from the shell to its exit, on the scripted provider (one text turn, an empty
// KEEL_HOME each run): what a script pays per call. Against `node -e 0` in the same run, with and
// without NODE_EXTRA_CA_CERTS (this host sets it, and it alone costs every Node start).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const RUNS = 10;
const entry = fileURLToPath(new URL('../dist/keel.cjs', import.meta.url));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(args, env) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-exec-'));
    const t0 = performance.now();
    const run = spawnSync(process.execPath, args, { cwd: home, env: { ...env, KEEL_HOME: path.join(home, '.keel'), OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', KEEL_SCRIPT: '' }, stdio: 'ignore' });
    times.push(performance.now() - t0);
    fs.rmSync(home, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}`);
  }
  return median(times);
}

for (const [label, env] of [
  ['with NODE_EXTRA_CA_CERTS', process.env],
  ['without NODE_EXTRA_CA_CERTS', Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_EXTRA_CA_CERTS'))],
]) {
  const node = timed(['-e', '0'], env);
  const exec = timed([entry, 'exec', 'hello'], env);
  console.log(`keel exec "hello" (scripted, fresh home), ${label}: median ${exec.toFixed(0)} ms over ${RUNS} runs; node -e 0: ${node.toFixed(0)} ms`);
}
