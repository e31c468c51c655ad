// The engine's McpAccess on its own (no server process started, no wire): which configured MCP
// servers a client or a thread may use, refused in the engine's words before anything starts.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ResolvedMcpServer } from '../../src/config/mcp-servers.js';
import { McpServers } from '../../src/engine/mcp-servers.js';
import { McpAccess } from '../../src/engine/services/mcp-access.js';

function server(name: string, enabled: boolean): ResolvedMcpServer {
  return {
    name,
    transport: { type: 'stdio', command: '/bin/false', args: [], env: {}, envVars: [], cwd: null },
    enabled,
    startupTimeoutMs: 1_000,
    toolTimeoutMs: 1_000,
    enabledTools: null,
    disabledTools: [],
    approval: { default: 'auto', tools: {} },
  } as ResolvedMcpServer;
}

async function refusalOf(call: Promise<unknown>): Promise<{ kind: string; message: string }> {
  const error = (await call.then(
    () => null,
    (caught: unknown) => caught,
  )) as { kind: string; message: string } | null;
  return { kind: error?.kind ?? 'none', message: error?.message ?? '' };
}

describe('McpAccess', () => {
  // No server is running (none configured to the manager), so nothing is started by these calls.
  const access = new McpAccess({
    servers: new McpServers(pino({ level: 'silent' }), () => {}),
    configs: () => [server('on', true), server('off', false)],
    settingsOf: async (threadId) => {
      if (threadId !== 'picky') throw new Error(`unknown thread ${threadId}`);
      return { config: { mcp_servers: { elsewhere: {} } } };
    },
  });

  it('refuses a server not configured, a disabled one, and one the thread leaves out', async () => {
    expect(await refusalOf(access.callTool(null, 'missing', 'tool', {}))).toEqual({ kind: 'notFound', message: 'MCP server not configured: missing' });
    expect(await refusalOf(access.readResource(null, 'off', 'file:///x'))).toEqual({ kind: 'invalid', message: 'MCP server off is disabled (enabled = false in config.toml)' });
    expect(await refusalOf(access.callTool('picky', 'on', 'tool', {}))).toEqual({
      kind: 'invalid',
      message: 'thread picky does not use MCP server on (its config.mcp_servers leaves it out)',
    });
  });

  it("lists no status while no server runs, and names a thread's servers that are not configured", async () => {
    expect(await access.statuses({ threadId: null, serverName: null })).toEqual([]);
    expect(await access.allowed(null)).toBe(null);
    expect(await access.allowed('picky')).toEqual([]);
    expect(access.warmUp({ config: { mcp_servers: { elsewhere: {} } } })).toEqual({ unknown: ['elsewhere'] });
  });
});
