// MCP over a child's stdin/stdout, with the child in its own process group. We spawn it ourselves
// rather than use the SDK's StdioClientTransport because that one kills only the direct child
// (an `npx`/`uvx`/shell wrapper leaves its server running), reports neither exit code nor signal,
// and inherits stderr unless asked — and Keel's stdout/stderr are its own. The SDK's line framing
// (ReadBuffer/serializeMessage) is reused, so the wire format is the SDK's.
import { spawn, type ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { StderrTail } from './stderr-tail.js';
import { forgetProcessGroup, groupAlive, rememberProcessGroup, signalGroup, waitUntil } from './process-group.js';

export interface StdioLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Variables of Keel's environment passed on by name (`env_vars`). */
  envVars?: string[];
  cwd: string | null;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * What a server inherits from Keel's environment besides its configured `env` and the variables its
 * `env_vars` names (Codex's list): no key, secret or token unless the server's config names it.
 */
const INHERITED_ENV_VARS = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', 'LANG', 'LC_ALL', 'TERM', 'TMPDIR', 'TZ',
  '__CF_USER_TEXT_ENCODING', 'SYSTEMROOT', 'APPDATA', 'LOCALAPPDATA', 'USERPROFILE', 'TEMP'];

/** After the process exits, how long to wait for the last of its stdout before reporting the close. */
const STDOUT_DRAIN_MS = 100;

export class ProcessStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly stderr = new StderrTail();
  /** Set once the process has exited. */
  exit: ProcessExit | null = null;
  private child: ChildProcess | null = null;
  private readonly readBuffer = new ReadBuffer();
  private exited!: Promise<void>;
  private closeReported = false;

  constructor(
    private readonly launch: StdioLaunch,
    private readonly killGraceMs = 2_000,
  ) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const names = [...INHERITED_ENV_VARS, ...(this.launch.envVars ?? [])];
      const inherited = Object.fromEntries(names.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]!]])));
      const child = spawn(this.launch.command, this.launch.args, {
        env: { ...inherited, ...this.launch.env },
        cwd: this.launch.cwd ?? undefined,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so stop() can signal the server and everything it spawned.
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
      this.child = child;
      let spawned = false;
      let stdoutClosed = false;
      this.exited = new Promise((done) => child.once('exit', () => done()));
      child.once('spawn', () => {
        spawned = true;
        if (child.pid !== undefined) rememberProcessGroup(child.pid);
        resolve();
      });
      child.on('error', (error) => (spawned ? this.onerror?.(error) : reject(error)));
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        if (child.pid !== undefined) {
          forgetProcessGroup(child.pid);
          // Whatever the server left behind in its group serves no one now.
          if (groupAlive(child.pid)) signalGroup(child.pid, 'SIGKILL');
        }
        if (stdoutClosed) this.reportClose();
        else setTimeout(() => this.reportClose(), STDOUT_DRAIN_MS);
      });
      child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
      child.stdout!.once('close', () => {
        stdoutClosed = true;
        if (this.exit) this.reportClose();
      });
      child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk));
      // EPIPE when the server dies with a write pending; the exit is reported separately.
      child.stdin!.on('error', () => {});
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.exit) return Promise.reject(new Error('Not connected'));
    return new Promise((resolve) => (stdin.write(serializeMessage(message)) ? resolve() : stdin.once('drain', resolve)));
  }

  /** Ends the server's process group: SIGTERM, then SIGKILL after the grace; resolves once the process is gone. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined) return;
    const pid = child.pid;
    if (!this.exit) {
      child.stdin?.end();
      signalGroup(pid, 'SIGTERM');
      const graceOver = new Promise<'grace'>((r) => setTimeout(() => r('grace'), this.killGraceMs).unref());
      if ((await Promise.race([this.exited, graceOver])) === 'grace') {
        signalGroup(pid, 'SIGKILL');
        await this.exited;
      }
    }
    // Members of the group that outlived the leader were killed on its exit; wait until they are reaped.
    await waitUntil(() => !groupAlive(pid), 1_000);
    this.reportClose();
  }

  private receive(chunk: Buffer): void {
    try {
      this.readBuffer.append(chunk);
      for (let message = this.readBuffer.readMessage(); message !== null; message = this.readBuffer.readMessage()) {
        this.onmessage?.(message);
      }
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }

  private reportClose(): void {
    if (this.closeReported) return;
    this.closeReported = true;
    this.readBuffer.clear();
    this.onclose?.();
  }
}
