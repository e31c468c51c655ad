// One configured MCP server over its whole life: started on demand, connected in the background
// within its startup timeout, restarted with backoff when a ready server dies, stopped for good.
// Nothing runs while it is idle: no pings, no polling — a crash is noticed from the process exit.
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { McpCallError } from './errors.js';
import { describeExit } from './exit-description.js';
import { RestartBackoff, type RestartBackoffOptions } from './restart-backoff.js';
import type { McpServerConfig } from './server-config.js';
import { closeSession, describeSessionError, initializeSession, listTools, openSession, type ClientInfo, type ServerOffer, type Session } from './session.js';
import { StatusListeners, type McpServerState, type McpServerStatus } from './status.js';

export interface McpCallOptions {
  /** Overrides the server's `toolTimeoutMs`. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface McpConnectionOptions {
  clientInfo?: ClientInfo;
  restartBackoff?: Partial<RestartBackoffOptions>;
  /** Between SIGTERM and SIGKILL when stopping a stdio server. */
  killGraceMs?: number;
}

const EMPTY_OFFER: ServerOffer = { serverInfo: null, capabilities: null, tools: [], resources: [] };

export class McpConnection {
  private state: McpServerState = 'idle';
  private error: string | null = null;
  private offer: ServerOffer = EMPTY_OFFER;
  private session: Session | null = null;
  /** Bumped by every launch and by stop(), so a stale attempt cannot overwrite newer state. */
  private generation = 0;
  private readonly listeners = new StatusListeners();
  private readonly backoff: RestartBackoff;
  private restartTimer: NodeJS.Timeout | null = null;
  /** After a ready server died: failed restarts are retried too, not only crashes. */
  private recovering = false;
  private stopping: Promise<void> | null = null;

  constructor(
    readonly config: McpServerConfig,
    private readonly options: McpConnectionOptions = {},
  ) {
    this.backoff = new RestartBackoff(options.restartBackoff);
  }

  get name(): string {
    return this.config.name;
  }

  status(): McpServerStatus {
    return { name: this.name, enabled: this.config.enabled, state: this.state, error: this.error, pid: this.session?.stdio?.pid ?? null, ...this.offer };
  }

