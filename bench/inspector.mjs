// The Inspector page's weight and its time to first thread (run after `npm run build`):
//   weight: bytes and gzipped bytes of what the page loads (index.html + app.js + app.css), and of
//           schema.json apart (the request console fetches it only when opened);
//   time:   `keel inspect` on a home holding THREADS stored threads (made once, before timing, by
//           the scripted model over one app-server), then per run a fresh browser context: from
//           navigation to the first thread row visible, and from clicking that row to its items
//           rendered. Medians of RUNS runs. A small table, then one JSON line.
// Needs Debian's chromium (or KEEL_TEST_CHROMIUM); without it prints why and exits 0.
// Options: --runs N (default 7), --threads N (default 200).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { entry, startKeel } from './lib/keel-session.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const RUNS = option('--runs', 7);
const THREADS = option('--threads', 200);
const pageDir = fileURLToPath(new URL('../dist/inspector/', import.meta.url));
const chromiumPath = process.env.KEEL_TEST_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => fs.existsSync(file));

function weight(names) {
  const bytes = names.map((name) => fs.readFileSync(path.join(pageDir, name)));
  return { files: names, bytes: bytes.reduce((sum, b) => sum + b.length, 0), gzipBytes: bytes.reduce((sum, b) => sum + zlib.gzipSync(b, { level: 9 }).length, 0) };
}

/** A home with `count` threads of one turn each, answered by the scripted model. */
async function seedHome(count) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-inspector-'));
  const script = path.join(home, 'seed-script.json');
  fs.writeFileSync(script, JSON.stringify(Array.from({ length: count }, (_, i) => [{ text: `Answer number ${i + 1}, with \`code\` and **bold** text.` }])));
  const keel = startKeel(() => ({ KEEL_SCRIPT: script, KEEL_LOG: 'warn' }), { args: ['app-server'], home });
  await keel.request('initialize', { clientInfo: { name: 'bench', version: '0' } });
  for (let i = 0; i < count; i++) {
    const { result } = await keel.request('thread/start', {});
    await new Promise((resolve) => {
      keel.onOther((message) => message.method === 'turn/completed' && resolve());
      keel.request('turn/start', { threadId: result.thread.id, input: [{ type: 'text', text: `Question ${i + 1}`, text_elements: [] }] });
    });
  }
  await new Promise((resolve) => {
    keel.child.once('close', resolve);
    keel.child.stdin.end();
  });
  return home;
}

/** `keel inspect` on `home`; resolves with its printed address and a stop function. */
async function startInspect(home) {
  const env = { ...process.env, KEEL_HOME: home, KEEL_LOG: 'warn' };
  for (const name of ['KEEL_SCRIPT', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'KEEL_DB']) delete env[name];
  const child = spawn(process.execPath, [entry, 'inspect'], { env, cwd: home, stdio: ['ignore', 'pipe', 'ignore'] });
  // However the bench ends (an error, a timeout), the inspector and its Keel end with it.
  process.on('exit', () => child.kill('SIGTERM'));
  const url = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^open (\S+)$/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`keel inspect exited (${code}) before printing its address`)));
  });
  return { url, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeRuns(url) {
  // The one-time token is spent once; every fresh context then carries the session cookie.
  const exchange = await fetch(url, { redirect: 'manual' });
  const [name, value] = (exchange.headers.get('set-cookie') ?? '').split(';')[0].split('=');
  const origin = new URL(url).origin;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const firstRow = [];
  const threadItems = [];
  // What the page fetched on its first run (the weight above assumes schema.json is not among it).
  const requested = new Set();
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addCookies([{ name, value, url: origin }]);
      const page = await context.newPage();
      if (run === 0) page.on('request', (request) => requested.add(new URL(request.url()).pathname));
      const started = performance.now();
      await page.goto(`${origin}/`);
      const row = page.getByRole('list', { name: 'Thread list' }).locator('li[data-thread-id]').first();
      await row.waitFor({ timeout: 60_000 });
      firstRow.push(performance.now() - started);
      const clicked = performance.now();
      await row.getByRole('button').first().click();
      await page.getByRole('main', { name: 'Thread' }).locator('article[data-item-type]').first().waitFor({ timeout: 60_000 });
      threadItems.push(performance.now() - clicked);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { firstRow, threadItems, requested: [...requested].sort() };
}

if (!fs.existsSync(path.join(pageDir, 'index.html'))) {
  console.error('bench/inspector.mjs: dist/inspector/ is not built: run npm run build');
  process.exit(1);
}
const page = weight(['index.html', 'app.js', 'app.css']);
const schema = weight(['schema.json']);
const rows = [
  ['page (index.html + app.js + app.css)', page.bytes, page.gzipBytes],
  ['schema.json (request console only)', schema.bytes, schema.gzipBytes],
];
console.log('| what | bytes | gzipped (level 9) |\n|---|---|---|');
for (const [what, bytes, gzip] of rows) console.log(`| ${what} | ${bytes} | ${gzip} |`);
const result = { bench: 'inspector', node: process.version, cores: os.cpus().length, page, schema };
if (chromiumPath === undefined) {
  console.log('time to first thread: skipped, no chromium here (apt-get install chromium, or set KEEL_TEST_CHROMIUM)');
} else {
  const seedStarted = performance.now();
  const home = await seedHome(THREADS);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const inspector = await startInspect(home);
  try {
    const { firstRow, threadItems, requested } = await timeRuns(inspector.url);
    Object.assign(result, { requested, threads: THREADS, runs: RUNS, seedSeconds: Number(seedSeconds.toFixed(1)), firstThreadRowMs: Math.round(median(firstRow)), openThreadItemsMs: Math.round(median(threadItems)), firstThreadRowAllMs: firstRow.map(Math.round), openThreadItemsAllMs: threadItems.map(Math.round) });
    console.log(`\n${THREADS} stored threads (seeded in ${seedSeconds.toFixed(1)} s), median of ${RUNS} fresh browser contexts:`);
    console.log('| from | to | median ms |\n|---|---|---|');
    console.log(`| navigation | first thread row visible | ${result.firstThreadRowMs} |`);
    console.log(`| click on that row | its items rendered | ${result.openThreadItemsMs} |`);
    console.log(`the page fetched: ${requested.join(', ')}`);
  } finally {
    await inspector.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
}
console.log(JSON.stringify(result));
