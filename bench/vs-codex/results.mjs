// The record: the run's JSON in bench/results/, and bench/RESULTS.md rewritten with the latest
// table, the machine, the Codex version and what changed since the previous run's ratios.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECTION as SESSION_COST } from '../session-cost/record.mjs';
import { tableRows, verdict } from './stats.mjs';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = path.join(benchDir, 'results');

function previousRun() {
  if (!fs.existsSync(resultsDir)) return null;
  const files = fs.readdirSync(resultsDir).filter((f) => f.endsWith('.json') && !f.includes('quick')).sort();
  return files.length === 0 ? null : JSON.parse(fs.readFileSync(path.join(resultsDir, files.at(-1)), 'utf8'));
}

function changes(metrics, previous) {
  if (previous === null) return ['First recorded run.'];
  const before = Object.fromEntries(previous.metrics.filter((m) => m.codex).map((m) => [m.key, m.keel.median / m.codex.median]));
  const lines = [];
  for (const m of metrics) {
    if (!m.codex || m.target === undefined || before[m.key] === undefined) continue;
    const now = verdict(m).ratio;
    if (Math.abs(now - before[m.key]) / before[m.key] >= 0.1) lines.push(`- ${m.label}: ${before[m.key].toFixed(2)}× → ${now.toFixed(2)}×`);
  }
  return lines.length === 0 ? [`No ratio moved by 10% or more since ${previous.date}.`] : [`Ratios that moved by 10% or more since ${previous.date}:`, ...lines];
}

export function writeResults({ metrics, samples, codexVersion, pinned, quick, counts }) {
  const date = new Date().toISOString();
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  const run = { date, machine, codexVersion, pinnedCodexVersion: pinned, quick, counts, metrics, samples };
  const rows = tableRows(metrics);
  console.log(rows.join('\n'));
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${date.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  const previous = quick ? null : previousRun();
  fs.writeFileSync(file, JSON.stringify(run, null, 2) + '\n');
  console.log(`\nrun written to ${path.relative(process.cwd(), file)}`);
  if (quick) return; // a quick run is a smoke test, not the record
  const doc = [
    '# Keel against Codex — the record',
    '',
    'Written by `npm run bench -- --against codex` (bench/vs-codex/run.mjs); every run\'s samples are in',
    '`bench/results/`. Both servers run on the same machine against the same fake Responses server',
    '(bench/vs-codex/model-server.mjs) with the same config.toml, sampled alternately; ratios are',
    'Keel/Codex of the medians.',
    '',
    `**Latest run**: ${date} — ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; Codex \`${codexVersion}\` (npm \`@openai/codex@${pinned}\`).`,
    '',
    ...rows,
    '',
    '## What changed since the previous run',
    '',
    ...changes(metrics, previous),
    '',
  ].join('\n');
  // bench/session-cost.mjs keeps its rows in a section of its own: carried over as it is.
  const previousDoc = fs.existsSync(path.join(benchDir, 'RESULTS.md')) ? fs.readFileSync(path.join(benchDir, 'RESULTS.md'), 'utf8') : '';
  const kept = previousDoc.indexOf(`\n${SESSION_COST}\n`);
  fs.writeFileSync(path.join(benchDir, 'RESULTS.md'), kept === -1 ? doc : `${doc}${previousDoc.slice(kept)}`);
  console.log('bench/RESULTS.md updated');
}
