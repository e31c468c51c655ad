// What a 40-call coding session costs at list prices, with each provider's documented prompt-cache
// rules applied by fake model servers (bench/session-cost/cache-rules.mjs, sources there): Keel on
// Responses (gpt-5.1-codex), Keel on Anthropic (claude-sonnet-4-5) and Codex 0.169.0 on Responses,
// in one run, the same script for each (bench/session-cost/script.mjs: a preamble of about 10k
// tokens with the AGENTS.md the bench writes, two user turns of 20 calls, tool outputs of 200 to
// 8,000 tokens). Prints each one's bill and hit ratio, the targets met or missed, and as its last
// line one JSON object: {"keel":{"responses":{hitRatio,costRatio},"anthropic":{…}},"codex":{"responses":{hitRatio}}}.
// `--calls` prints each call's bill (stderr); `--record` also writes the run's row to bench/RESULTS.md. Needs dist/ (`npm run build`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entry } from './lib/keel-session.mjs';
import { ensureCodex } from './vs-codex/install-codex.mjs';
import { contenders, runSession } from './session-cost/contenders.mjs';
import { recordRow } from './session-cost/record.mjs';
import { lines, measure, summary, verdicts } from './session-cost/report.mjs';
import { ANTHROPIC, OPENAI } from './session-cost/cache-rules.mjs';
import { CALL_MS, THINK_MS, writeWorkspace } from './session-cost/script.mjs';

if (!fs.existsSync(entry)) {
  console.log(`session-cost: ${path.relative(process.cwd(), entry)} is missing; run \`npm run build\` first`);
  process.exit(1);
}
const log = (line) => process.stderr.write(`${line}\n`);
let codexSaid = '';
const codex = ensureCodex((line) => {
  codexSaid = line;
  log(line);
});
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-session-work-'));
writeWorkspace(workspace);

console.log(
  `rules: OpenAI — cached in ${OPENAI.step}-token steps from ${OPENAI.minimumTokens} tokens, routed by prompt_cache_key + the first ${OPENAI.routingPrefixTokens} tokens, ` +
    `a keyless route shared with ${OPENAI.keylessSharers - 1} other sessions of the client (overflow above ${OPENAI.overflowRpm} requests/min), ${OPENAI.ttlMs / 60_000} min life; ` +
    `Anthropic — read only up to a cache_control breakpoint, looked up ${ANTHROPIC.lookbackBlocks} blocks back, ${ANTHROPIC.minimumTokens}-token minimum, ${ANTHROPIC.ttlMs['5m'] / 60_000} min life refreshed on a hit; ` +
    `4 bytes a token; simulated clock ${CALL_MS / 1000} s a call, ${THINK_MS / 1000} s between turns`,
);
const results = { keel: {}, codex: {} };
for (const contender of contenders(codex)) {
  const name = `${contender.id === 'keel' ? 'Keel' : 'Codex 0.169.0'} on ${contender.wire === 'responses' ? 'Responses' : 'Anthropic'} (${contender.model})`;
  if (contender.spec === null) {
    results[contender.id][contender.wire] = { skipped: codexSaid || '@openai/codex@0.169.0 could not be set up here' };
    console.log(`${name}: skipped — ${results[contender.id][contender.wire].skipped}`);
    continue;
  }
  log(`running ${name}…`);
  try {
    const run = await runSession(contender, workspace);
    // `--calls`: each call's bill, to see where a prefix broke.
    if (process.argv.includes('--calls')) run.calls.forEach((c, i) => log(`  call ${i + 1}: input ${c.prompt}, cached ${c.cached}, written ${c.write5m + c.write1h}${c.machine ? `, machine ${c.machine}` : ''}`));
    const m = measure(contender.model, run);
    results[contender.id][contender.wire] = m;
    for (const line of lines(name, m)) console.log(line);
  } catch (error) {
    results[contender.id][contender.wire] = { skipped: `the session failed: ${error.message.split('\n')[0]}` };
    console.log(`${name}: failed — ${error.message.split('\n')[0]}`);
  }
}
fs.rmSync(workspace, { recursive: true, force: true });
for (const line of verdicts(results)) console.log(line);
if (process.argv.includes('--record')) recordRow(results);
console.log(summary(results));
