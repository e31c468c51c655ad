// One app-server (Keel or Codex) spawned over stdio, driven as a client would: JSONL requests,
// notifications timed as they arrive, the process's RSS from /proc (CPU: bench/lib/keel-session.mjs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';


export function rssBytes(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** `spec`: { command, args, env, cwd }. Resolves once spawned; `initialize()` times the handshake. */
export function startAppServer(spec) {
  const spawnedAt = performance.now();
  const child = spawn(spec.command, spec.args, { env: spec.env, cwd: spec.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const lines = readline.createInterface({ input: child.stdout });
  let nextId = 0;
  const pending = new Map();
  const listeners = new Set();
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  lines.on('line', (line) => {
    const at = performance.now();
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    if (message.method === undefined && pending.has(message.id)) {
      const { resolve, reject, method } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(`${method}: ${message.error.code} ${message.error.message}`));
      else resolve(message.result);
      return;
    }
    if (message.method !== undefined && message.id !== undefined) {
      // A server request nobody here expects: approve, so nothing waits.
      child.stdin.write(JSON.stringify({ id: message.id, result: { decision: 'accept' } }) + '\n');
    }
    for (const listener of [...listeners]) listener(message, at);
  });
  const request = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject, method });
      child.stdin.write(JSON.stringify({ id, method, params }) + '\n');
    });
  return {
    child,
    spawnedAt,
    request,
    stderr: () => stderr,
    /** Calls `listener(message, at)` for every notification; returns the function that stops it. */
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** The first notification that matches, with its arrival time. */
    waitFor(match, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`timed out waiting (stderr: ${stderr.slice(-500)})`));
        }, timeoutMs);
        const stop = this.listen((message, at) => {
          if (!match(message)) return;
          clearTimeout(timer);
          stop();
          resolve({ message, at });
        });
      });
    },
    async initialize() {
      const result = await request('initialize', { clientInfo: { name: 'keel-bench', title: 'Keel bench', version: '0.1.0' }, capabilities: { experimentalApi: true } });
      const at = performance.now();
      child.stdin.write(JSON.stringify({ method: 'initialized' }) + '\n');
      return { result, ms: at - spawnedAt };
    },
    /** Starts a turn with `text` and resolves at its turn/completed, with every notification's arrival time. */
    async turn(threadId, text) {
      const seen = [];
      const stop = this.listen((message, at) => {
        if (message.params?.threadId === threadId || message.params?.turn || message.params?.thread?.id === threadId) seen.push({ message, at });
      });
      const done = this.waitFor((m) => m.method === 'turn/completed' && m.params.threadId === threadId);
      const startedAt = performance.now();
      await request('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] });
      const { message, at } = await done;
      stop();
      return { startedAt, completedAt: at, status: message.params.turn.status, seen };
    },
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const status = await exited;
      clearTimeout(timer);
      return status;
    },
  };
}
