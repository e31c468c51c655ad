// Thread reads at scale: a store of 50,000 threads plus one 10,000-item thread, written by the real
// store modules (bench/populate-store.ts), served by `node dist/keel.cjs` over stdio. Times, from
// request written to response line received, `thread/list` (first page and a page ~900 pages deep)
// and `thread/read {includeTurns}` / `thread/resume` of the long thread. Numbers are printed,
// never asserted.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const RUNS = 20;
const WARMUP = 2;
const DEEP_PAGES = 900;
const DEEP_LIMIT = 50;
const LIST_TARGET_MS = 50;
const READ_TARGET_MS = 100;
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const FULL_MAX_BYTES = 64 * 1024 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'dist', 'keel.cjs');
const populate = path.join(root, 'bench', 'populate-store.ts');

/** A Keel process on stdio: `request` resolves with the elapsed time, the raw line's size and the parsed answer. */
function startKeel(dbPath, home) {
  const child = spawn(process.execPath, [entry, '--db', dbPath], {
    env: { ...process.env, KEEL_HOME: home },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting = new Map();
  let nextId = 1;
  let pending = [];
  const onLine = (line, receivedAt) => {
    const message = JSON.parse(line.toString('utf8'));
    if (message.id === undefined) return; // a notification
    const request = waiting.get(message.id);
    if (!request) throw new Error(`answer to an unknown request: ${line.toString('utf8', 0, 200)}`);
    waiting.delete(message.id);
    if (message.error) request.reject(new Error(`${request.method}: ${JSON.stringify(message.error)}`));
    else request.resolve({ ms: receivedAt - request.sentAt, bytes: line.length, result: message.result });
  };
  // Chunks are kept as Buffers until a newline arrives, so multi-MiB answers cost no quadratic copying.
  child.stdout.on('data', (chunk) => {
    const receivedAt = performance.now();
    let start = 0;
    let newline;
    while ((newline = chunk.indexOf(10, start)) !== -1) {
      pending.push(chunk.subarray(start, newline));
      const line = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      pending = [];
      onLine(line, receivedAt);
      start = newline + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  });
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  child.on('exit', () => {
    for (const request of waiting.values()) request.reject(new Error(`keel exited before answering ${request.method}`));
  });
  return {
    pid: child.pid,
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { method, resolve, reject, sentAt: performance.now() });
        child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
      });
    },
    notify(method, params) {
      child.stdin.write(`${JSON.stringify({ method, params })}\n`);
    },
    /** EOF on stdin: Keel answers what it read, closes the store and exits. */
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs `once` WARMUP + RUNS times (with optional untimed `between` after each); returns sorted times and the last answer. */
async function measure(once, between) {
  const times = [];
  let last;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    last = await once();
    if (i >= WARMUP) times.push(last.ms);
    if (between) await between();
  }
  return { sorted: times.sort((a, b) => a - b), last };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function median(sorted) {
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const size = (bytes) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);
const summary = (sorted) => `min ${fmt(sorted[0])}, median ${fmt(median(sorted))}, p90 ${fmt(percentile(sorted, 90))}`;
const print = (line) => process.stdout.write(`${line}\n`);
function report(label, { sorted, last }, target, detail) {
  const verdict = target === undefined ? '' : `; target median ≤ ${target} ms: ${median(sorted) <= target ? 'met' : 'MISSED'}`;
  print(`  ${label}: ${summary(sorted)}${verdict}`);
  print(`      response ${size(last.bytes)} (${last.bytes} bytes)${detail ? `, ${detail(last.result)}` : ''}`);
}

const turnsDetail = (result) => {
  const turns = result.thread.turns;
  const items = turns.reduce((n, turn) => n + turn.items.length, 0);
  return `${turns.length} turns / ${items} items, turnsBackwardsCursor ${result.turnsBackwardsCursor ? 'set' : 'null'}`;
};

if (!fs.existsSync(entry)) {
  process.stderr.write(`thread-scale: ${entry} is missing; run npm run build first\n`);
  process.exit(1);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-scale-'));
const home = path.join(dir, 'home');
const dbPath = path.join(dir, 'keel.db');
let keel;
try {
  // 1. Population, through the real store modules.
  const populated = spawnSync(process.execPath, ['--import', 'tsx', populate, dbPath], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (populated.status !== 0) throw new Error(`populate-store.ts failed (exit ${populated.status ?? populated.signal})`);
  const { bigThreadId, bigThreadEvents, threads, events, ms: populateMs } = JSON.parse(populated.stdout.trim().split('\n').pop());
  process.stdout.write(
    [
      `thread scale, ${RUNS} runs after ${WARMUP} warm-up each (time = request written → response line received)`,
      `  store: ${threads} threads, ${events} events (long thread: ${bigThreadEvents} events), ${size(fs.statSync(dbPath).size)}; populated in ${fmt(populateMs)} (informational)`,
      '',
    ].join('\n'),
  );

  // 2. One long-lived server; the first thread request also loads the thread subsystem.
  keel = startKeel(dbPath, home);
  await keel.request('initialize', { clientInfo: { name: 'bench', version: '0' } });
  keel.notify('initialized', {});
  const warm = await keel.request('thread/list', {});
  print(`  warm-up thread/list (loads the thread subsystem): ${fmt(warm.ms)}`);

  report('thread/list first page (default limit)', await measure(() => keel.request('thread/list', {})), LIST_TARGET_MS, (r) => `${r.data.length} threads`);

  // Deep cursor: walk DEEP_PAGES pages of DEEP_LIMIT (not timed), then time that page.
  let cursor = null;
  const walkStarted = performance.now();
  for (let page = 0; page < DEEP_PAGES; page++) {
    const { result } = await keel.request('thread/list', { limit: DEEP_LIMIT, cursor });
    if (result.nextCursor === null) throw new Error(`thread/list ran out of pages after ${page + 1}`);
    cursor = result.nextCursor;
  }
  const walkMs = performance.now() - walkStarted;
  report(
    `thread/list at a deep cursor (after ${DEEP_PAGES} pages of ${DEEP_LIMIT}, limit ${DEEP_LIMIT})`,
    await measure(() => keel.request('thread/list', { limit: DEEP_LIMIT, cursor })),
    LIST_TARGET_MS,
    (r) => `${r.data.length} threads; the walk took ${fmt(walkMs)} (${fmt(walkMs / DEEP_PAGES)} per page)`,
  );

  // The long thread, not loaded: every thread/read replays its log from SQLite.
  const read = (maxBytes) => () => keel.request('thread/read', { threadId: bigThreadId, includeTurns: true, ...(maxBytes ? { maxBytes } : {}) });
  const cold = await measure(read());
  report(`thread/read {includeTurns} of the ${bigThreadEvents}-event thread, not loaded (replays the log)`, cold, READ_TARGET_MS, turnsDetail);
  const overBudget = cold.last.result.turnsBackwardsCursor !== null;
  if (overBudget) {
    report(`  same with maxBytes ${size(FULL_MAX_BYTES)} (the whole thread)`, await measure(read(FULL_MAX_BYTES)), READ_TARGET_MS, turnsDetail);
  } else {
    print(`      (the whole thread fits the default ${size(DEFAULT_MAX_BYTES)} budget, so no maxBytes run is needed)`);
  }

  // thread/resume loads it (replay) and subscribes; unsubscribing (untimed) unloads it again.
  const unsubscribe = () => keel.request('thread/unsubscribe', { threadId: bigThreadId });
  report(
    'thread/resume of the long thread, not loaded (replays the log)',
    await measure(() => keel.request('thread/resume', { threadId: bigThreadId }), unsubscribe),
    undefined,
    turnsDetail,
  );

  // Loaded: resume once and stay subscribed; thread/read then serves live state.
  await keel.request('thread/resume', { threadId: bigThreadId });
  const loaded = await measure(read());
  report('thread/read {includeTurns} of the long thread, loaded (after thread/resume)', loaded, READ_TARGET_MS, turnsDetail);
  if (overBudget) report(`  same with maxBytes ${size(FULL_MAX_BYTES)} (the whole thread)`, await measure(read(FULL_MAX_BYTES)), READ_TARGET_MS, turnsDetail);
  await unsubscribe();

  const code = await keel.stop();
  keel = undefined;
  if (code !== 0) throw new Error(`keel exited with ${code}`);
} finally {
  if (keel) await keel.stop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
}
