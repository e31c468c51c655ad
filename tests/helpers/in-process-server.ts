// Keel's server in the test's own process, shaped like the child process the e2e harness spawns
// (stdin, stdout, stderr, kill, 'close'), so KeelProcess drives it unchanged: the same JSONL lines
// both ways, each checked by the conformance suite, the same request/waitFor, the same close().
// It is put together from the pieces src/main.ts serves stdio with (routes, one connection, the
// lazily started services) — what it leaves out is what needs a process: signals, exit codes,
// inherited descriptors, socket listeners, process-wide environment. Engine scenarios (turns,
// tools, fallback, compaction, approvals) run here without paying a process start-up each.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { parseCommandLine } from '../../src/cli/command-line.js';
import { clientLimits } from '../../src/kernel/client-limits.js';
import { Lazy } from '../../src/kernel/lazy.js';
import { secrets } from '../../src/kernel/redact.js';
import { ConnectionSet } from '../../src/server/connections.js';
import { streamChannel } from '../../src/transport/stream-channel.js';
import { buildRoutes } from '../../src/server/handlers/index.js';
import { startServices, type Services } from '../../src/server/services.js';
import { repoRoot } from './conformance.js';
import type { ServerChild } from './keel-process.js';

/** The version the bundle is stamped with (package.json), so answers name the same one a spawned server does. */
const VERSION = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
/** As src/main.ts: how long shutdown waits for the client to take its last output, then for the connection to close. */
const SHUTDOWN_FLUSH_MS = 5_000;
const SHUTDOWN_CLOSE_MS = 1_000;

export interface InProcessOptions {
  /** The whole environment the server would have been spawned with (KEEL_HOME, keys, KEEL_SCRIPT…). */
  env: NodeJS.ProcessEnv;
  /** The command line after `keel`: serve options only (`-c`, `--db`…). */
  args: readonly string[];
  cwd: string;
}

export class InProcessServer extends EventEmitter {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly pid = process.pid;
  /** What the connection writes to; cut from stdout when the server is "killed", so nothing more reaches the test. */
  private readonly output = new PassThrough();
  private readonly services: Lazy<Services>;
  private readonly connections: ConnectionSet;
  private stopping = false;
  private exited = false;

  constructor(options: InProcessOptions) {
    super();
    const command = parseCommandLine(options.args, options.env);
    if (command.kind !== 'serve' || command.options.listen.addresses.some((address) => address.transport !== 'stdio')) {
      throw new Error(`the in-process server only serves stdio: keel ${options.args.join(' ')}`);
    }
    const serve = command.options;
    const stderr = this.stderr;
    // Keel's log lines as main.ts writes them (pino JSON, redacted), on this server's own stderr.
    const logger = pino(
      { level: options.env.LOG_LEVEL ?? 'info', base: { pid: this.pid }, timestamp: pino.stdTimeFunctions.isoTime },
      // After a kill the engine may still log while it is put away: nobody reads that any more.
      { write: (line: string) => void (stderr.writableEnded || stderr.write(secrets.redact(line))) },
    );
    this.services = new Lazy<Services>(() =>
      startServices({
        home: serve.home,
        dbPath: serve.dbPath,
        version: VERSION,
        logger,
        env: options.env,
        cwd: options.cwd,
        broadcast: (method, params) => this.connections.broadcast(method, params),
        signal: (signal) => this.connections.signal(signal),
        configOverrides: serve.configOverrides,
        // What a spawned server names as its program: the bundle.
        programPath: path.join(repoRoot, 'dist', 'keel.cjs'),
      }),
    );
    const services = this.services;
    const routes = buildRoutes({
      identity: { version: VERSION, home: serve.home },
      diagnostics: {
        startedAtMs: Date.now(),
        gauges: () => [
          { name: 'loadedThreads', value: services.peek()?.keel.registry.loadedIds().length ?? 0 },
          { name: 'threadsInMemory', value: services.peek()?.keel.registry.inMemoryIds().length ?? 0 },
          { name: 'connections', value: this.connections.size },
        ],
      },
      services,
    });
    const limits = clientLimits(() => services.peek()?.keel.config.resolved().keel);
    this.connections = new ConnectionSet({
      routes,
      logger,
      options: { stallTimeoutMs: limits.stallTimeoutMs, outputLimitBytes: limits.outputLimitBytes },
      detach: (session) => this.stopping || services.peek()?.keel.threads.detach(session),
    });
    this.output.pipe(this.stdout);
    const channel = streamChannel('stdio', this.stdin, this.output);
    // As with stdio: whoever holds the input owns the server; when it ends, the server shuts down.
    void this.connections.accept(channel).then(() => this.shutdown());
  }

  /** SIGTERM and SIGINT shut down as the process would; any other signal (SIGKILL) stops it dead: no more output. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exited) return false;
    if (signal === 'SIGTERM' || signal === 'SIGINT') {
      void this.shutdown();
      return true;
    }
    this.exit(null, signal);
    // What a dead process leaves to the kernel, the test's process must do itself.
    void this.shutdown();
    return true;
  }

  private async shutdown(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    try {
      const loaded = await this.services.started()?.catch(() => undefined);
      await loaded?.keel.close();
      await this.connections.flushAll(SHUTDOWN_FLUSH_MS);
      await this.connections.closeAll(SHUTDOWN_CLOSE_MS);
    } catch (error) {
      if (!this.stderr.writableEnded) this.stderr.write(`${JSON.stringify({ level: 50, msg: 'error during shutdown', err: String(error) })}\n`);
    } finally {
      this.exit(0, null);
    }
  }

  private exit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    if (signal === null) {
      // Shut down: everything written has been flushed to `output`; ending it ends stdout after the last line.
      this.output.end();
    } else {
      // Killed: what was not yet read is lost, and what the engine still writes goes nowhere.
      this.output.unpipe(this.stdout);
      this.output.resume();
      this.stdout.end();
    }
    this.stderr.end();
    // 'close' comes after the output streams have ended, as for a child process.
    let open = 2;
    const closed = () => --open === 0 && this.emit('close', code, signal);
    this.stdout.once('end', closed);
    this.stderr.once('end', closed);
    this.stdout.resume();
    this.stderr.resume();
  }
}

/** For SpawnOptions.serve: Keel served in the test's process. */
export const inProcess = (options: InProcessOptions): ServerChild => new InProcessServer(options) as unknown as ServerChild;
