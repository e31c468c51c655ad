// The e2e harness: spawns the built server (`node dist/keel.cjs`) and talks JSONL over its stdio.
// Every stdout line is parsed and passed through the conformance check before a test sees it
// (tests/helpers/server-line.ts).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClientRequests } from '../../generated/methods.js';
import type { InitializeCapabilities, InitializeResponse } from '../../generated/protocol.js';
import { recordViolation, repoRoot } from './conformance.js';
import { Inbox, isWireId, type IncomingMessage, type MessageMatcher, type RpcErrorObject, type WireId } from './message-inbox.js';
import { takeServerLine, type LineSink } from './server-line.js';
import { testUserHome } from './user-home.js';

export type { IncomingMessage, RpcErrorObject, WireId } from './message-inbox.js';

export const keelEntry = path.join(repoRoot, 'dist', 'keel.cjs');
const DEFAULT_TIMEOUT_MS = 5_000;

export interface SpawnOptions {
  /** Merged over the test process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  args?: string[];
  /** KEEL_HOME as given; a fresh temp dir (removed after exit) when absent. */
  home?: string;
  cwd?: string;
  /** The keel.cjs to run; the tree's dist/keel.cjs when absent (another user may need a readable copy: bundle-copy.ts). */
  entry?: string;
  /** Open descriptors Keel starts with beyond stdio, by the number it sees them at (as a parent that leaks them would). */
  inherit?: Record<number, number>;
  /** Run the server as this user and group (the test runner must be root to ask for it). */
  uid?: number;
  gid?: number;
  /**
   * Serve with this instead of spawning the bundle: `inProcess` (in-process-server.ts) serves in
   * the test's own process — the same lines both ways, without a process start-up per test. For
   * engine scenarios; whatever needs a process (signals, exit codes, descriptors, listeners, the
   * bundle itself) spawns.
   */
  serve?: (options: { env: NodeJS.ProcessEnv; args: readonly string[]; cwd: string }) => ServerChild;
}

/** What the harness needs of a server: a spawned child process has it, and so does the in-process server. */
export type ServerChild = Pick<ChildProcessWithoutNullStreams, 'stdin' | 'stdout' | 'stderr' | 'pid' | 'kill' | 'on'>;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A JSON-RPC error answer, thrown by `request`; `error` is the object exactly as received. */
export class RpcFailure extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(
    readonly method: string,
    readonly error: RpcErrorObject,
  ) {
    super(`${method} failed: ${error.code} ${error.message}`);
    this.code = error.code;
    this.data = error.data;
  }
}

/** The error object a request was answered with, for whole-object assertions; fails if it succeeded. */
export async function errorOf(pending: Promise<unknown>): Promise<RpcErrorObject> {
  try {
    const result = await pending;
    throw new Error(`expected an error answer, got result ${JSON.stringify(result)}`);
  } catch (error) {
    if (error instanceof RpcFailure) return error.error;
    throw error;
  }
}

export function makeTempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keel-test-home-'));
}

const live = new Set<KeelProcess>();

/** Kills whatever a test left running and waits until its output has been read (and checked). */
export async function stopAllKeel(): Promise<void> {
  await Promise.all([...live].map((keel) => keel.kill('SIGKILL')));
}

/**
 * Removes the directories a test's Keel processes wrote into, once those processes are gone: a Keel
 * still writing its store or logs fails the removal with ENOTEMPTY.
 */
export async function removeAfterKeel(dirs: string[]): Promise<void> {
  await stopAllKeel();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

// For the setup file, without an import (conformance.ts says why).
(globalThis as Record<symbol, unknown>)[Symbol.for('keel.test.stopAllKeel')] = stopAllKeel;

const HOST_PROVIDER_VARIABLES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'KEEL_SCRIPT', 'KEEL_DB'];

