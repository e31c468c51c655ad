// A Keel server for benchmarks: spawned on a fresh KEEL_HOME, JSONL requests and notifications
// over its stdio, and the CPU time it has used (from /proc).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const entry = fileURLToPath(new URL('../../dist/keel.cjs', import.meta.url));
const CLOCK_TICKS = 100; // USER_HZ on Linux

export function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** A fresh KEEL_HOME for a benchmark. */
export const benchHome = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-'));

/**
 * `env(home)` gives the variables to add; the home is removed when the server closes. `args`
 * (e.g. `['app-server', 'proxy']`, to reach a daemon) and `home` (one already prepared) are optional.
 */
export function startKeel(env = () => ({}), { args = [], home = benchHome() } = {}) {
  const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, KEEL_HOME: home, ...env(home) }, stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = readline.createInterface({ input: child.stdout });
  let nextId = 0;
  const pending = new Map();
  let listener = () => {};
  lines.on('line', (line) => {
    const message = JSON.parse(line);
    if (message.method === undefined && message.id !== undefined && pending.has(message.id)) {
      pending.get(message.id)(message);
      pending.delete(message.id);
    } else listener(message);
  });
  const request = (method, params) =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      child.stdin.write(JSON.stringify({ id, method, params }) + '\n');
    });
  return {
    child,
    home,
    request,
    /** Writes raw input; resolves once the pipe has taken it. */
    write: (text) => new Promise((resolve) => child.stdin.write(text, () => resolve())),
    /** Sees every message that answers no pending request (notifications, server requests, errors with id null). */
    onOther: (next) => {
      listener = next;
    },
    /** initialize, then a new thread; resolves to its id. */
    async openThread(params = {}) {
      await request('initialize', { clientInfo: { name: 'bench', version: '0' } });
      return (await request('thread/start', params)).result.thread.id;
    },
    /** Runs one turn; `onDelta` sees each agent-message delta; resolves with turn/completed. */
    turn: (threadId, onDelta = () => {}) =>
      new Promise((resolve) => {
        listener = (m) => {
          if (m.method === 'item/agentMessage/delta') onDelta(m);
          else if (m.method === 'turn/completed') resolve(m);
        };
        request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
      }),
    close: () =>
      new Promise((resolve) => {
        child.on('close', () => {
          fs.rmSync(home, { recursive: true, force: true });
          resolve();
        });
        child.stdin.end();
      }),
  };
}
