// A fleet on one store: three Keel app-servers, a client on each, 300 threads, 20 turns at once,
// then one member SIGKILLed mid-turn. Prints turns/s, the p99 of turn/start → first delta at the
// owner's client, how long after the owner's client a client following the thread from another
// process hears each delta (p50/p99), and the lease takeover time (SIGKILL → the survivors' clients
// hear the dead member's running turns end). The same with one process on SQLite for comparison,
// and with three processes on one SQLite home.
//
//   node bench/fleet.mjs                       SQLite only
//   KEEL_BENCH_PG_URL=postgres://… node bench/fleet.mjs    (`npm run pg` prints one)
// Each PostgreSQL run uses a fresh database it creates on that server and drops after.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchHome, startKeel } from './lib/keel-session.mjs';

const THREADS = 300;
const AT_ONCE = 20;
const TURNS = 240;
const DELTAS_PER_TURN = 20;
const DOOMED = 6;
const require = createRequire(import.meta.url);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const ms = (value) => `${value.toFixed(1)} ms`;

/** Which thread (by index) each turn runs on: 20 lanes, each on threads of its own, spread over the threads and so over the members. */
const PLAN = Array.from({ length: TURNS }, (_, i) => ((i % AT_ONCE) + AT_ONCE * Math.floor(i / AT_ONCE)) % THREADS);

/** Members on one store: each with its own script, one streaming answer per turn it runs, then (member 2 of 3) stalling ones. */
function fleetOf(size, home, storeEnv) {
  return Array.from({ length: size }, (_, member) =>
    startKeel(
      () => {
        const script = path.join(home, `script-${member}.json`);
        const turn = [{ repeatText: { text: 'tok ', count: DELTAS_PER_TURN } }];
        const runs = PLAN.filter((thread) => thread % size === member).length;
        const stalls = member === 2 ? Array.from({ length: DOOMED }, () => [{ text: 'streaming' }, { stall: true }]) : [];
        fs.writeFileSync(script, JSON.stringify({ responses: [...Array.from({ length: runs }, () => turn), ...stalls] }));
        return { ...storeEnv, KEEL_SCRIPT: script };
      },
      { home },
    ),
  );
}

/** Routes each member's notifications by thread: `on(threadId, message, at)`. */
function listen(members, on) {
  members.forEach((member, index) => member.onOther((m) => m.params?.threadId && on(index, m.params.threadId, m, performance.now())));
}

