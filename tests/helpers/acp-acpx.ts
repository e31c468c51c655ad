// acpx (npm `acpx`, openclaw/acpx) driving `keel acp`: acpx's CLI on the Node 22 that
// scripts/install-acpx.mjs installs beside it (acpx needs Node >= 22.13; the suite runs on Node 20),
// with Keel as its agent command on the suite's own Node. acpx's `--format json` prints every ACP
// message of the connection, both ways, one per line; the ones Keel wrote are told apart from acpx's
// and checked against ACP's JSON Schema, as acp-agent.ts checks the lines of the agents it spawns.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { acpxPaths, ACPX_VERSION } from '../../scripts/install-acpx.mjs';
import { acpMessageProblem } from './acp-schema.js';
import { keelEntry } from './keel-process.js';

export const acpx = acpxPaths();
export const acpxRequired = process.env.KEEL_TEST_ACPX_REQUIRED === '1';
/** Why the acpx tests cannot run here, or null when they can. */
export const noAcpxReason = [acpx.cli, acpx.node].every((file) => fs.existsSync(file)) ? null : `acpx@${ACPX_VERSION} and its Node are not installed (node scripts/install-acpx.mjs; looked for ${acpx.cli} and ${acpx.node})`;
if (noAcpxReason !== null && acpxRequired) throw new Error(`KEEL_TEST_ACPX_REQUIRED=1 but ${noAcpxReason}`);

export type AcpLine = { jsonrpc: '2.0'; id?: number | string; method?: string; params?: any; result?: any; error?: any };

export interface AcpxRun {
  status: number | null;
  stderr: string;
  /** acpx's stdout lines, parsed: the ACP messages of the connection in order (or acpx's own JSON results). */
  lines: any[];
  /** The messages of those that Keel wrote. */
  fromKeel: AcpLine[];
  /** What ACP's schema says is wrong with them, in order. */
  problems: string[];
}

export interface AcpxOptions {
  /** KEEL_HOME, HOME (so acpx's ~/.acpx) and the cwd: one temporary directory per test. */
  home: string;
  /** The scripted model's responses for the Keel this run starts (KEEL_SCRIPT). */
  script?: unknown;
  /** Arguments after `keel acp` in the agent command acpx spawns. */
  keelArgs?: string[];
  timeoutMs?: number;
}

/** Runs `acpx --agent '<node> dist/keel.cjs acp …' --format json ARGS` and resolves when it exits. */
export function runAcpx(args: string[], options: AcpxOptions): Promise<AcpxRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: options.home, KEEL_HOME: options.home };
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'KEEL_DB', 'KEEL_SCRIPT']) delete env[name];
  if (options.script !== undefined) {
    // A file per run: a later run in a new Keel process starts its own script from the top.
    const file = path.join(options.home, `script-${fs.readdirSync(options.home).length}.json`);
    fs.writeFileSync(file, JSON.stringify(options.script));
    env.KEEL_SCRIPT = file;
  }
  const agent = [process.execPath, keelEntry, 'acp', ...(options.keelArgs ?? [])].join(' ');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(acpx.node, [acpx.cli, '--agent', agent, '--approve-all', '--format', 'json', '--timeout', String(timeoutMs / 1000), ...args], { cwd: options.home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`acpx ${args.join(' ')} did not exit in ${timeoutMs} ms; stderr:\n${stderr.slice(-2000)}`));
    }, timeoutMs + 10_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      const lines = stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
      resolve({ status, stderr, lines, ...keelSide(lines) });
    });
  });
}

// The methods an agent calls on its client (ACP's client side): the requests and notifications Keel writes.
const toClient = (method: string) => method === 'session/update' || method === 'session/request_permission' || method.startsWith('fs/') || method.startsWith('terminal/');

/** Splits a transcript of both directions by who wrote each message; a response is the other side's answer to a pending request. */
function keelSide(lines: any[]): { fromKeel: AcpLine[]; problems: string[] } {
  const clientAsked = new Map<unknown, string>(); // acpx's pending requests, by id
  const keelAsked = new Set<unknown>();
  const fromKeel: AcpLine[] = [];
  const problems: string[] = [];
  for (const line of lines) {
    if (line?.jsonrpc !== '2.0') continue; // acpx's own results (`sessions new` prints one)
    let byKeel: boolean;
    let answered: string | undefined;
    if (typeof line.method === 'string') {
      byKeel = toClient(line.method);
      if (line.id !== undefined) (byKeel ? keelAsked.add(line.id) : clientAsked.set(line.id, line.method));
    } else if (clientAsked.has(line.id) && !keelAsked.has(line.id)) {
      byKeel = true;
      answered = clientAsked.get(line.id);
      clientAsked.delete(line.id);
    } else {
      byKeel = false;
      keelAsked.delete(line.id);
    }
    if (!byKeel) continue;
    fromKeel.push(line);
    const problem = acpMessageProblem(line, () => answered);
    if (problem !== null) problems.push(`${problem}\n    in ${JSON.stringify(line).slice(0, 400)}`);
  }
  return { fromKeel, problems };
}

/**
 * Resolves when no acpx queue owner holds a session under `home` any more. `acpx prompt` leaves
 * its queue owner (and the Keel it spawned) running for --ttl seconds after the turn; its lock
 * file goes when it exits. Polled: the owner is not this process's child, so there is no exit event.
 */
export async function queueOwnersGone(home: string, timeoutMs = 20_000): Promise<void> {
  const queues = path.join(home, '.acpx', 'queues');
  const deadline = Date.now() + timeoutMs;
  const held = () => (fs.existsSync(queues) ? fs.readdirSync(queues).filter((name) => name.endsWith('.lock')) : []);
  while (held().length > 0) {
    if (Date.now() > deadline) throw new Error(`acpx's queue owner still holds ${held().join(', ')} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
