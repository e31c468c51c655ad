// The MCP servers of a Keel process: config.toml's servers, their state told to every connection
// (an mcpServerStatus signal; a failure also as a warning), and the MCP source the turn
// engine reads tools from. The MCP library (its own bundle, with the SDK: ~13 MiB once loaded) is
// loaded only when a server is configured — at start-up, or by the reload that adds the first one.
import type { ResolvedMcpServer } from '../config/mcp-servers.js';
import type { Log } from '../log.js';
import type { McpCallOptions, McpManager, McpServerState, McpServerStatus, McpToolInfo, McpToolRef } from '../mcp/index.js';
import type { Signal } from './signals.js';
import type { McpSource } from './turns/mcp-tools.js';

const STARTUP: Partial<Record<McpServerState, 'starting' | 'ready' | 'failed' | 'cancelled'>> = {
  starting: 'starting',
  ready: 'ready',
  failed: 'failed',
  stopped: 'cancelled',
};

type Broadcast = (signal: Signal) => void;

/** What Keel asks of its MCP servers: the manager's surface, with nothing loaded while none is configured. */
export class McpServers implements McpSource {
  private manager: McpManager | null = null;
  private loading: Promise<McpManager> | null = null;

  constructor(
    private readonly logger: Log,
    private readonly broadcast: Broadcast,
  ) {}

  /** Loads the library now if `servers` names any. */
  async start(servers: readonly ResolvedMcpServer[]): Promise<this> {
    if (servers.length > 0) await this.load(servers);
    return this;
  }

  ensureStarted(names?: readonly string[]): void {
    this.manager?.ensureStarted(names);
  }

  tools(names?: readonly string[]): McpToolInfo[] {
    return this.manager?.tools(names) ?? [];
  }

  resolveTool(qualifiedName: string): McpToolRef | null {
    return this.manager?.resolveTool(qualifiedName) ?? null;
  }

  status(): McpServerStatus[] {
    return this.manager?.status() ?? [];
  }

  configured(): string[] {
    return this.status().filter((status) => status.enabled).map((status) => status.name);
  }

  // Asked of a server that is not configured, the library answers as it does for any unknown name.
  async call(server: string, tool: string, args: Record<string, unknown>, options?: McpCallOptions) {
    return (await this.load([])).call(server, tool, args, options);
  }

  async readResource(server: string, uri: string, options?: McpCallOptions) {
    return (await this.load([])).readResource(server, uri, options);
  }

  async waitForReady(name: string, timeoutMs: number): Promise<void> {
    return (await this.load([])).waitForReady(name, timeoutMs);
  }

  async reload(servers: readonly ResolvedMcpServer[]): Promise<void> {
    if (this.manager === null && this.loading === null && servers.length === 0) return;
    await (await this.load([])).reload(servers);
  }

  async shutdown(): Promise<void> {
    const manager = this.manager ?? (this.loading ? await this.loading : null);
    await manager?.shutdown();
  }

  private load(servers: readonly ResolvedMcpServer[]): Promise<McpManager> {
    this.loading ??= import('../mcp/index.js').then(({ McpManager }) => {
      this.manager = new McpManager(servers, {
        logger: { info: (message) => this.logger.info(message), warn: (message) => this.logger.warn(message) },
        onStatus: (name, state, error) => {
          const status = STARTUP[state];
          if (status === undefined) return;
          this.broadcast({ type: 'mcpServerStatus', name, status, error });
          if (state === 'failed') this.broadcast({ type: 'warned', threadId: null, message: `MCP server ${name} failed: ${error ?? 'no reason given'}; its tools are unavailable until it is back` });
        },
      });
      return this.manager;
    });
    return this.loading;
  }
}

export function startMcp(servers: readonly ResolvedMcpServer[], logger: Log, broadcast: Broadcast): Promise<McpServers> {
  return new McpServers(logger, broadcast).start(servers);
}
