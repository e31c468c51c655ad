// A streamable-HTTP server: bearer token from the named environment variable, extra headers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpManager, type McpServerConfig } from '../../src/mcp/index.js';
import { startHttpTestServer, type HttpTestServer } from './http-test-server.js';

const TOKEN_VAR = 'KEEL_TEST_MCP_TOKEN';
let server: HttpTestServer;
let manager: McpManager | undefined;

beforeAll(async () => {
  server = await startHttpTestServer('s3cret', ['X-Keel-Test', 'yes']);
});
afterAll(() => server.close());
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
  delete process.env[TOKEN_VAR];
});

function httpConfig(name: string, bearerTokenEnvVar: string | null): McpServerConfig {
  return {
    name,
    transport: { type: 'http', url: server.url, bearerTokenEnvVar, httpHeaders: { 'X-Keel-Test': 'yes' } },
    enabled: true,
    startupTimeoutMs: 5_000,
    toolTimeoutMs: 5_000,
    enabledTools: null,
    disabledTools: [],
  };
}

describe('McpManager with a streamable-HTTP server', () => {
  it('sends the bearer token and headers, lists tools and calls them', async () => {
    process.env[TOKEN_VAR] = 's3cret';
    manager = new McpManager([httpConfig('web', TOKEN_VAR)]);
    manager.ensureStarted();
    await manager.waitForReady('web', 5_000);
    expect(manager.status()[0]).toMatchObject({ state: 'ready', pid: null, serverInfo: { name: 'keel-http-fixture', version: '1.0.0' } });
    expect(manager.tools().map((t) => t.qualifiedName)).toEqual(['mcp__web__echo']);
    expect(await manager.call('web', 'echo', { text: 'over http' })).toEqual({ content: [{ type: 'text', text: 'over http' }] });
    expect(server.authorizations.every((a) => a === 'Bearer s3cret')).toBe(true);
  });

  it('fails with a clear error when the token variable is unset', async () => {
    manager = new McpManager([httpConfig('web', TOKEN_VAR)]);
    manager.ensureStarted();
    await expect(manager.waitForReady('web', 5_000)).rejects.toThrow(
      `MCP server web is failed: MCP server web failed to start: environment variable ${TOKEN_VAR} (its bearer token) is not set`,
    );
  });

  it('fails when the server refuses the token', async () => {
    process.env[TOKEN_VAR] = 'wrong';
    manager = new McpManager([httpConfig('web', TOKEN_VAR)]);
    manager.ensureStarted();
    await expect(manager.waitForReady('web', 5_000)).rejects.toThrow(
      'MCP server web is failed: MCP server web failed to start: HTTP 401: Streamable HTTP error: Error POSTing to endpoint: {"error":"unauthorized"}',
    );
  });
});
