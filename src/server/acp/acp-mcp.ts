// The MCP servers an editor passes with session/new and session/load, as the session's own: read
// from ACP's shapes (stdio {name, command, args, env[]}, http {type:'http', name, url, headers[]})
// into the MCP library's configs, started for that session's thread before the answer (so the
// first prompt's turn offers their tools), and stopped when the connection that passed them ends.
// SSE is refused (Keel says mcpCapabilities.sse: false): the MCP library speaks streamable HTTP.
import * as z from 'zod';
import { MCP_STARTUP_TIMEOUT_MS, MCP_TOOL_TIMEOUT_MS } from '../../config/mcp-servers.js';
import { DomainError } from '../../kernel/errors.js';
import type { Log } from '../../log.js';
import type { McpServerConfig } from '../../mcp/index.js';
import type { ThreadMcpServers } from '../../engine/thread-mcp-servers.js';

const NameValue = z.looseObject({ name: z.string(), value: z.string() });
const Http = z.looseObject({ type: z.literal('http'), name: z.string().min(1), url: z.string(), headers: z.array(NameValue) });
const Sse = z.looseObject({ type: z.literal('sse'), name: z.string().min(1), url: z.string(), headers: z.array(NameValue) });
const Stdio = z.looseObject({ type: z.literal('stdio'), name: z.string().min(1), command: z.string().min(1), args: z.array(z.string()), env: z.array(NameValue) });

/** ACP's McpServer: stdio has no `type`, so it is given one before the union picks the shape (and names the wrong field). */
export const AcpMcpServer = z.preprocess(
  (value) => (typeof value === 'object' && value !== null && !Array.isArray(value) && !('type' in value) ? { ...value, type: 'stdio' } : value),
  z.discriminatedUnion('type', [Http, Sse, Stdio]),
);
export type AcpMcpServer = z.output<typeof AcpMcpServer>;

/** The editor's servers as the MCP library's configs; stdio servers run in the session's directory. */
export function mcpServerConfigs(servers: readonly AcpMcpServer[], cwd: string): McpServerConfig[] {
  const seen = new Set<string>();
  return servers.map((server, index) => {
    if (server.type === 'sse') throw new DomainError('invalid', 'the sse transport is not supported (mcpCapabilities.sse is false); pass the server over http', `mcpServers[${index}].type`);
    if (seen.has(server.name)) throw new DomainError('invalid', `another server is named ${server.name}`, `mcpServers[${index}].name`);
    seen.add(server.name);
    const transport: McpServerConfig['transport'] =
      server.type === 'http'
        ? { type: 'http', url: server.url, bearerTokenEnvVar: null, httpHeaders: pairs(server.headers) }
        : { type: 'stdio', command: server.command, args: server.args, env: pairs(server.env), cwd };
    return { name: server.name, transport, enabled: true, startupTimeoutMs: MCP_STARTUP_TIMEOUT_MS, toolTimeoutMs: MCP_TOOL_TIMEOUT_MS, enabledTools: null, disabledTools: [] };
  });
}

/**
 * Starts the editor's servers for `threadId` on behalf of `owner` (the connection's session) and
 * waits until each is ready or failed. A server that fails is logged and left out: the session
 * still works with the others, as a failed config.toml server leaves a thread working. Each
 * failure is also told to the editor, once the request's answer has named the session: a `notice`
 * for a client that shows them.
 */
export async function joinSessionMcp(
  keel: { threadMcp: Pick<ThreadMcpServers, 'join'> },
  owner: { notice(sessionId: string, title: string, description: string): void },
  threadId: string,
  configs: readonly McpServerConfig[],
  logger: Log,
  afterResponse: ((task: () => void) => void) | undefined,
): Promise<void> {
  const { failed } = await keel.threadMcp.join(threadId, owner, configs);
  for (const failure of failed) {
    const title = `The editor's MCP server ${failure.name} did not start; its tools are not offered`;
    logger.warn({ threadId, server: failure.name }, `${title}: ${failure.error}`);
    afterResponse?.(() => owner.notice(threadId, title, failure.error));
  }
}

function pairs(list: ReadonlyArray<{ name: string; value: string }>): Record<string, string> {
  return Object.fromEntries(list.map(({ name, value }) => [name, value]));
}
