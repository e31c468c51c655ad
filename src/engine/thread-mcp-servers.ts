// MCP servers that belong to one thread, not to config.toml: an ACP editor passes them with
// session/new or session/load. Each thread's servers run under their own MCP manager (the same
// library as config.toml's shared servers), joined by an owner (the connection that passed them)
// and stopped when that owner leaves. Their tools are offered to that thread's turns only
// (mcp-tool-source.ts); a thread's server shadows a config.toml server of the same name.
import type { Log } from '../log.js';
import type { McpCallOptions, McpManager, McpServerConfig } from '../mcp/index.js';
import type { McpCallResult, McpToolInfo } from './turns/mcp-tools.js';

interface Joined {
  owner: object;
  manager: McpManager;
  names: string[];
}

export interface JoinOutcome {
  /** The servers that did not become ready within their start-up timeout, with why. */
  failed: Array<{ name: string; error: string }>;
}

export class ThreadMcpServers {
  private readonly joined = new Map<string, Joined>();
  private closed = false;

  constructor(private readonly logger: Log) {}

  /**
   * Starts `configs` for `threadId` on behalf of `owner` and waits until each is ready or has failed
   * (within its start-up timeout), so the thread's next turn offers their tools. Servers the thread
   * had from an earlier join are stopped first: the last editor to open the session decides.
   */
  async join(threadId: string, owner: object, configs: readonly McpServerConfig[]): Promise<JoinOutcome> {
    const previous = this.joined.get(threadId);
    this.joined.delete(threadId);
    await previous?.manager.shutdown();
    if (configs.length === 0 || this.closed) return { failed: [] };
    const { McpManager } = await import('../mcp/index.js');
    // Keel may have closed while the library loaded: nothing may start after its shutdown.
    if (this.closed) return { failed: [] };
    const manager = new McpManager(configs, { logger: { info: (message) => this.logger.info({ threadId }, message), warn: (message) => this.logger.warn({ threadId }, message) } });
    this.joined.set(threadId, { owner, manager, names: configs.map((config) => config.name) });
    manager.ensureStarted();
    const waits = configs.map((config) => manager.waitForReady(config.name, config.startupTimeoutMs).then(() => null, (error: Error) => ({ name: config.name, error: error.message })));
    return { failed: (await Promise.all(waits)).filter((failure) => failure !== null) };
  }

  /** Stops the servers of every thread `owner` joined (its connection ended). */
  async leave(owner: object): Promise<void> {
    const stops = [...this.joined].filter(([, entry]) => entry.owner === owner).map(([threadId, entry]) => {
      this.joined.delete(threadId);
      return entry.manager.shutdown();
    });
    await Promise.all(stops);
  }

  /** Stops the servers `owner` joined for `threadId` (its editor closed the session); another owner's stay. */
  async leaveThread(threadId: string, owner: object): Promise<void> {
    const entry = this.joined.get(threadId);
    if (entry?.owner !== owner) return;
    this.joined.delete(threadId);
    await entry.manager.shutdown();
  }

  /** The names of the thread's own servers (empty for a thread without any). */
  names(threadId: string): string[] {
    return this.joined.get(threadId)?.names ?? [];
  }

  /** The tools of the thread's servers that are ready now. */
  tools(threadId: string): McpToolInfo[] {
    return this.joined.get(threadId)?.manager.tools() ?? [];
  }

  async call(threadId: string, server: string, tool: string, args: Record<string, unknown>, options?: McpCallOptions): Promise<McpCallResult> {
    const entry = this.joined.get(threadId);
    if (entry === undefined) throw new Error(`MCP server ${server} has left this session (its editor connection ended)`);
    return entry.manager.call(server, tool, args, options);
  }

  /** Stops every thread's servers (Keel is closing); later joins start nothing. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const entries = [...this.joined.values()];
    this.joined.clear();
    await Promise.all(entries.map((entry) => entry.manager.shutdown()));
  }
}
