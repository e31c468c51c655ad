// Each MCP server of config.toml, started as a thread would start it (its own process group, its
// startup timeout capped for a check) and asked for its tools, then stopped.
import type { ResolvedMcpServer } from '../../config/mcp-servers.js';
import { McpManager } from '../../mcp/index.js';
import { fail, ok, type Check } from './check.js';

/** A check waits no longer than this for a server, whatever its own startup timeout. */
const MCP_CHECK_TIMEOUT_MS = 10_000;

export async function mcpChecks(servers: readonly ResolvedMcpServer[], timeoutMs = MCP_CHECK_TIMEOUT_MS): Promise<Check[]> {
  if (servers.length === 0) return [];
  const quiet = { info: () => {}, warn: () => {} };
  const manager = new McpManager(servers, { logger: quiet });
  manager.ensureStarted();
  try {
    return await Promise.all(
      servers.map(async (server): Promise<Check> => {
        const name = `mcp ${server.name}`;
        if (!server.enabled) return ok(name, 'disabled (enabled = false): not started');
        const where = server.transport.type === 'stdio' ? [server.transport.command, ...server.transport.args].join(' ') : server.transport.url;
        try {
          await manager.waitForReady(server.name, Math.min(server.startupTimeoutMs, timeoutMs));
        } catch (error) {
          // The server's own error when it has one ("failed to start: spawn x ENOENT"), else the wait's (a timeout).
          const said = manager.status().find((status) => status.name === server.name)?.error ?? (error as Error).message;
          return fail(name, `${where}: ${said}`, `check [mcp_servers.${server.name}] in $KEEL_HOME/config.toml (${server.transport.type === 'stdio' ? 'command, args, env, cwd' : 'url, bearer_token_env_var'}), or run it by hand to see why it does not start`);
        }
        const tools = manager.status().find((status) => status.name === server.name)?.tools.map((tool) => tool.name) ?? [];
        return ok(name, `${where}: started, ${tools.length} tool${tools.length === 1 ? '' : 's'}${tools.length > 0 ? ` (${tools.slice(0, 5).join(', ')}${tools.length > 5 ? ', …' : ''})` : ''}`);
      }),
    );
  } finally {
    await manager.shutdown();
  }
}
