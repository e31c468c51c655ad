// thread/search at scale: a fresh SQLite store of 50,000 threads, each with one turn (a user
// message, a command, a file change, an agent answer), written through the real append path (its
// projections: the summary row and the full-text index, in the same transactions), then served by
// `node dist/keel.cjs --db` over stdio. Times the first page of `thread/search` (25 rows, created_at
// desc) for terms from rare to common: cold (the first ask after start) and warm (median, p95 of
// RUNS). Time = request written → response line received. Numbers are printed, never asserted.
//   node bench/thread-search.mjs            (needs npm run build)
// The seeding half runs in a child under tsx (`--populate <db>`), on the store's TypeScript modules.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const THREADS = 50_000;
const BATCH = 2_500;
const RUNS = 20;
const TARGET_MS = 50;
const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'dist', 'keel.cjs');
const self = fileURLToPath(import.meta.url);

/** [term, what it stands for]: how many threads hold it is printed beside its times. */
const TERMS = [
  ['kubernetes ingress', 'a phrase in ~1% of threads'],
  ['flaky', 'a word in ~5%'],
  ['migration', 'a word in ~30%'],
  ['src/billing/', 'a path fragment'],
  ['npm test', 'a command in ~20%'],
  ['no-such-term-anywhere', 'no match'],
  ['ab', 'two letters: scanned, not indexed'],
];

// Deterministic pseudo-random numbers (mulberry32): every run writes the same store.
let seed = 0x5eed;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const WORDS = ('the function returns early when the cursor is null so the caller never sees the last page I updated the test fixture and reran ' +
  'the suite which now passes on both linux and macos next I will check the path for existing databases and add a regression test for it ' +
  'please look at why the build fails after the upgrade of the bundler and the lint step complains about unused imports in several modules').split(' ');
function prose(words) {
  const out = [];
  for (let i = 0; i < words; i++) out.push(pick(WORDS));
  if (random() < 0.30) out.splice(Math.floor(random() * out.length), 0, 'migration');
  if (random() < 0.05) out.splice(Math.floor(random() * out.length), 0, 'flaky');
  if (random() < 0.01) out.splice(Math.floor(random() * out.length), 0, 'kubernetes ingress');
  return out.join(' ');
}
const COMMANDS = ['npm test', 'npm run build', 'git status', 'cargo test --release', 'pytest -q tests/', 'rg -n TODO src', 'ls -la'];
const DIRS = ['src/billing/', 'src/auth/', 'web/components/', 'infra/terraform/', 'tools/scripts/', 'api/handlers/'];

async function populate(dbPath) {
  const { openDatabase } = await import('../src/store/database.ts');
  const { EventLog } = await import('../src/store/event-log.ts');
  const { stampEvent } = await import('../src/core/events.ts');
  const { replay } = await import('../src/core/reduce.ts');
  const started = performance.now();
  const database = await openDatabase(dbPath);
  const log = new EventLog(database);
  const now = Date.now();
  const write = database.sqlite.transaction((threads) => {
    for (const events of threads) log.append(events[0].threadId, events, replay(events));
  });
  let batch = [];
  let events = 0;
  for (let i = 0; i < THREADS; i++) {
    const threadId = `thread-${String(i).padStart(6, '0')}`;
    let at = now - (THREADS - i) * 60_000;
    const e = (body) => stampEvent(threadId, (at += 1000), body);
    const cwd = `/home/dev/projects/p${i % 40}`;
    const turnId = `${threadId}-t1`;
    const user = { type: 'userMessage', id: `${threadId}-u`, content: [{ type: 'text', text: prose(30), text_elements: [] }] };
    const command = { type: 'commandExecution', id: `${threadId}-c`, command: pick(COMMANDS), cwd, processId: null, source: 'agent', status: 'completed', commandActions: [], aggregatedOutput: null, exitCode: 0, durationMs: 10 };
    const file = { type: 'fileChange', id: `${threadId}-f`, changes: [{ path: `${cwd}/${pick(DIRS)}module${i % 97}.ts`, kind: { type: 'update', move_path: null }, diff: '' }], status: 'completed' };
    const agent = { type: 'agentMessage', id: `${threadId}-a`, text: prose(60), phase: null, memoryCitation: null };
    const thread = [
      e({ type: 'thread/created', settings: { cwd, model: 'gpt-5', modelProvider: 'openai', approvalPolicy: 'on-request', sandbox: { type: 'readOnly', networkAccess: false }, reasoningEffort: null, baseInstructions: null, developerInstructions: null, config: null }, origin: { ephemeral: false, cliVersion: '0.1.0', forkedFromId: null } }),
      e({ type: 'turn/started', turnId, model: 'gpt-5' }),
      ...[user, command, file, agent].map((item) => e({ type: 'item/completed', turnId, itemId: item.id, item })),
      e({ type: 'turn/completed', turnId, status: 'completed', error: null }),
    ];
    events += thread.length;
    batch.push(thread);
    if (batch.length === BATCH) {
      write(batch);
      batch = [];
    }
  }
  if (batch.length > 0) write(batch);
  await database.close();
  process.stdout.write(`${JSON.stringify({ threads: THREADS, events, ms: performance.now() - started })}\n`);
}

