// Turn streaming: (1) 20,000 agent-message deltas, first delta → last delta on the client, and the
// server's CPU time for the turn (from /proc); (2) turn/start → turn/completed for a two-delta
// hello. Both on the built-in scripted provider, so what is measured is Keel's own per-delta work.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/keel.cjs', import.meta.url));
const DELTAS = 20_000;
const HELLO_RUNS = 30;
const CLOCK_TICKS = 100; // USER_HZ on Linux

function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function startServer(script) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-turn-'));
  const scriptPath = path.join(home, 'script.json');
  fs.writeFileSync(scriptPath, JSON.stringify(script));
  const child = spawn(process.execPath, [entry], { env: { ...process.env, KEEL_HOME: home, KEEL_SCRIPT: scriptPath }, stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = readline.createInterface({ input: child.stdout });
  let nextId = 0;
  const pending = new Map();
  let listener = () => {};
  lines.on('line', (line) => {
    const message = JSON.parse(line);
    if (message.id !== undefined && pending.has(message.id)) {
      pending.get(message.id)(message);
      pending.delete(message.id);
    } else listener(message);
  });
  return {
    child,
    request: (method, params) =>
      new Promise((resolve) => {
        const id = ++nextId;
        pending.set(id, resolve);
        child.stdin.write(JSON.stringify({ id, method, params }) + '\n');
      }),
    onNotification: (fn) => (listener = fn),
    close: () => new Promise((resolve) => {
      child.on('close', () => { fs.rmSync(home, { recursive: true, force: true }); resolve(); });
      child.stdin.end();
    }),
  };
}

async function openThread(server) {
  await server.request('initialize', { clientInfo: { name: 'bench', version: '0' } });
  const started = await server.request('thread/start', { ephemeral: false });
  return started.result.thread.id;
}

async function streamBench() {
  // A short warm-up turn first: the measured turn runs on a warm server, as in a real session.
  const server = startServer({ responses: [[{ repeatText: { text: 'tok ', count: 2_000 } }], [{ repeatText: { text: 'tok ', count: DELTAS } }]] });
  const threadId = await openThread(server);
  await new Promise((resolve) => {
    server.onNotification((message) => message.method === 'turn/completed' && resolve());
    server.request('turn/start', { threadId, input: [{ type: 'text', text: 'warm up' }] });
  });
  let first = 0;
  let last = 0;
  let deltas = 0;
  let cpuAtStart = 0;
  const done = new Promise((resolve) =>
    server.onNotification((message) => {
      if (message.method === 'item/agentMessage/delta') {
        if (deltas++ === 0) first = performance.now();
        last = performance.now();
      } else if (message.method === 'turn/completed') resolve();
    }),
  );
  cpuAtStart = cpuSeconds(server.child.pid);
  await server.request('turn/start', { threadId, input: [{ type: 'text', text: 'stream' }] });
  await done;
  const cpu = cpuSeconds(server.child.pid) - cpuAtStart;
  await server.close();
  return { deltas, firstToLastMs: last - first, cpu };
}

async function helloBench() {
  const server = startServer({ responses: Array.from({ length: HELLO_RUNS + 3 }, () => [{ text: 'Hel' }, { text: 'lo!' }]) });
  const threadId = await openThread(server);
  const times = [];
  for (let i = 0; i < HELLO_RUNS + 3; i++) {
    const done = new Promise((resolve) => server.onNotification((m) => m.method === 'turn/completed' && resolve()));
    const started = performance.now();
    await server.request('turn/start', { threadId, input: [{ type: 'text', text: 'hi' }] });
    await done;
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
