// MCP servers' tools as a tool source (mcp-tools.ts). A turn offers the tools of the thread's
// servers that are ready at its first model call, until it ends: a server that becomes ready later
// joins at the next turn, so every call of a turn offers the same tools and its cached prefix
// holds, and a slow server never holds the turn up. A call is an `mcpToolCall` item; it only reads
// when its tool says so (readOnlyHint).
import { mcpToolDefinitions, mcpToolFor, threadMcpServers, type McpSource } from './mcp-tools.js';
import type { ToolSource } from './tool-source.js';

export function mcpToolSource(mcp: McpSource): ToolSource {
  return {
    forTurn(turn) {
      const servers = threadMcpServers(turn.runtime.state.settings, mcp.configured()).names;
      mcp.ensureStarted(servers);
      const tools = mcp.tools(servers);
      const definitions = mcpToolDefinitions(tools);
      return {
        list: () => definitions,
        resolve: (call) => {
          const run = mcpToolFor(call, tools, mcp);
          const readOnly = tools.find((tool) => tool.qualifiedName === call.name)?.annotations?.readOnlyHint === true;
          return run ? { execute: (ctx) => run(ctx), readOnly } : null;
        },
      };
    },
  };
}
