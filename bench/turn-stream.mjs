// Turn streaming: (1) 20,000 agent-message deltas, first delta → last delta on the client, and the
// server's CPU time for the turn (from /proc); (2) turn/start → turn/completed for a two-delta
// hello. Both on the built-in scripted provider, so what is measured is Keel's own per-delta work.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, startKeel } from './lib/keel-session.mjs';

const DELTAS = 20_000;
const HELLO_RUNS = 30;

function scripted(responses) {
  return startKeel((home) => {
    const scriptPath = path.join(home, 'script.json');
    fs.writeFileSync(scriptPath, JSON.stringify({ responses }));
    return { KEEL_SCRIPT: scriptPath };
  });
}

async function streamBench() {
  // A short warm-up turn first: the measured turn runs on a warm server, as in a real session.
  const server = scripted([[{ repeatText: { text: 'tok ', count: 2_000 } }], [{ repeatText: { text: 'tok ', count: DELTAS } }]]);
  const threadId = await server.openThread({ ephemeral: false });
  await server.turn(threadId);
  let first = 0;
  let last = 0;
  let deltas = 0;
  const cpuAtStart = cpuSeconds(server.child.pid);
  await server.turn(threadId, () => {
    if (deltas++ === 0) first = performance.now();
    last = performance.now();
  });
  const cpu = cpuSeconds(server.child.pid) - cpuAtStart;
  await server.close();
  return { deltas, firstToLastMs: last - first, cpu };
}

async function helloBench() {
  const server = scripted(Array.from({ length: HELLO_RUNS + 3 }, () => [{ text: 'Hel' }, { text: 'lo!' }]));
  const threadId = await server.openThread();
  const times = [];
  for (let i = 0; i < HELLO_RUNS + 3; i++) {
    const started = performance.now();
    await server.turn(threadId);
    if (i >= 3) times.push(performance.now() - started);
  }
  await server.close();
  return times.sort((a, b) => a - b);
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const stream = await streamBench();
console.log('turn streaming (scripted provider)');
console.log(`  ${stream.deltas} deltas, first → last on the client: ${stream.firstToLastMs.toFixed(1)} ms (target ≤ 400 ms: ${stream.firstToLastMs <= 400 ? 'met' : 'MISSED'})`);
console.log(`  server CPU for the turn: ${stream.cpu.toFixed(2)} s (target ≤ 0.6 CPU-s: ${stream.cpu <= 0.6 ? 'met' : 'MISSED'})`);
const hello = await helloBench();
console.log(`  turn/start → turn/completed, two-delta hello, ${hello.length} runs: min ${hello[0].toFixed(1)} ms, median ${pct(hello, 0.5).toFixed(1)} ms, p90 ${pct(hello, 0.9).toFixed(1)} ms (target median ≤ 20 ms: ${pct(hello, 0.5) <= 20 ? 'met' : 'MISSED'})`);
