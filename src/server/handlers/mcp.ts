// MCP servers for clients: their status and inventory (never starting one to answer), reload of
// `[mcp_servers]`, a tool call or resource read for a client, and OAuth login (not supported).
import type { z } from 'zod';
import type { Keel } from '../open-keel.js';
import { threadMcpServers } from '../../engine/turns/mcp-tools.js';
import { invalidCursor } from '../../kernel/cursor.js';
import { DomainError } from '../../kernel/errors.js';
import type { McpServerConfig, McpServerStatus } from '../../mcp/index.js';
import type { McpServerStatus as WireStatus } from '../../protocol/schemas/mcp-methods.js';
import type { Handler } from '../dispatch.js';

type McpMethod = 'mcpServerStatus/list' | 'config/mcpServer/reload' | 'mcpServer/tool/call' | 'mcpServer/resource/read' | 'mcpServer/oauth/login';

const RUNTIME: Record<McpServerStatus['state'], z.output<typeof WireStatus>['runtimeStatus']> = {
  idle: 'notStarted',
  starting: 'starting',
  ready: 'connected',
  failed: 'failed',
  stopped: 'cancelled',
};

function wireStatus(status: McpServerStatus, config: McpServerConfig | undefined, toolsOnly: boolean): z.output<typeof WireStatus> {
  const http = config?.transport.type === 'http' ? config.transport : null;
  return {
    name: status.name,
    authStatus: http === null ? 'unsupported' : http.bearerTokenEnvVar ? 'bearerToken' : 'unsupported',
    tools: Object.fromEntries(
      status.tools.map((tool) => [
        tool.name,
        {
          name: tool.name,
          ...(tool.title !== undefined && { title: tool.title }),
          ...(tool.description !== undefined && { description: tool.description }),
          inputSchema: tool.inputSchema as never,
          ...(tool.outputSchema !== undefined && { outputSchema: tool.outputSchema as never }),
          ...(tool.annotations !== undefined && { annotations: tool.annotations as never }),
        },
      ]),
    ),
    resources: toolsOnly ? [] : status.resources.map((r) => ({ name: r.name, uri: r.uri, ...(r.title !== undefined && { title: r.title }), ...(r.description !== undefined && { description: r.description }), ...(r.mimeType !== undefined && { mimeType: r.mimeType }) })),
    resourceTemplates: [],
    runtimeStatus: status.enabled ? RUNTIME[status.state] : 'disabled',
    serverInfo: status.serverInfo ? { name: status.serverInfo.name, version: status.serverInfo.version, ...(status.serverInfo.title !== undefined && { title: status.serverInfo.title }) } : null,
    toolsError: status.state === 'ready' ? null : status.error,
    httpOrigin: http === null ? null : new URL(http.url).origin,
  };
}

export function mcpHandlers(keel: Keel): { [M in McpMethod]: Handler<M> } {
  const configs = () => keel.config.resolved().mcpServers;
  /** The servers a thread may use (all configured ones unless its config names a set). */
  const serversOf = (threadId: string | null | undefined): string[] | null => {
    if (threadId == null) return null;
    return threadMcpServers(keel.registry.read(threadId).settings, keel.mcp.configured()).names;
  };
  const usable = (threadId: string | null | undefined, server: string) => {
    const config = configs().find((c) => c.name === server);
    if (config === undefined) throw new DomainError('notFound', `MCP server not configured: ${server}`);
    if (!config.enabled) throw new DomainError('invalid', `MCP server ${server} is disabled (enabled = false in config.toml)`);
    const allowed = serversOf(threadId);
    if (allowed !== null && !allowed.includes(server)) throw new DomainError('invalid', `thread ${threadId} does not use MCP server ${server} (its config.mcp_servers leaves it out)`);
    return config;
  };
  /** Starts the server if it is not running yet and waits for it, within its start-up timeout. */
  const ready = async (threadId: string | null | undefined, server: string) => {
    const config = usable(threadId, server);
    keel.mcp.ensureStarted([server]);
    await keel.mcp.waitForReady(server, config.startupTimeoutMs).catch((error: Error) => {
      throw new DomainError('unavailable', `MCP server ${server} is not ready: ${error.message}`);
    });
  };
  return {
    'mcpServerStatus/list': (params) => {
      if (params.cursor != null) throw invalidCursor(params.cursor);
      const allowed = serversOf(params.threadId);
      const byName = new Map(configs().map((config) => [config.name, config]));
      const data = keel.mcp
        .status()
        .filter((status) => (params.serverName == null || status.name === params.serverName) && (allowed === null || allowed.includes(status.name)))
        .map((status) => wireStatus(status, byName.get(status.name), params.detail === 'toolsAndAuthOnly'));
      return { data, nextCursor: null };
    },
    'config/mcpServer/reload': async () => {
      await keel.mcp.reload(configs());
      return {};
    },
    'mcpServer/tool/call': async (params) => {
      await ready(params.threadId, params.server);
      const args = (params.arguments ?? {}) as Record<string, unknown>;
      if (typeof args !== 'object' || Array.isArray(args)) throw new DomainError('invalid', 'arguments: expected an object');
      const result = await keel.mcp.call(params.server, params.tool, args).catch((error: Error) => {
        throw new DomainError('unavailable', error.message);
      });
      return { content: result.content as never[], ...(result.structuredContent !== undefined && { structuredContent: result.structuredContent as never }), isError: result.isError ?? false };
    },
    'mcpServer/resource/read': async (params) => {
      await ready(params.threadId, params.server);
      const read = await keel.mcp.readResource(params.server, params.uri).catch((error: Error) => {
        throw new DomainError('unavailable', error.message);
      });
      return { contents: read.contents as never[], originCallId: null };
    },
    'mcpServer/oauth/login': () => {
      throw new DomainError('invalid', 'MCP OAuth login is not supported by Keel; give a streamable-HTTP server its token with `bearer_token_env_var` in config.toml');
    },
  };
}
