// MCP servers configured in config.toml (`[mcp_servers.NAME]`): their status, reload, direct tool
// calls and resource reads for clients, start-up status, and OAuth login (not supported).
import { clientRequest, serverNotification } from '../method-spec.js';
import * as M from '../schemas/mcp-methods.js';

export const mcpMethods = {
  'mcpServerStatus/list': clientRequest({
    typeName: 'ListMcpServerStatus',
    stability: 'stable',
    summary: 'Each configured MCP server: its state, tools, resources, server info and last error (starts none).',
    params: M.ListMcpServerStatusParams,
    result: M.ListMcpServerStatusResponse,
    codexResult: 'v2/ListMcpServerStatusResponse',
  }),
  'config/mcpServer/reload': clientRequest({
    typeName: 'McpServerRefresh',
    stability: 'stable',
    summary: 'Applies `[mcp_servers]` changes without a restart: removed or changed servers are stopped, new ones start when a thread needs them.',
    params: M.McpServerRefreshParams,
    result: M.McpServerRefreshResponse,
    codexResult: 'v2/McpServerRefreshResponse',
  }),
  'mcpServer/tool/call': clientRequest({
    typeName: 'McpServerToolCall',
    stability: 'stable',
    summary: "Calls a tool of one of the thread's MCP servers for the client (waits for the server to be ready, within its start-up timeout).",
    params: M.McpServerToolCallParams,
    result: M.McpServerToolCallResponse,
    codexResult: 'v2/McpServerToolCallResponse',
  }),
  'mcpServer/resource/read': clientRequest({
    typeName: 'McpResourceRead',
    stability: 'stable',
    summary: 'Reads a resource of a configured MCP server for the client.',
    params: M.McpResourceReadParams,
    result: M.McpResourceReadResponse,
    codexResult: 'v2/McpResourceReadResponse',
  }),
  'mcpServer/oauth/login': clientRequest({
    typeName: 'McpServerOauthLogin',
    stability: 'stable',
    summary: 'OAuth login to an MCP server: not supported by Keel (answered with an error); use `bearer_token_env_var` for HTTP servers.',
    params: M.McpServerOauthLoginParams,
    result: M.McpServerOauthLoginResponse,
    codexResult: 'v2/McpServerOauthLoginResponse',
  }),
  'mcpServer/startupStatus/updated': serverNotification({
    typeName: 'McpServerStatusUpdated',
    stability: 'stable',
    summary: 'An MCP server is starting, ready, or failed (with the error); sent to every connection.',
    params: M.McpServerStatusUpdatedNotification,
  }),
} as const;