async function run(label, size, storeEnv) {
  const home = benchHome();
  const members = fleetOf(size, home, storeEnv);
  for (const member of members) await member.request('initialize', { clientInfo: { name: 'bench', version: '0' } });
  const threads = [];
  for (let i = 0; i < THREADS; i++) {
    const member = i % size;
    threads.push({ member, id: (await members[member].request('thread/start', {})).result.thread.id });
  }
  // Who listens to what: each thread's owner client; a sample followed from the next member.
  const followed = size > 1 ? threads.slice(0, 30) : [];
  for (const thread of followed) await members[(thread.member + 1) % size].request('thread/resume', { threadId: thread.id });

  const firstDelta = [];
  const followDelay = [];
  const arrivals = new Map(); // `${threadId}#${n}` → when the owner's client heard the nth delta
  const counts = new Map(); // `${member}:${threadId}` → deltas heard
  const ends = new Map(); // `${member}:${threadId}` → resolve, when that member's client hears the thread's turn end
  const started = new Map(); // threadId → when turn/start was sent
  listen(members, (member, threadId, m, at) => {
    const owner = threads.find((t) => t.id === threadId)?.member;
    if (m.method === 'item/agentMessage/delta') {
      const key = `${member}:${threadId}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      if (member === owner) {
        arrivals.set(`${threadId}#${n}`, at);
        if (started.has(threadId)) {
          firstDelta.push(at - started.get(threadId));
          started.delete(threadId);
        }
      } else if (arrivals.has(`${threadId}#${n}`)) followDelay.push(at - arrivals.get(`${threadId}#${n}`));
    } else if (m.method === 'turn/completed') {
      const key = `${member}:${threadId}`;
      ends.get(key)?.(at);
      ends.delete(key);
    }
  });
  const turnOn = (thread) =>
    new Promise((resolve) => {
      ends.set(`${thread.member}:${thread.id}`, resolve);
      started.set(thread.id, performance.now());
      members[thread.member].request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'go' }] });
    });

  // 20 turns at once until TURNS have run, spread over the threads (and so over the members).
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: AT_ONCE }, async (_, lane) => {
      // Lane-stable threads: no two lanes ever start turns on one thread.
      for (let i = lane; i < TURNS; i += AT_ONCE) {
        await turnOn(threads[PLAN[i]]);
        next++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const line = { label, turnsPerSecond: next / seconds, firstDeltaP99: pct(firstDelta.sort((a, b) => a - b), 0.99) };
  if (followDelay.length > 0) Object.assign(line, { followP50: pct(followDelay.sort((a, b) => a - b), 0.5), followP99: pct(followDelay, 0.99) });

  // The takeover: member 2 runs DOOMED stalling turns, followed from member 0; SIGKILL; member 0's client hears each end.
  if (size === 3) {
    const doomed = threads.filter((t) => t.member === 2 && !followed.includes(t)).slice(0, DOOMED);
    for (const thread of doomed) await members[0].request('thread/resume', { threadId: thread.id });
    const heardEnd = doomed.map((thread) => new Promise((resolve) => ends.set(`0:${thread.id}`, resolve)));
    for (const thread of doomed) {
      started.set(thread.id, performance.now());
      members[2].request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'go' }] });
    }
    while (doomed.some((thread) => (counts.get(`0:${thread.id}`) ?? 0) === 0)) await new Promise((resolve) => setTimeout(resolve, 5));
    const killedAt = performance.now();
    members[2].child.kill('SIGKILL');
    const endedAt = await Promise.all(heardEnd);
    line.takeoverMs = Math.max(...endedAt) - killedAt;
  }
  await Promise.all(members.map((member, index) => (size === 3 && index === 2 ? null : member.close())));
  fs.rmSync(home, { recursive: true, force: true });
  return line;
}

async function pgDatabase(url) {
  const { Client } = require('pg');
  const name = `keel_fleet_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    // Not new URL(): a unix-socket URL has no host (postgres://user@/db?host=/dir).
    url: url.replace(/^(\w+:\/\/[^/?]*)(\/[^?]*)?/, `$1/${name}`),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const report = (line) =>
  console.log(
    `  ${line.label.padEnd(30)} ${line.turnsPerSecond.toFixed(1).padStart(6)} turns/s · first delta p99 ${ms(line.firstDeltaP99)}` +
      (line.followP50 === undefined ? '' : ` · followed from another process: +${ms(line.followP50)} p50, +${ms(line.followP99)} p99`) +
      (line.takeoverMs === undefined ? '' : ` · takeover after SIGKILL ${ms(line.takeoverMs)}`),
  );

console.log(`fleet: ${THREADS} threads, ${TURNS} turns of ${DELTAS_PER_TURN} deltas, ${AT_ONCE} at once (scripted provider; lease ${process.env.KEEL_LEASE_MS ?? 'default'} ms)`);
report(await run('1 process, SQLite', 1, {}));
report(await run('3 processes, one SQLite home', 3, {}));
const pgUrl = process.env.KEEL_BENCH_PG_URL;
if (pgUrl) {
  const one = await pgDatabase(pgUrl);
  report(await run('1 process, PostgreSQL', 1, { KEEL_STORE_URL: one.url }));
  await one.drop();
  const three = await pgDatabase(pgUrl);
  report(await run('3 processes, one PostgreSQL', 3, { KEEL_STORE_URL: three.url }));
  await three.drop();
} else console.log('  (PostgreSQL: set KEEL_BENCH_PG_URL, e.g. from `npm run pg`)');
