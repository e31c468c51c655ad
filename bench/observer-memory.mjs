// An observer visiting many threads does not pin them in memory: a daemon (`keel app-server
// daemon start`) holds 300 threads with one turn each (~40 KB of text); one client, through
// `keel app-server proxy`, visits them (thread/resume, staying subscribed) in three rounds of 100;
// after each round, once [keel] thread_idle_unload_ms (here 500 ms) has passed, the threads leave
// the daemon's memory while the connection stays subscribed. Prints the daemon's RSS, V8 heap in
// use and thread counts after each round and after each idle delay.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchHome, entry, startKeel } from './lib/keel-session.mjs';

const THREADS = 300;
const ROUND = 100;
const IDLE_MS = 500;

const home = benchHome();
const script = path.join(home, 'script.json');
fs.writeFileSync(script, JSON.stringify({ responses: Array.from({ length: THREADS }, () => [{ repeatText: { text: 'memory ', count: 6_000 } }]) }));
fs.writeFileSync(path.join(home, 'config.toml'), `[keel]\nthread_idle_unload_ms = ${IDLE_MS}\n`);
const daemonEnv = { ...process.env, KEEL_HOME: home, KEEL_SCRIPT: script };
const daemon = (command) => JSON.parse(spawnSync(process.execPath, [entry, 'app-server', 'daemon', command], { env: daemonEnv, encoding: 'utf8' }).stdout);
const started = daemon('start');
const server = startKeel(() => ({ KEEL_SCRIPT: script }), { args: ['app-server', 'proxy', '--no-start'], home });
await server.request('initialize', { clientInfo: { name: 'bench', version: '0' }, capabilities: { experimentalApi: true } });
const ids = [];
for (let i = 0; i < THREADS; i++) {
  const id = (await server.request('thread/start', {})).result.thread.id;
  await server.turn(id);
  await server.request('thread/unsubscribe', { threadId: id });
  ids.push(id);
}

async function gauges() {
  const { result } = await server.request('server/diagnostics', {});
  const g = Object.fromEntries(result.gauges.map((x) => [x.name, x.value]));
  return { rssMiB: result.process.residentMemoryBytes / 2 ** 20, heapMiB: g.heapUsedBytes / 2 ** 20, loaded: g.loadedThreads, inMemory: g.threadsInMemory };
}
const show = (label, g) => console.log(`  ${label.padEnd(34)} RSS ${g.rssMiB.toFixed(1).padStart(6)} MiB  heap ${g.heapMiB.toFixed(1).padStart(6)} MiB  loaded ${String(g.loaded).padStart(3)}  in memory ${String(g.inMemory).padStart(3)}`);
async function idle() {
  for (let waited = 0; ; waited += 50) {
    const g = await gauges();
    if (g.inMemory === 0 || waited > 10 * IDLE_MS) return g;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

console.log(`observer memory (daemon pid ${started.pid}; ${THREADS} threads of ~40 KB, idle unload after ${IDLE_MS} ms)`);
show('threads written, none loaded', await idle());
for (let round = 0; round < THREADS / ROUND; round++) {
  for (const id of ids.slice(round * ROUND, (round + 1) * ROUND)) await server.request('thread/resume', { threadId: id });
  show(`round ${round + 1}: ${ROUND} more threads visited`, await gauges());
  show(`round ${round + 1}: after the idle delay`, await idle());
}
daemon('stop');
await server.close();
