// Cold start: wall time from spawning `node dist/keel.cjs` to the initialize answer on stdout, for
// `keel app-server` (the default command) and `keel acp` (an ACP agent, as an editor starts it).
// Each run gets a fresh KEEL_HOME, as a client starting Keel for the first time would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const RUNS = 20;
const WARMUP = 2;
const TARGET_MS = 100;
const entry = fileURLToPath(new URL('../dist/keel.cjs', import.meta.url));
const initialize = `${JSON.stringify({ id: 1, method: 'initialize', params: { clientInfo: { name: 'bench', version: '0' } } })}\n`;
const acpInitialize = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: 1, clientCapabilities: {} } })}\n`;

/** Milliseconds from spawn to the first complete stdout line; `check` validates that line. */
function timeToFirstLine(args, input, check, env = process.env) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-'));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: { ...env, KEEL_HOME: home }, stdio: ['pipe', 'pipe', 'ignore'] });
    let elapsed;
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (elapsed === undefined && out.includes('\n')) {
        elapsed = performance.now() - started;
        if (!check(out.slice(0, out.indexOf('\n')))) reject(new Error(`unexpected first line: ${out}`));
        child.stdin.end();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      fs.rmSync(home, { recursive: true, force: true });
      if (elapsed === undefined) reject(new Error(`${args.join(' ')} exited (code ${code}) before writing a line`));
      else resolve(elapsed);
    });
    child.stdin.write(input);
  });
}

// This host sets NODE_EXTRA_CA_CERTS, which makes every Node process parse a CA bundle at boot
// (~150 ms here); the bench also measures without it, to show Keel's own share.
const withoutExtraCerts = { ...process.env };
delete withoutExtraCerts.NODE_EXTRA_CA_CERTS;

const keelRun = (env) =>
  timeToFirstLine([entry], initialize, (line) => {
    const answer = JSON.parse(line);
    return answer.id === 1 && answer.result !== undefined;
  }, env);
const acpRun = (env) =>
  timeToFirstLine([entry, 'acp'], acpInitialize, (line) => {
    const answer = JSON.parse(line);
    return answer.jsonrpc === '2.0' && answer.id === 1 && answer.result?.protocolVersion === 1;
  }, env);
// The floor on this machine: node itself starting and printing one line.
const nodeRun = (env) => timeToFirstLine(['-e', 'process.stdout.write("ready\\n")'], '', (line) => line === 'ready', env);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function median(sorted) {
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const summary = (sorted) => `min ${fmt(sorted[0])}, median ${fmt(median(sorted))}, p90 ${fmt(percentile(sorted, 90))}`;

if (!fs.existsSync(entry)) {
  process.stderr.write(`cold-start: ${entry} is missing; run npm run build first\n`);
  process.exit(1);
}
// Keel and the node floor run alternately, so both see the same machine: on a shared host the
// speed of a spawn swings by 2x from minute to minute, and the paired difference is what Keel adds.
const keel = [];
const node = [];
const added = [];
const bareKeel = [];
const bareNode = [];
const acp = [];
const acpAdded = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  const k = await keelRun(process.env);
  const n = await nodeRun(process.env);
  const bk = await keelRun(withoutExtraCerts);
  const bn = await nodeRun(withoutExtraCerts);
  const a = await acpRun(process.env);
  if (i < WARMUP) continue;
  acp.push(a);
  acpAdded.push(a - n);
  keel.push(k);
  node.push(n);
  added.push(k - n);
  bareKeel.push(bk);
  bareNode.push(bn);
}
[keel, node, added, bareKeel, bareNode, acp, acpAdded].forEach((list) => list.sort((a, b) => a - b));
const extraCerts = process.env.NODE_EXTRA_CA_CERTS !== undefined;
const verdict = median(keel) <= TARGET_MS ? 'met' : 'MISSED';
process.stdout.write(
  [
    `cold start, ${RUNS} runs after ${WARMUP} warm-up each`,
    `  keel app-server (spawn → initialize answer): ${summary(keel)}`,
    `  node floor (spawn → first line):  ${summary(node)}`,
    `  keel minus node floor, paired:     ${summary(added)}`,
    `  keel acp (spawn → initialize answer): ${summary(acp)}`,
    `  keel acp minus node floor, paired:     ${summary(acpAdded)}`,
    ...(extraCerts
      ? [
          `  without NODE_EXTRA_CA_CERTS (set on this host; Node parses the CA bundle at every boot):`,
          `    keel: ${summary(bareKeel)}`,
          `    node: ${summary(bareNode)}`,
        ]
      : []),
    `  target: keel median ≤ ${TARGET_MS} ms: ${verdict}` + (extraCerts ? `; without NODE_EXTRA_CA_CERTS: ${median(bareKeel) <= TARGET_MS ? 'met' : 'MISSED'}` : ''),
    '',
  ].join('\n'),
);
