// Which of config.toml's MCP servers a client may use or see, directly (outside any turn) or for a
// thread: a server must be configured and enabled, and a thread whose config names its servers
// (config.mcp_servers) uses only those. Statuses are engine values (the server's status and its
// config); each protocol's handler shapes them. A call or read starts its server if needed and
// waits for it, within the server's start-up timeout.
import type { ThreadSettings } from '../../core/events.js';
import type { ResolvedMcpServer } from '../../config/mcp-servers.js';
import { DomainError } from '../../kernel/errors.js';
import type { McpServerStatus } from '../../mcp/index.js';
import type { McpServers } from '../mcp-servers.js';
import { threadMcpServers } from '../turns/mcp-tools.js';

export interface McpAccessDeps {
  servers: McpServers;
  /** config.toml's servers, read afresh each time. */
  configs(): readonly ResolvedMcpServer[];
  /** A thread's settings (loaded or stored); throws for an unknown thread. */
  settingsOf(threadId: string): Promise<Pick<ThreadSettings, 'config'>>;
}

export interface McpServerView {
  status: McpServerStatus;
  /** Absent for a server the manager still knows that config.toml no longer names. */
  config: ResolvedMcpServer | undefined;
}

export class McpAccess {
  constructor(private readonly deps: McpAccessDeps) {}

  /** The servers a thread may use: null (every configured one) without a thread or when its config names no set. */
  async allowed(threadId: string | null): Promise<string[] | null> {
    if (threadId === null) return null;
    return threadMcpServers(await this.deps.settingsOf(threadId), this.deps.servers.configured()).names;
  }

  /** The servers' statuses (never starting one to answer), those a thread may use, or the one named. */
  async statuses({ threadId, serverName }: { threadId: string | null; serverName: string | null }): Promise<McpServerView[]> {
    const allowed = await this.allowed(threadId);
    const byName = new Map(this.deps.configs().map((config) => [config.name, config]));
    return this.deps.servers
      .status()
      .filter((status) => (serverName === null || status.name === serverName) && (allowed === null || allowed.includes(status.name)))
      .map((status) => ({ status, config: byName.get(status.name) }));
  }

  /** Starts the servers a new thread uses, in the background; answers the names its config gives that are not configured (or disabled). */
  warmUp(settings: Pick<ThreadSettings, 'config'>): { unknown: string[] } {
    const { names, unknown } = threadMcpServers(settings, this.deps.servers.configured());
    this.deps.servers.ensureStarted(names);
    return { unknown };
  }

  /** Applies config.toml's `[mcp_servers]` as it is now. */
  reload(): Promise<void> {
    return this.deps.servers.reload(this.deps.configs());
  }

  /** `args` is checked once the server is known usable: a JSON object (absent: `{}`). */
  async callTool(threadId: string | null, server: string, tool: string, args: unknown) {
    await this.ready(threadId, server);
    const object = (args ?? {}) as Record<string, unknown>;
    if (typeof object !== 'object' || Array.isArray(object)) throw new DomainError('invalid', 'arguments: expected an object');
    return this.deps.servers.call(server, tool, object).catch((error: Error) => {
      throw new DomainError('unavailable', error.message);
    });
  }

  async readResource(threadId: string | null, server: string, uri: string) {
    await this.ready(threadId, server);
    return this.deps.servers.readResource(server, uri).catch((error: Error) => {
      throw new DomainError('unavailable', error.message);
    });
  }

  private async usable(threadId: string | null, server: string): Promise<ResolvedMcpServer> {
    const config = this.deps.configs().find((c) => c.name === server);
    if (config === undefined) throw new DomainError('notFound', `MCP server not configured: ${server}`);
    if (!config.enabled) throw new DomainError('invalid', `MCP server ${server} is disabled (enabled = false in config.toml)`);
    const allowed = await this.allowed(threadId);
    if (allowed !== null && !allowed.includes(server)) throw new DomainError('invalid', `thread ${threadId} does not use MCP server ${server} (its config.mcp_servers leaves it out)`);
    return config;
  }

  /** Starts the server if it is not running yet and waits for it, within its start-up timeout. */
  private async ready(threadId: string | null, server: string): Promise<void> {
    const config = await this.usable(threadId, server);
    this.deps.servers.ensureStarted([server]);
    await this.deps.servers.waitForReady(server, config.startupTimeoutMs).catch((error: Error) => {
      throw new DomainError('unavailable', `MCP server ${server} is not ready: ${error.message}`);
    });
  }
}
