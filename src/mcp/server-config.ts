// One configured MCP server, as `[mcp_servers.NAME]` in config.toml describes it (Codex's
// fields, camel-cased). The config layer parses TOML into this; the MCP library only reads it.

export type McpTransportConfig =
  /** stdio: `env` is set as given; `envVars` names variables passed on from Keel's environment (none else but a few basic ones: process-stdio-transport.ts). */
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string>; envVars?: string[]; cwd: string | null }
  | { type: 'http'; url: string; bearerTokenEnvVar: string | null; httpHeaders: Record<string, string> };

export interface McpServerConfig {
  name: string;
  transport: McpTransportConfig;
  enabled: boolean;
  /** Spawn + initialize + first tool listing must finish within this, or the server is `failed`. */
  startupTimeoutMs: number;
  /** Default bound on one tool call; a caller may pass its own. */
  toolTimeoutMs: number;
  /** When set, only these tools are offered (before `disabledTools` is applied). */
  enabledTools: string[] | null;
  disabledTools: string[];
}

export const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

/** Whether a running server must be restarted to honour `b` (reload diffing). */
export function sameConfig(a: McpServerConfig, b: McpServerConfig): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so `{env: {A, B}}` equals `{env: {B, A}}`; array order matters (args). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

/** Whether the tool passes the server's `enabledTools` / `disabledTools` filters. */
export function toolAllowed(config: McpServerConfig, tool: string): boolean {
  if (config.enabledTools !== null && !config.enabledTools.includes(tool)) return false;
  return !config.disabledTools.includes(tool);
}