function startKeel(dbPath, home) {
  const child = spawn(process.execPath, [entry, '--db', dbPath], { env: { ...process.env, KEEL_HOME: home }, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map();
  let nextId = 1;
  let rest = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const receivedAt = performance.now();
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      const message = JSON.parse(line);
      const request = message.id === undefined ? undefined : waiting.get(message.id);
      if (request === undefined) continue;
      waiting.delete(message.id);
      if (message.error) request.reject(new Error(`${request.method}: ${JSON.stringify(message.error)}`));
      else request.resolve({ ms: receivedAt - request.sentAt, result: message.result });
    }
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  return {
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { method, resolve, reject, sentAt: performance.now() });
        child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
      });
    },
    notify: (method) => child.stdin.write(`${JSON.stringify({ method })}\n`),
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

const median = (sorted) => (sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);
const p95 = (sorted) => sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

async function main() {
  if (process.argv[2] === '--populate') return populate(process.argv[3]);
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing; run npm run build first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-search-'));
  const dbPath = path.join(dir, 'keel.db');
  try {
    const seeded = spawnSync(process.execPath, ['--import', 'tsx', self, '--populate', dbPath], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (seeded.status !== 0) throw new Error(`seeding failed (exit ${seeded.status ?? seeded.signal})`);
    const { threads, events, ms } = JSON.parse(seeded.stdout.trim().split('\n').pop());
    console.log(`thread/search, first page (25 rows): ${threads} threads, ${events} events, ${(fs.statSync(dbPath).size / 1024 / 1024).toFixed(1)} MiB; seeded in ${(ms / 1000).toFixed(1)} s (informational)`);
    const keel = startKeel(dbPath, path.join(dir, 'home'));
    await keel.request('initialize', { clientInfo: { name: 'bench', title: null, version: '0' }, capabilities: { experimentalApi: true } });
    keel.notify('initialized');
    let worst = 0;
    for (const [term, about] of TERMS) {
      const cold = await keel.request('thread/search', { searchTerm: term });
      const times = [];
      for (let i = 0; i < RUNS; i++) times.push((await keel.request('thread/search', { searchTerm: term })).ms);
      times.sort((a, b) => a - b);
      const listed = await keel.request('thread/list', { searchTerm: term, limit: 1 });
      // Newest updated first reads every match (no early stop): the figure for that order.
      const updated = [];
      for (let i = 0; i < 5; i++) updated.push((await keel.request('thread/search', { searchTerm: term, sortKey: 'updated_at' })).ms);
      updated.sort((a, b) => a - b);
      worst = Math.max(worst, median(times));
      console.log(`  ${JSON.stringify(term).padEnd(24)} ${about.padEnd(36)} cold ${fmt(cold.ms).padStart(9)}  warm median ${fmt(median(times)).padStart(9)}  p95 ${fmt(p95(times)).padStart(9)}  rows ${cold.result.data.length}${cold.result.nextCursor ? '+' : ''}  (sortKey updated_at: median ${fmt(median(updated))}; thread/list searchTerm ${fmt(listed.ms)})`);
    }
    console.log(`  worst warm median ${fmt(worst)}; target first page ≤ ${TARGET_MS} ms: ${worst <= TARGET_MS ? 'met' : 'MISSED'}`);
    await keel.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
