// `--record`: the run's row in bench/RESULTS.md, under "## Session cost", newest first. The section
// is kept when bench/vs-codex rewrites the file (results.mjs carries it over).
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
export const SECTION = '## Session cost';
const HEADER = [
  SECTION,
  '',
  'Written by `node bench/session-cost.mjs --record`: a 40-call coding session (two user turns, a ~10k-token',
  'preamble, tool outputs of 200–8,000 tokens) against fake endpoints applying each provider\'s documented',
  'cache rules (bench/session-cost/cache-rules.mjs). Hit ratio = cached / input tokens from the second call on;',
  'cost ratio = cost at list prices / the same session uncached. Targets: hit ratio ≥ 0.9, cost ratio ≤ 0.25,',
  'Keel\'s Responses hit ratio ≥ Codex\'s.',
  '',
  '| run | Keel Responses hit / cost ratio | Keel Anthropic hit / cost ratio | Codex Responses hit ratio | note |',
  '|---|---|---|---|---|',
];

const cell = (m, withCost = true) => (m === undefined || 'skipped' in m ? 'not run' : withCost ? `${m.hitRatio.toFixed(3)} / ${m.costRatio.toFixed(3)}` : m.hitRatio.toFixed(3));

export function recordRow(results, note = process.env.SESSION_COST_NOTE ?? '') {
  const doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const at = doc.indexOf(`\n${SECTION}\n`);
  const before = at === -1 ? doc.trimEnd() : doc.slice(0, at).trimEnd();
  const rows = at === -1 ? [] : doc.slice(at).split('\n').filter((line) => line.startsWith('| 20'));
  const row = `| ${new Date().toISOString()} (${os.cpus().length} cores, Node ${process.version}) | ${cell(results.keel.responses)} | ${cell(results.keel.anthropic)} | ${cell(results.codex.responses, false)} | ${note} |`;
  fs.writeFileSync(file, `${before}\n\n${[...HEADER, row, ...rows].join('\n')}\n`);
  console.log('bench/RESULTS.md: session-cost row added');
}
