// `keel inspect` as a test runs it: the built program, a fresh KEEL_HOME (and, for the Keel it
// starts, the scripted model's script), its stdout read until it prints the page's address.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { keelEntry } from './keel-process.js';
import { testUserHome } from './user-home.js';

export interface RunningInspector {
  /** The address it printed, one-time token included. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  home: string;
  child: ChildProcess;
  /** Everything it wrote on stderr so far (its Keel's log included). */
  stderr(): string;
  /** SIGTERM; resolves with its exit code once it (and the Keel it started) are gone. */
  stop(): Promise<number | null>;
}

export interface InspectorOptions {
  args?: string[];
  /** The scripted model's responses (KEEL_SCRIPT), for the Keel it starts. */
  script?: unknown;
  env?: Record<string, string | undefined>;
  home?: string;
  cwd?: string;
}

const running = new Set<RunningInspector>();

export async function startInspector(options: InspectorOptions = {}): Promise<RunningInspector> {
  const home = options.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keel-inspect-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, KEEL_HOME: home, HOME: testUserHome(), KEEL_LOG: 'warn', ...options.env };
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'KEEL_DB']) delete env[name];
  if (options.script !== undefined) {
    const file = path.join(home, 'script.json');
    fs.writeFileSync(file, JSON.stringify(options.script));
    env.KEEL_SCRIPT = file;
  } else delete env.KEEL_SCRIPT;
  const child = spawn(process.execPath, [keelEntry, 'inspect', ...(options.args ?? [])], { env, cwd: options.cwd ?? home, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keel inspect printed no address within 20 s; stderr:\n${stderr}`)), 20_000);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`keel inspect exited (${code}) before printing its address; stderr:\n${stderr}`));
    });
  });
  const inspector: RunningInspector = {
    url,
    origin: new URL(url).origin,
    home,
    child,
    stderr: () => stderr,
    stop: async () => {
      running.delete(inspector);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (options.home === undefined) fs.rmSync(home, { recursive: true, force: true });
      return code;
    },
  };
  running.add(inspector);
  return inspector;
}

/** For afterAll/afterEach: every inspector a test left running. */
export async function stopAllInspectors(): Promise<void> {
  await Promise.all([...running].map((inspector) => inspector.stop()));
}

/**
 * Spends the inspector's one-time token as a browser would (GET with it, 303 + Set-Cookie) and
 * returns the `name=value` cookie a page then sends.
 */
export async function sessionCookie(inspector: RunningInspector): Promise<string> {
  const response = await fetch(inspector.url, { redirect: 'manual' });
  if (response.status !== 303) throw new Error(`the token exchange answered ${response.status}, not 303`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

export interface ListeningKeel {
  /** What it printed on stderr as `keel: listening on URL` (ws://… or unix://…). */
  url: string;
  home: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * A Keel app-server already listening, for `keel inspect --connect`: `listen` is its --listen value
 * (ws://127.0.0.1:0, unix:///path); `extraArgs` e.g. its capability-token flags.
 */
export async function startListeningKeel(listen: string, extraArgs: string[] = [], script?: unknown): Promise<ListeningKeel> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-listening-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, KEEL_HOME: home, HOME: testUserHome(), KEEL_LOG: 'warn' };
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'KEEL_DB', 'KEEL_SCRIPT']) delete env[name];
  if (script !== undefined) {
    env.KEEL_SCRIPT = path.join(home, 'script.json');
    fs.writeFileSync(env.KEEL_SCRIPT, JSON.stringify(script));
  }
  const child = spawn(process.execPath, [keelEntry, 'app-server', '--listen', listen, ...extraArgs], { env, cwd: home, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keel app-server did not listen within 20 s; stderr:\n${stderr}`)), 20_000);
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr += line + '\n';
      const match = /^keel: listening on (\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`keel app-server exited before it listened; stderr:\n${stderr}`));
    });
  });
  return {
    url,
    home,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
