// MCP servers' tools as a tool source (mcp-tools.ts). A turn offers the tools of the thread's
// servers that are ready at its first model call, until it ends: a server that becomes ready later
// joins at the next turn, so every call of a turn offers the same tools and its cached prefix
// holds, and a slow server never holds the turn up. A call is an `mcpToolCall` item; it only reads
// when its tool says so (readOnlyHint). The thread's servers are config.toml's shared ones and the
// thread's own (an editor's, thread-mcp-servers.ts), which shadow shared ones of the same name.
import { mcpToolDefinitions, mcpToolFor, threadMcpServers, type McpSource, type McpToolInfo } from './mcp-tools.js';
import type { ToolSource } from './tool-source.js';

/** What a turn needs of the servers that belong to its thread alone. */
export interface ThreadMcpSource {
  names(threadId: string): string[];
  tools(threadId: string): McpToolInfo[];
  call: (threadId: string, ...call: Parameters<McpSource['call']>) => ReturnType<McpSource['call']>;
}

export function mcpToolSource(mcp: McpSource, own?: ThreadMcpSource): ToolSource {
  return {
    forTurn(turn) {
      const threadId = turn.runtime.state.id;
      const ownNames = own?.names(threadId) ?? [];
      const servers = threadMcpServers(turn.runtime.state.settings, mcp.configured()).names.filter((name) => !ownNames.includes(name));
      mcp.ensureStarted(servers);
      const tools = [...mcp.tools(servers), ...(own?.tools(threadId) ?? [])];
      const definitions = mcpToolDefinitions(tools);
      // A call goes to the thread's own server when the tool is one of its.
      const source: McpSource = {
        ensureStarted: (names) => mcp.ensureStarted(names),
        tools: (names) => mcp.tools(names),
        configured: () => mcp.configured(),
        call: (server, tool, args, options) => (own !== undefined && ownNames.includes(server) ? own.call(threadId, server, tool, args, options) : mcp.call(server, tool, args, options)),
      };
      return {
        list: () => definitions,
        resolve: (call) => {
          const run = mcpToolFor(call, tools, source);
          const readOnly = tools.find((tool) => tool.qualifiedName === call.name)?.annotations?.readOnlyHint === true;
          return run ? { execute: (ctx) => run(ctx), readOnly } : null;
        },
      };
    },
  };
}
