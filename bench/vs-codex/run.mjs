// Keel against Codex's app-server, side by side in one run (`npm run bench -- --against codex`):
// the same machine, the same fake Responses server, the same config.toml; every figure sampled
// alternately, server by server, so the machine's drift hits both alike. Prints the table, writes
// the run's JSON to bench/results/ and the table to bench/RESULTS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssBytes, startAppServer } from './app-server.mjs';
import { codexContender, keelContender, newHome } from './contenders.mjs';
import { CODEX_VERSION, ensureCodex } from './install-codex.mjs';
import { coldStart, concurrent, hello, idleRss, listAll, newThread, nodeFloor, openSession, readLong, stream, toolTurn } from './measures.mjs';
import { startModelServer } from './model-server.mjs';
import { writeResults } from './results.mjs';
import { summary } from './stats.mjs';
import { CODEX_TABLES, CODEX_TOP_LEVEL } from './codex-config.mjs';

const quick = process.argv.includes('--quick');
const N = quick ? { cold: 3, rss: 1, hello: 5, stream: 2, concurrent: 1, listThreads: 200, list: 2, readTurns: 20, read: 3, tool: 3 } : { cold: 10, rss: 3, hello: 20, stream: 5, concurrent: 3, listThreads: 2_000, list: 5, readTurns: 100, read: 5, tool: 10 };
const STREAM_DELTAS = 20_000;
const CONCURRENT_THREADS = 20;
const CONCURRENT_DELTAS = 1_000;

const codex = ensureCodex();
if (codex === null) {
  console.log('Codex could not be set up here; nothing to compare against (skipped).');
  process.exit(0);
}
const model = await startModelServer();
const contenders = [keelContender(), codexContender(codex.binary, { topLevel: CODEX_TOP_LEVEL, tables: CODEX_TABLES })];
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-work-'));
const samples = {};
const add = (key, name, value) => ((samples[key] ??= {})[name] ??= []).push(value);
const log = (line) => process.stderr.write(`${line}\n`);

/** Runs `sample(contender)` `n` times per contender, alternating which goes first. */
async function alternate(key, n, sample) {
  for (let i = 0; i < n; i++) {
    const order = i % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) add(key, contender.name, await sample(contender));
  }
  log(`  ${key}: done`);
}

const homes = Object.fromEntries(contenders.map((c) => [c.name, newHome(c.name, model.url, c.extraToml)]));
const specOf = (contender, options) => contender.spec(homes[contender.name], options);

log(`Keel vs Codex ${codex.version} (${quick ? 'quick' : 'full'} run)`);
// Warm homes: the first start of each writes its files.
for (const contender of contenders) await coldStart(specOf(contender));
await alternate('coldStartMs', N.cold, (c) => coldStart(specOf(c)));
for (let i = 0; i < N.cold; i++) {
  add('nodeFloorMs', 'keel', await nodeFloor());
  add('coldStartNoCaMs', 'keel', await coldStart(specOf(contenders[0], { withoutCaCerts: true })));
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  add('nodeFloorNoCaMs', 'keel', await nodeFloor(env));
}
await alternate('idleRssBytes', N.rss, (c) => idleRss(specOf(c), cwd));

const sessions = Object.fromEntries(await Promise.all(contenders.map(async (c) => [c.name, await openSession(specOf(c), cwd)])));
for (const c of contenders) for (let i = 0; i < 3; i++) await hello(sessions[c.name]);
await alternate('helloMs', N.hello, (c) => hello(sessions[c.name]));
await alternate('stream', N.stream, (c) => stream(sessions[c.name], STREAM_DELTAS));
// Once each has sat idle for a second after its last stream.
await new Promise((resolve) => setTimeout(resolve, 1_000));
for (const c of contenders) add('rssAfterStreamsBytes', c.name, rssBytes(sessions[c.name].server.child.pid));
await alternate('toolTurnMs', N.tool, (c) => toolTurn(sessions[c.name]));
await alternate('concurrent', N.concurrent, (c) => concurrent(sessions[c.name].server, cwd, CONCURRENT_THREADS, CONCURRENT_DELTAS));

// A long thread: many turns in one thread, read back whole.
const longThreads = {};
for (const c of contenders) {
  const { server } = sessions[c.name];
  longThreads[c.name] = await newThread(server, cwd);
  for (let i = 0; i < N.readTurns; i++) await server.turn(longThreads[c.name], 'stream 200');
}
await alternate('readLong', N.read, (c) => readLong(sessions[c.name].server, longThreads[c.name]));
for (const c of contenders) await sessions[c.name].server.close();

