// `[mcp_servers.NAME]` of config.toml as the MCP manager takes them: Codex's keys and defaults
// (startup 10 s, tool calls 60 s), stdio or streamable HTTP.
import type { z } from 'zod';
import type { McpServerToml } from '../protocol/schemas/config-methods.js';

export const MCP_STARTUP_TIMEOUT_MS = 10_000;
export const MCP_TOOL_TIMEOUT_MS = 60_000;

export interface ResolvedMcpServer {
  name: string;
  transport:
    | { type: 'stdio'; command: string; args: string[]; env: Record<string, string>; envVars: string[]; cwd: string | null }
    | { type: 'http'; url: string; bearerTokenEnvVar: string | null; httpHeaders: Record<string, string> };
  enabled: boolean;
  startupTimeoutMs: number;
  toolTimeoutMs: number;
  enabledTools: string[] | null;
  disabledTools: string[];
  /** When a call is asked: the server's default and per-tool modes (`auto` unless set). */
  approval: { default: McpApprovalMode; tools: Record<string, McpApprovalMode> };
}

export type McpApprovalMode = 'auto' | 'prompt' | 'approve';

/** How a call to `tool` of `server` is approved. */
export function mcpApprovalMode(server: ResolvedMcpServer | undefined, tool: string): McpApprovalMode {
  return server?.approval.tools[tool] ?? server?.approval.default ?? 'auto';
}

type Toml = z.output<typeof McpServerToml>;

export function resolveMcpServers(table: Record<string, Toml> | null | undefined): ResolvedMcpServer[] {
  return Object.entries(table ?? {}).map(([name, server]) => ({
    name,
    transport:
      server.command != null
        ? { type: 'stdio', command: server.command, args: server.args ?? [], env: server.env ?? {}, envVars: server.env_vars ?? [], cwd: server.cwd ?? null }
        : { type: 'http', url: server.url!, bearerTokenEnvVar: server.bearer_token_env_var ?? null, httpHeaders: server.http_headers ?? {} },
    enabled: server.enabled ?? true,
    startupTimeoutMs: server.startup_timeout_ms ?? (server.startup_timeout_sec != null ? Math.round(server.startup_timeout_sec * 1000) : MCP_STARTUP_TIMEOUT_MS),
    toolTimeoutMs: server.tool_timeout_sec != null ? Math.round(server.tool_timeout_sec * 1000) : MCP_TOOL_TIMEOUT_MS,
    enabledTools: server.enabled_tools ?? null,
    disabledTools: server.disabled_tools ?? [],
    approval: {
      default: server.default_tools_approval_mode ?? 'auto',
      tools: Object.fromEntries(Object.entries(server.tools ?? {}).flatMap(([tool, settings]) => (settings.approval_mode ? [[tool, settings.approval_mode]] : []))),
    },
  }));
}
