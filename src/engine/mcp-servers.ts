// The MCP manager of a Keel process: config.toml's servers, their state told to every connection
// (mcpServer/startupStatus/updated; a failure also as a `warning`), and the MCP source the turn
// engine reads tools from.
import type { ResolvedMcpServer } from '../config/mcp-servers.js';
import type { Log } from '../log.js';
import type { McpManager, McpServerState } from '../mcp/index.js';
import type { McpSource } from './turns/mcp-tools.js';

const STARTUP: Partial<Record<McpServerState, 'starting' | 'ready' | 'failed' | 'cancelled'>> = {
  starting: 'starting',
  ready: 'ready',
  failed: 'failed',
  stopped: 'cancelled',
};

/** Loads the MCP library (its own bundle: the SDK stays off Keel's start-up) and makes the manager. */
export async function startMcp(servers: readonly ResolvedMcpServer[], logger: Log, broadcast: (method: string, params: unknown) => void): Promise<McpManager & McpSource> {
  const { McpManager } = await import('../mcp/index.js');
  const manager = new McpManager(servers, {
    logger: { info: (message) => logger.info(message), warn: (message) => logger.warn(message) },
    onStatus: (name, state, error) => {
      const status = STARTUP[state];
      if (status === undefined) return;
      broadcast('mcpServer/startupStatus/updated', { threadId: null, name, status, error, failureReason: null });
      if (state === 'failed') broadcast('warning', { threadId: null, message: `MCP server ${name} failed: ${error ?? 'no reason given'}; its tools are unavailable until it is back` });
    },
  });
  return Object.assign(manager, {
    configured: () => manager.status().filter((status) => status.enabled).map((status) => status.name),
  });
}
