// MCP servers for clients: their status and inventory (never starting one to answer), reload of
// `[mcp_servers]`, a tool call or resource read for a client, and OAuth login (not supported).
// Which servers a client or thread may use is the engine's McpAccess; here are Codex's shapes.
import type { z } from 'zod';
import type { McpAccess, McpServerView } from '../../engine/services/mcp-access.js';
import { invalidCursor } from '../../kernel/cursor.js';
import { DomainError } from '../../kernel/errors.js';
import type { McpServerStatus } from '../../mcp/index.js';
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

export interface McpServices {
  mcp: McpAccess;
}

function wireStatus({ status, config }: McpServerView, toolsOnly: boolean): z.output<typeof WireStatus> {
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

export function mcpHandlers({ mcp }: McpServices): { [M in McpMethod]: Handler<M> } {
  return {
    'mcpServerStatus/list': async (params) => {
      if (params.cursor != null) throw invalidCursor(params.cursor);
      const views = await mcp.statuses({ threadId: params.threadId ?? null, serverName: params.serverName ?? null });
      return { data: views.map((view) => wireStatus(view, params.detail === 'toolsAndAuthOnly')), nextCursor: null };
    },
    'config/mcpServer/reload': async () => {
      await mcp.reload();
      return {};
    },
    'mcpServer/tool/call': async (params) => {
      const result = await mcp.callTool(params.threadId ?? null, params.server, params.tool, params.arguments);
      return { content: result.content as never[], ...(result.structuredContent !== undefined && { structuredContent: result.structuredContent as never }), isError: result.isError ?? false };
    },
    'mcpServer/resource/read': async (params) => {
      const read = await mcp.readResource(params.threadId ?? null, params.server, params.uri);
      return { contents: read.contents as never[], originCallId: null };
    },
    'mcpServer/oauth/login': () => {
      throw new DomainError('invalid', 'MCP OAuth login is not supported by Keel; give a streamable-HTTP server its token with `bearer_token_env_var` in config.toml');
    },
  };
}
