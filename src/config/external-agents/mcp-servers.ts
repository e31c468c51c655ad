// Other agents' MCP servers as Keel's `[mcp_servers.NAME]` tables. Claude Code keeps them as JSON
// (`mcpServers` in ~/.claude.json and a project's .mcp.json: `command`/`args`/`env` or
// `type: "http"` with `url`/`headers`); Codex keeps them in config.toml in Keel's own format, so
// those are taken as they are. What Keel's format cannot say — an SSE server, a header or variable
// built from `${VAR}` other than a bearer token or a variable passed through — is refused with the
// reason, never half-imported.
import fs from 'node:fs';
import { parse } from 'smol-toml';
import type { JsonObject } from '../config-document.js';
import { isTable } from '../config-document.js';

export type ConvertedServer = { ok: true; table: JsonObject } | { ok: false; message: string };

/** `${NAME}` alone. */
const WHOLE_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

const stringRecord = (value: unknown): Record<string, string> | null =>
  isTable(value) && Object.values(value).every((v) => typeof v === 'string') ? (value as Record<string, string>) : null;

/** One Claude Code `mcpServers` entry as a Keel table, or why it cannot be. */
export function fromClaude(entry: unknown): ConvertedServer {
  if (!isTable(entry)) return { ok: false, message: 'the entry is not an object' };
  const type = typeof entry.type === 'string' ? entry.type : entry.url !== undefined ? 'http' : 'stdio';
  if (type === 'sse') return { ok: false, message: 'SSE servers are not supported (Keel speaks stdio and streamable HTTP)' };
  if (type === 'stdio') {
    if (typeof entry.command !== 'string' || entry.command === '') return { ok: false, message: 'a stdio server needs a `command`' };
    const table: JsonObject = { command: entry.command };
    if (Array.isArray(entry.args)) {
      if (!entry.args.every((arg) => typeof arg === 'string')) return { ok: false, message: '`args` must be strings' };
      if (entry.args.length > 0) table.args = entry.args as string[];
    }
    const env = entry.env === undefined ? {} : stringRecord(entry.env);
    if (env === null) return { ok: false, message: '`env` must map names to strings' };
    const fixed: Record<string, string> = {};
    const passed: string[] = [];
    for (const [name, value] of Object.entries(env)) {
      const variable = WHOLE_VARIABLE.exec(value)?.[1];
      if (variable === name) passed.push(name);
      else if (value.includes('${')) return { ok: false, message: `env ${name} is built from variables (${value}), which Keel's config cannot express` };
      else fixed[name] = value;
    }
    if (Object.keys(fixed).length > 0) table.env = fixed;
    if (passed.length > 0) table.env_vars = passed;
    return { ok: true, table };
  }
  if (type !== 'http') return { ok: false, message: `unknown server type ${JSON.stringify(type)}` };
  if (typeof entry.url !== 'string' || !URL.canParse(entry.url)) return { ok: false, message: 'an HTTP server needs a valid `url`' };
  const table: JsonObject = { url: entry.url };
  const headers = entry.headers === undefined ? {} : stringRecord(entry.headers);
  if (headers === null) return { ok: false, message: '`headers` must map names to strings' };
  const fixed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const bearer = /^Bearer \$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value)?.[1];
    if (name.toLowerCase() === 'authorization' && bearer !== undefined) table.bearer_token_env_var = bearer;
    else if (value.includes('${')) return { ok: false, message: `header ${name} is built from variables, which Keel's config cannot express` };
    else fixed[name] = value;
  }
  if (Object.keys(fixed).length > 0) table.http_headers = fixed;
  return { ok: true, table };
}

/** The `mcpServers` object of a Claude Code JSON file (~/.claude.json, .mcp.json); {} when absent or unreadable. */
export function claudeServers(file: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return isTable(parsed) && isTable(parsed.mcpServers) ? parsed.mcpServers : {};
  } catch {
    return {};
  }
}

/** A Codex config.toml parsed; null when absent or unreadable. */
export function codexConfig(file: string): Record<string, unknown> | null {
  try {
    return parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The `[mcp_servers]` of a Codex config.toml: the same format as Keel's, taken as JSON. */
export function codexServers(config: Record<string, unknown> | null): Record<string, ConvertedServer> {
  const servers = config?.mcp_servers;
  if (!isTable(servers)) return {};
  return Object.fromEntries(
    Object.entries(servers).map(([name, table]) => [name, isTable(table) ? { ok: true, table: JSON.parse(JSON.stringify(table)) as JsonObject } : { ok: false, message: 'not a table' }]),
  ) as Record<string, ConvertedServer>;
}