export class KeelProcess {
  readonly home: string;
  readonly exited: Promise<ExitStatus>;
  private readonly child: ServerChild;
  private readonly inbox = new Inbox(() => this.describe());
  /** Which method each request id was sent with, so responses can be checked against it. */
  private readonly sentMethods = new Map<WireId, string>();
  private readonly lineSink: LineSink = {
    requestMethodOf: (id) => this.sentMethods.get(id),
    deliver: (message) => this.inbox.push(message),
  };
  private nextId = 1;
  private stdoutRest = '';
  private stderrText = '';
  private outputAbandoned = false;
  private stderrWaiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  private exitStatus: ExitStatus | undefined;

  constructor(options: SpawnOptions = {}) {
    const entry = options.entry ?? keelEntry;
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run node scripts/build.mjs`);
    const ownHome = options.home === undefined;
    this.home = options.home ?? makeTempHome();
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: testUserHome(), KEEL_HOME: this.home };
    // Hermetic: no real provider key or endpoint leaks in from the developer's shell.
    for (const name of HOST_PROVIDER_VARIABLES) delete env[name];
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    if (options.serve !== undefined && (options.entry !== undefined || options.inherit !== undefined || options.uid !== undefined || options.gid !== undefined)) {
      throw new Error('a server not spawned has no entry, inherited descriptors or user of its own: spawn it');
    }
    this.child = options.serve
      ? options.serve({ env, args: options.args ?? [], cwd: options.cwd ?? repoRoot })
      : spawn(process.execPath, [entry, ...(options.args ?? [])], { cwd: options.cwd ?? (options.entry ? path.dirname(options.entry) : repoRoot), env, stdio: stdioWith(options.inherit ?? {}) as ['pipe', 'pipe', 'pipe'], uid: options.uid, gid: options.gid });
    live.add(this);
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.readStdout(chunk));
    this.child.stdout.on('end', () => {
      if (this.stdoutRest !== '' && !this.outputAbandoned) recordViolation('wire', 'stdout ended inside a line (no trailing newline)', this.stdoutRest);
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrText += chunk;
      this.stderrWaiters = this.stderrWaiters.filter(({ pattern, resolve }) => {
        const line = this.stderrText.split('\n').find((l) => pattern.test(l));
        if (line !== undefined) resolve(line);
        return line === undefined;
      });
    });
    // Writing after the server exited raises EPIPE; the exit itself is what tests look at.
    this.child.stdin.on('error', () => {});
    this.child.on('error', (error) => (this.stderrText += `\n[harness] spawn failed: ${error.message}\n`));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exitStatus = { code, signal };
        live.delete(this);
        this.inbox.end(`keel exited (code ${code}, signal ${signal})`);
        if (ownHome) fs.rmSync(this.home, { recursive: true, force: true });
        resolve(this.exitStatus);
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Every parsed stdout line, in order. */
  get messages(): readonly IncomingMessage[] {
    return this.inbox.messages;
  }

  /** Resolves with the first stderr line (a log record) matching `pattern`, already written or still to come. */
  waitForStderr(pattern: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const line = this.stderrText.split('\n').find((l) => pattern.test(l));
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for a stderr line matching ${pattern}\n${this.describe()}`)), timeoutMs);
      this.stderrWaiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  }

  /** Stops reading Keel's stdout (as a client that stops reading would), and starts again. */
  pauseOutput(): void {
    this.child.stdout.pause();
  }

  resumeOutput(): void {
    this.child.stdout.resume();
  }

  /**
   * Gives up on the rest of stdout, as a client that went away does: what is still in the pipe is
   * drained unread (it may end inside a line, cut off when Keel let the client go).
   */
  abandonOutput(): void {
    this.outputAbandoned = true;
    this.child.stdout.resume();
  }

  get stderr(): string {
    return this.stderrText;
  }

  async request<M extends keyof ClientRequests>(
    method: M,
    params: ClientRequests[M]['params'],
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<ClientRequests[M]['result']> {
    while (this.sentMethods.has(this.nextId)) this.nextId++;
    const answer = await this.requestRaw({ id: this.nextId++, method, params }, timeoutMs);
    if (answer.error !== undefined) throw new RpcFailure(method, answer.error);
    return answer.result as ClientRequests[M]['result'];
  }

  /** Sends any object as a request line and resolves with the whole response message. */
  requestRaw(message: Record<string, unknown>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<IncomingMessage> {
    if (!isWireId(message.id)) return Promise.reject(new Error(`requestRaw needs a string or integer id: ${JSON.stringify(message)}`));
    this.sendLine(JSON.stringify(message));
    return this.inbox.response(message.id, timeoutMs);
  }

  notify(method: string, params?: unknown): void {
    this.sendLine(JSON.stringify(params === undefined ? { method } : { method, params }));
  }

  /** One line as given (a newline is appended); requests in it are remembered for the conformance check. */
  sendLine(line: string): void {
    this.remember(line);
    this.child.stdin.write(`${line}\n`);
  }

  /** Many lines in chunks of `chunkBytes` (split anywhere, even inside a UTF-8 sequence); resolves when written. */
  async sendLines(lines: readonly string[], chunkBytes = 64 * 1024): Promise<void> {
    for (const line of lines) this.remember(line);
    const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
    for (let start = 0; start < bytes.length; start += chunkBytes) {
      const chunk = bytes.subarray(start, start + chunkBytes);
      await new Promise<void>((resolve, reject) => this.child.stdin.write(chunk, (error) => (error ? reject(error) : resolve())));
    }
  }

  /** The first not-yet-consumed response with this id. */
  response(id: WireId, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<IncomingMessage> {
    return this.inbox.response(id, timeoutMs);
  }

  /** The first not-yet-consumed message matching: a method name (notifications, server requests) or a predicate. */
  waitFor(matcher: MessageMatcher, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<IncomingMessage> {
    return this.inbox.waitFor(matcher, timeoutMs);
  }

  /** Ends stdin and resolves with the exit code once the process has exited and its output is read. */
  async close(): Promise<number | null> {
    this.child.stdin.end();
    return (await this.exited).code;
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus> {
    if (this.exitStatus === undefined) this.child.kill(signal);
    return this.exited;
  }

  private remember(line: string): void {
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
      const { id, method } = parsed as Record<string, unknown>;
      if (isWireId(id) && typeof method === 'string') this.sentMethods.set(id, method);
    } catch {
      // Malformed on purpose: no request to remember.
    }
  }

  private readStdout(chunk: string): void {
    if (this.outputAbandoned) return;
    const lines = (this.stdoutRest + chunk).split('\n');
    this.stdoutRest = lines.pop() ?? '';
    for (const line of lines) takeServerLine(line, this.lineSink);
  }

  private describe(): string {
    const recent = this.messages.slice(-15).map((m) => `  ${JSON.stringify(m).slice(0, 300)}`);
    const exit = this.exitStatus ? `exited: code ${this.exitStatus.code}, signal ${this.exitStatus.signal}` : 'still running';
    return [
      `keel pid ${this.child.pid} (${exit}); ${this.messages.length} messages received${recent.length ? ', the last ones:' : ''}`,
      ...recent,
      `stderr (last 2000 chars): ${this.stderrText.slice(-2000) || '(empty)'}`,
    ].join('\n');
  }
}

/** Keel's stdio pipes, and at each number in `inherit` the descriptor given there. */
function stdioWith(inherit: Record<number, number>): Array<'pipe' | 'ignore' | number> {
  const stdio: Array<'pipe' | 'ignore' | number> = ['pipe', 'pipe', 'pipe'];
  for (const [at, fd] of Object.entries(inherit)) {
    while (stdio.length <= Number(at)) stdio.push('ignore');
    stdio[Number(at)] = fd;
  }
  return stdio;
}

export function spawnKeel(options?: SpawnOptions): KeelProcess {
  return new KeelProcess(options);
}

export const testClientInfo = { name: 'keel-tests', title: null, version: '0.0.0' };

/** The initialize handshake: `initialize` with these capabilities, then the `initialized` notification. */
export async function initialized(client: KeelProcess, capabilities: InitializeCapabilities = {}): Promise<InitializeResponse> {
  const result = await client.request('initialize', { clientInfo: testClientInfo, capabilities });
  client.notify('initialized');
  return result;
}
