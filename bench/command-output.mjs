// A command that floods its output: the user's own command (`thread/shellCommand`) prints 1 GB of
// 100-byte lines in a turn of its own while the client reads everything. Prints Keel's peak
// resident memory (VmHWM from /proc, sampled while it runs and read at the end), how much the
// store grew (database, WAL and journal files), the `item/commandExecution/outputDelta` bytes the
// client received, and the wall time. Before the streamed-output cap every delta was sent, kept in
// memory and stored (and a client that could not keep up was dropped past its output limit);
// after it, a command's streamed output stops at 1 MiB per item, the rest counted and said elided.
// `BYTES=…` in the environment sets another size.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { benchHome, entry } from './lib/keel-session.mjs';

const BYTES = Number(process.env.BYTES ?? 1_000_000_000);
// `yes` writes as fast as the pipe takes it; head cuts it at exactly BYTES.
const COMMAND = `yes ${'x'.repeat(99)} | head -c ${BYTES}`;

const storeBytes = (home) =>
  fs
    .readdirSync(home)
    .filter((name) => name.startsWith('keel.db'))
    .reduce((sum, name) => sum + fs.statSync(path.join(home, name)).size, 0);
const peakRss = (pid) => {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return 0; // exited
  }
};
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const home = benchHome();
const child = spawn(process.execPath, [entry], { env: { ...process.env, KEEL_HOME: home }, stdio: ['pipe', 'pipe', 'ignore'] });
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 100);
const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
let nextId = 0;
const pending = new Map();
let deltaBytes = 0;
let deltas = 0;
let item = null;
let onTurnCompleted = () => {};
const lines = readline.createInterface({ input: child.stdout });
lines.on('line', (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return; // a line cut off when Keel dropped the client
  }
  if (message.method === undefined && pending.has(message.id)) {
    pending.get(message.id)(message);
    pending.delete(message.id);
  } else if (message.method === 'item/commandExecution/outputDelta') {
    deltas++;
    deltaBytes += Buffer.byteLength(message.params.delta);
  } else if (message.method === 'item/completed' && message.params.item.type === 'commandExecution') item = message.params.item;
  else if (message.method === 'turn/completed') onTurnCompleted(message.params.turn);
});
const request = (method, params) =>
  new Promise((resolve) => {
    const id = ++nextId;
    pending.set(id, resolve);
    child.stdin.write(JSON.stringify({ id, method, params }) + '\n');
  });

await request('initialize', { clientInfo: { name: 'bench', version: '0' } });
const threadId = (await request('thread/start', {})).result.thread.id;
const storeBefore = storeBytes(home);
const started = performance.now();
const turnCompleted = new Promise((resolve) => (onTurnCompleted = resolve));
await request('thread/shellCommand', { threadId, command: COMMAND });
const ended = await Promise.race([turnCompleted, exited.then((code) => ({ status: `none: Keel exited (code ${code}) before turn/completed` }))]);
const seconds = (performance.now() - started) / 1000;
peak = Math.max(peak, peakRss(child.pid));
clearInterval(sampler);
const storeAfter = storeBytes(home);
const elided = /\[… (\d+) bytes \(\d+ lines\) elided …\]/.exec(item?.aggregatedOutput ?? '')?.[1] ?? '0';
child.stdin.end();
await exited;
fs.rmSync(home, { recursive: true, force: true });

console.log(`command output: ${mib(BYTES)} printed by \`yes | head -c ${BYTES}\`; turn ${ended.status}`);
console.log(`  peak RSS of Keel        ${mib(peak)}`);
console.log(`  store growth            ${mib(storeAfter - storeBefore)}`);
console.log(`  outputDelta on the wire ${mib(deltaBytes)} in ${deltas} notifications`);
console.log(`  aggregatedOutput        ${item === null ? 'no item/completed' : `${mib(Buffer.byteLength(item.aggregatedOutput ?? ''))} (${elided} bytes elided)`}`);
console.log(`  wall time               ${seconds.toFixed(1)} s`);