// Many threads: each server in a home of its own, filled with threads of one turn each by several
// processes in turn (Codex keeps every thread it ran loaded, ~1 MB each), then listed by a fresh one.
const LIST_SHARD = 250;
const listServers = {};
for (const c of contenders) {
  const home = newHome(`${c.name}-list`, model.url, c.extraToml);
  const started = Date.now();
  for (let shard = 0; shard < N.listThreads; shard += LIST_SHARD) {
    const filler = startAppServer(c.spec(home));
    await filler.initialize();
    for (let done = shard; done < Math.min(shard + LIST_SHARD, N.listThreads); done += 20) {
      const batch = Math.min(20, shard + LIST_SHARD - done, N.listThreads - done);
      await Promise.all(Array.from({ length: batch }, async () => filler.turn(await newThread(filler, cwd), 'hello')));
    }
    await filler.close();
  }
  log(`  ${c.name}: ${N.listThreads} threads with one turn each written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const server = startAppServer(c.spec(home));
  await server.initialize();
  const { count } = await listAll(server); // warm: the first listing also opens the store
  if (count !== N.listThreads) throw new Error(`${c.name} lists ${count} threads, not ${N.listThreads}`);
  listServers[c.name] = server;
}
await alternate('listAll', N.list, (c) => listAll(listServers[c.name]));
for (const c of contenders) await listServers[c.name].close();
await model.close();

const pick = (key, field) => Object.fromEntries(Object.entries(samples[key]).map(([name, list]) => [name, summary(field ? list.map((s) => s[field]) : list)]));
const metrics = [
  { key: 'coldStart', label: 'cold start, spawn → `initialize` answered (warm home)', unit: 'ms', better: 'lower', target: 0.8, ...pick('coldStartMs') },
  { key: 'coldStartNoCa', label: '… Keel with NODE_EXTRA_CA_CERTS unset', unit: 'ms', ...pick('coldStartNoCaMs') },
  { key: 'nodeFloor', label: '… `node -e 0`, same run', unit: 'ms', ...pick('nodeFloorMs') },
  { key: 'nodeFloorNoCa', label: '… `node -e 0` with NODE_EXTRA_CA_CERTS unset', unit: 'ms', ...pick('nodeFloorNoCaMs') },
  { key: 'idleRss', label: 'idle RSS (initialized, one thread, 1 s idle)', unit: 'MiB', better: 'lower', target: 0.7, ...pick('idleRssBytes') },
  { key: 'hello', label: 'hello turn, `turn/start` → `turn/completed`', unit: 'ms', better: 'lower', target: 0.2, ...pick('helloMs') },
  { key: 'streamTime', label: `${STREAM_DELTAS.toLocaleString('en-US')}-delta stream, first → last delta`, unit: 'ms', better: 'lower', target: 0.25, ...pick('stream', 'ms') },
  { key: 'streamCpu', label: `${STREAM_DELTAS.toLocaleString('en-US')}-delta stream, server CPU`, unit: 's', better: 'lower', target: 0.25, ...pick('stream', 'cpu') },
  { key: 'rssAfterStreams', label: `RSS after ${N.stream} such streams (then 1 s idle)`, unit: 'MiB', better: 'lower', target: 0.7, ...pick('rssAfterStreamsBytes') },
  { key: 'concurrentThroughput', label: `${CONCURRENT_THREADS} threads streaming at once, aggregate deltas/s`, unit: 'deltas/s', better: 'higher', target: 3, ...pick('concurrent', 'deltasPerSecond') },
  { key: 'concurrentGap', label: `${CONCURRENT_THREADS} threads at once, p99 gap between one thread's deltas`, unit: 'ms', better: 'lower', ...pick('concurrent', 'p99GapMs') },
  { key: 'listAll', label: `\`thread/list\` of ${N.listThreads.toLocaleString('en-US')} threads (pages of 100)`, unit: 'ms', better: 'lower', target: 0.1, ...pick('listAll', 'ms') },
  { key: 'readLong', label: `\`thread/read\` of a ${N.readTurns}-turn thread, with turns`, unit: 'ms', better: 'lower', target: 0.1, ...pick('readLong', 'ms') },
  { key: 'toolTurn', label: 'tool turn (`true` through the shell tool), start → completed', unit: 'ms', better: 'lower', ...pick('toolTurnMs') },
];
writeResults({ metrics, samples, codexVersion: codex.version, pinned: CODEX_VERSION, quick, counts: N });
