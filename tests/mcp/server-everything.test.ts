// The published reference server (@modelcontextprotocol/server-everything) over stdio.
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager } from '../../src/mcp/index.js';
import { EVERYTHING_SERVER, processAlive, stdioConfig } from './mcp-fixtures.js';

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

describe('server-everything over stdio', () => {
  it('lists its tools under qualified names and answers echo and get-sum', async () => {
    manager = new McpManager([stdioConfig('everything', EVERYTHING_SERVER, { args: ['stdio'] })]);
    manager.ensureStarted();
    await manager.waitForReady('everything', 15_000);
    const status = manager.status()[0]!;
    expect(status.serverInfo?.name).toBe('mcp-servers/everything');
    const names = manager.tools().map((t) => t.qualifiedName);
    expect(names).toEqual(expect.arrayContaining(['mcp__everything__echo', 'mcp__everything__get-sum', 'mcp__everything__get-tiny-image']));
    expect(names.every((n) => /^[a-zA-Z0-9_-]{1,64}$/.test(n))).toBe(true);
    expect(manager.tools().find((t) => t.tool === 'echo')).toEqual({
      qualifiedName: 'mcp__everything__echo',
      server: 'everything',
      tool: 'echo',
      description: 'Echoes back the input string',
      inputSchema: { type: 'object', properties: { message: { type: 'string', description: 'Message to echo' } }, required: ['message'] },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    });
    expect(await manager.call('everything', 'echo', { message: 'hello' })).toEqual({ content: [{ type: 'text', text: 'Echo: hello' }] });
    expect(await manager.call('everything', 'get-sum', { a: 2, b: 3 })).toEqual({ content: [{ type: 'text', text: 'The sum of 2 and 3 is 5.' }] });
    const pid = status.pid!;
    await manager.shutdown();
    expect(processAlive(pid)).toBe(false);
  });
});