  /** Calls `listener` on every change of state or of the offered tools; returns the unsubscribe. */
  subscribe(listener: (status: McpServerStatus) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Starts connecting in the background (once, if enabled); never waits for the server. */
  start(): void {
    if (this.state === 'idle' && this.config.enabled) this.launch();
  }

  /** Resolves when ready; rejects if it fails with no restart coming, is stopped, or `timeoutMs` passes. */
  waitForReady(timeoutMs: number): Promise<void> {
    return this.listeners.waitFor(
      () => this.status(),
      (s) => s.state === 'ready',
      (s) => s.state === 'stopped' || (s.state === 'failed' && this.restartTimer === null),
      timeoutMs,
      `MCP server ${this.name}`,
    );
  }

  async callTool(tool: string, args: Record<string, unknown>, options: McpCallOptions = {}): Promise<CallToolResult> {
    const session = this.readySession(tool);
    const timeoutMs = options.timeoutMs ?? this.config.toolTimeoutMs;
    try {
      const request = { timeout: timeoutMs, ...(options.signal ? { signal: options.signal } : {}) };
      return (await session.client.callTool({ name: tool, arguments: args }, undefined, request)) as CallToolResult;
    } catch (error) {
      throw this.requestError(session, tool, `the call to ${tool}`, timeoutMs, options.signal, error);
    }
  }

  async readResource(uri: string, options: McpCallOptions = {}): Promise<ReadResourceResult> {
    const target = `resource ${uri}`;
    const session = this.readySession(target);
    const timeoutMs = options.timeoutMs ?? this.config.toolTimeoutMs;
    try {
      const request = { timeout: timeoutMs, ...(options.signal ? { signal: options.signal } : {}) };
      return await session.client.readResource({ uri }, request);
    } catch (error) {
      throw this.requestError(session, target, `the read of ${uri}`, timeoutMs, options.signal, error);
    }
  }

  /** Ends the server for good; resolves once its process (group) is gone. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.generation++;
      if (this.restartTimer) clearTimeout(this.restartTimer);
      this.restartTimer = null;
      const session = this.session;
      this.setState('stopped', null);
      if (session) await closeSession(session);
    })();
    return this.stopping;
  }

  private launch(): void {
    const generation = ++this.generation;
    this.offer = EMPTY_OFFER;
    this.setState('starting', null);
    void this.connect(generation);
  }

  private async connect(generation: number): Promise<void> {
    let session: Session | null = null;
    let timer: NodeJS.Timeout | undefined;
    const { startupTimeoutMs } = this.config;
    try {
      session = openSession(this.config, this.options.clientInfo ?? { name: 'keel', version: '0.0.0' }, this.options.killGraceMs ?? 2_000);
      this.session = session;
      this.watch(session);
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not start within ${startupTimeoutMs} ms`)), startupTimeoutMs);
      });
      const offer = await Promise.race([initializeSession(session, this.config), timedOut]);
      if (generation !== this.generation) return;
      this.offer = offer;
      this.backoff.markReady();
      this.setState('ready', null);
    } catch (error) {
      if (generation !== this.generation) return;
      const exitedByItself = session?.stdio?.exit != null;
      if (session) await closeSession(session);
      if (generation !== this.generation) return;
      this.session = null;
      // Read after the close, so the stderr written up to the end is included.
      const stderr = session?.stdio?.stderr.tail() ?? [];
      const reason = exitedByItself
        ? `exited during startup: ${describeExit(session!.stdio!.exit, stderr)}`
        : `${describeSessionError(error)}${stderr.length > 0 ? `; stderr:\n${stderr.join('\n')}` : ''}`;
      this.fail(`MCP server ${this.name} failed to start: ${reason}`, this.recovering);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Notices the session ending on its own (a crash) and keeps the tool list current. */
  private watch(session: Session): void {
    session.client.onclose = () => {
      if (session.closing || session !== this.session || this.state !== 'ready') return;
      const how = describeExit(session.stdio?.exit ?? null, session.stdio?.stderr.tail() ?? []);
      session.crashed = true;
      this.recovering = true;
      this.session = null;
      void closeSession(session); // reaps whatever is left of its process group
      this.fail(`MCP server ${this.name} ${how}`, true);
    };
    session.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      const tools = await listTools(session.client, this.config).catch(() => null);
      if (tools === null || session !== this.session || this.state !== 'ready') return;
      this.offer = { ...this.offer, tools };
      this.listeners.emit(this.status());
    });
  }

  private fail(error: string, restart: boolean): void {
    this.offer = EMPTY_OFFER;
    if (restart) {
      const delay = this.backoff.nextDelay();
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        this.launch();
      }, delay);
      // A pending restart alone does not keep Keel alive.
      this.restartTimer.unref();
    }
    this.setState('failed', error);
  }

  private readySession(target: string): Session {
    if (this.state === 'ready' && this.session) return this.session;
    const why = this.error ? `${this.state}: ${this.error}` : this.state;
    throw new McpCallError('notReady', this.name, target, `MCP server ${this.name} is not ready (${why})`);
  }

  private requestError(session: Session, target: string, what: string, timeoutMs: number, signal: AbortSignal | undefined, error: unknown): McpCallError {
    const fail = (kind: McpCallError['kind'], message: string) => new McpCallError(kind, this.name, target, message, { cause: error });
    if (signal?.aborted) return fail('cancelled', `MCP ${what} on server ${this.name} was cancelled`);
    if (session.closing && !session.crashed) return fail('cancelled', `MCP server ${this.name} was stopped during ${what}`);
    if (session.stdio?.exit) {
      return fail('exited', `MCP server ${this.name} exited during ${what} (${describeExit(session.stdio.exit, session.stdio.stderr.tail())})`);
    }
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      return fail('timeout', `MCP server ${this.name} did not answer ${what} within ${timeoutMs} ms (the request was cancelled)`);
    }
    if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
      return fail('exited', `MCP server ${this.name} closed the connection during ${what}`);
    }
    return fail('failed', `MCP server ${this.name}, ${what}: ${(error as Error).message}`);
  }

  private setState(state: McpServerState, error: string | null): void {
    this.state = state;
    this.error = error;
    this.listeners.emit(this.status());
  }
}
