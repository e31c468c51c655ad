// A slow reader on one connection does not delay another's deltas: one Keel on ws://127.0.0.1:0,
// a 20,000-delta turn (≈ 14 MB of notifications: past the 8 MiB mark where a connection counts as
// congested) watched by a client that reads everything: alone, beside a second subscriber that
// also reads (the cost of a second connection), and beside one that stops reading its socket
// before the turn starts. Runs alternate; prints the reading client's first → last delta time and
// the p99 gap between its deltas (medians of runs), and what became of the slow one.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const entry = fileURLToPath(new URL('../dist/keel.cjs', import.meta.url));
const DELTAS = 20_000;
const RUNS = 5;

function startServer() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-'));
  const script = path.join(home, 'script.json');
  fs.writeFileSync(script, JSON.stringify({ responses: Array.from({ length: 2 }, () => [{ repeatText: { text: 'x'.repeat(500), count: DELTAS } }]) }));
  const child = spawn(process.execPath, [entry, 'app-server', '--listen', 'ws://127.0.0.1:0'], { env: { ...process.env, KEEL_HOME: home, KEEL_SCRIPT: script }, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = new Promise((resolve) => {
    let err = '';
    child.stderr.on('data', (chunk) => {
      err += chunk;
      const found = /keel: listening on (ws:\/\/\S+)/.exec(err);
      if (found) resolve(found[1]);
    });
  });
  return { child, home, url };
}

function connect(url) {
  const ws = new WebSocket(url);
  let nextId = 0;
  const pending = new Map();
  let listener = () => {};
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.method === undefined && pending.has(message.id)) {
      pending.get(message.id)(message);
      pending.delete(message.id);
    } else listener(message);
  });
  const request = (method, params) => new Promise((resolve) => {
    const id = ++nextId;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });
  return {
    ws,
    request,
    onMessage: (next) => (listener = next),
    opened: new Promise((resolve) => ws.once('open', resolve)),
    async init() {
      await this.opened;
      await request('initialize', { clientInfo: { name: 'bench', version: '0' } });
    },
  };
}

/** `second`: null, 'reading' or 'stopped'. */
async function run(second) {
  const server = startServer();
  const url = await server.url;
  const reader = connect(url);
  await reader.init();
  const threadId = (await reader.request('thread/start', {})).result.thread.id;
  if (second !== null) {
    const other = connect(url);
    await other.init();
    await other.request('thread/resume', { threadId });
    if (second === 'stopped') other.ws._socket.pause(); // what it is sent piles up in Keel's buffer for it
  }
  const times = [];
  const done = new Promise((resolve) => {
    reader.onMessage((m) => {
      if (m.method === 'item/agentMessage/delta') times.push(performance.now());
      else if (m.method === 'turn/completed') resolve();
    });
  });
  await reader.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
  await done;
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.on('close', resolve));
  fs.rmSync(server.home, { recursive: true, force: true });
  return { firstToLast: times.at(-1) - times[0], p99Gap: gaps[Math.floor(gaps.length * 0.99)], deltas: times.length };
}

const results = { alone: [], reading: [], stopped: [] };
for (let i = 0; i < RUNS; i++) {
  results.alone.push(await run(null));
  results.reading.push(await run('reading'));
  results.stopped.push(await run('stopped'));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`slow reader (${DELTAS} deltas over ws://, ${RUNS} alternating runs each; medians)`);
const rows = [['reading client alone', results.alone], ['beside a second client that reads', results.reading], ['beside a client that stopped reading', results.stopped]];
for (const [label, list] of rows) {
  console.log(`  ${label.padEnd(38)} first → last ${median(list.map((r) => r.firstToLast)).toFixed(1).padStart(7)} ms   p99 gap ${median(list.map((r) => r.p99Gap)).toFixed(3)} ms   deltas ${median(list.map((r) => r.deltas))}`);
}
