// Follow delay on SQLite: two `keel app-server` processes on one home; the first runs turns on a
// thread, a client of the second follows it (thread/resume of a thread the first owns). For each
// notification both clients hear, the delay is when the follower's client got it minus when the
// owner's client got it (one clock: both clients live in this process). Durable events (item and
// turn starts and ends) are committed before the owner publishes them, so theirs is the delay from
// the owner's commit to the follower's delivery: SqliteChanges' poll (25 ms) plus the read. Deltas
// are published live and written in batches (DELTA_FLUSH_MS, 100 ms), so theirs adds that batching.
//
//   npm run build && node bench/follow-delay.mjs [turns]
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchHome, startKeel } from './lib/keel-session.mjs';

const TURNS = Number(process.argv[2] ?? 40);
const home = benchHome();
const script = path.join(home, 'script.json');
const response = Array.from({ length: 8 }, (_, i) => ({ text: `part ${i} ` }));
fs.writeFileSync(script, JSON.stringify({ responses: Array.from({ length: TURNS }, () => response) }));
const env = () => ({ KEEL_SCRIPT: script });

const owner = startKeel(env, { home });
const follower = startKeel(env, { home });
const threadId = await owner.openThread();
await follower.request('initialize', { clientInfo: { name: 'bench', version: '0' } });
const resumed = await follower.request('thread/resume', { threadId });
if (resumed.error) throw new Error(`resume: ${resumed.error.message}`);

/** Arrival times by notification key, per client. */
const heard = { owner: new Map(), follower: new Map() };
const keyOf = (m) => (m.method === 'item/agentMessage/delta' ? `${m.method} ${m.params.itemId} ${m.params.delta}` : `${m.method} ${m.params.turn?.id ?? m.params.item?.id ?? ''}`);
const record = (who) => (m) => {
  if (m.method === undefined) return;
  heard[who].set(keyOf(m), performance.now());
};
let followerDone = () => {};
follower.onOther((m) => {
  record('follower')(m);
  if (m.method === 'turn/completed') followerDone();
});
for (let i = 0; i < TURNS; i++) {
  const followed = new Promise((resolve) => (followerDone = resolve));
  const recordOwner = record('owner');
  await new Promise((resolve) => {
    owner.onOther((m) => {
      recordOwner(m);
      if (m.method === 'turn/completed') resolve();
    });
    owner.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
  });
  await followed;
}

const delays = { durable: [], delta: [] };
for (const [key, at] of heard.owner) {
  const followed = heard.follower.get(key);
  if (followed === undefined || !/^(item\/started|item\/completed|turn\/started|turn\/completed|item\/agentMessage\/delta)/.test(key)) continue;
  delays[key.startsWith('item/agentMessage/delta') ? 'delta' : 'durable'].push(followed - at);
}
const pct = (values, p) => values.sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
for (const [kind, values] of Object.entries(delays)) {
  if (values.length === 0) continue;
  console.log(`${kind.padEnd(8)} n=${String(values.length).padStart(4)}  p50 ${pct(values, 50).toFixed(1)} ms  p95 ${pct(values, 95).toFixed(1)} ms  max ${pct(values, 100).toFixed(1)} ms`);
}
await follower.close().catch(() => {});
await owner.close();
