// What `keel acp` answers to requests it cannot serve — each with JSON-RPC's (or ACP's) code and a
// message that names the fault — and that it goes on serving the same connection after each.
import { describe, expect, it } from 'vitest';
import { startRawAcp, type RawAcpClient } from '../helpers/acp-raw-client.js';

const initialize = (client: RawAcpClient) => client.request('initialize', { protocolVersion: 1, clientCapabilities: {} });

/** The connection still serves: a fresh request gets its answer. */
async function stillServes(client: RawAcpClient): Promise<void> {
  expect(await client.request('session/list', {})).toEqual({ jsonrpc: '2.0', id: expect.any(Number), result: { sessions: [], nextCursor: null } });
}

describe('keel acp errors', () => {
  it('a malformed line gets -32700 with id null, and the next line is served', async () => {
    const client = startRawAcp();
    await initialize(client);
    const from = client.lines.length;
    client.write('{"jsonrpc":"2.0","id":5,"method":');
    expect(await client.waitFor((m) => m.id === null, from)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringMatching(/^Parse error: /) } });
    await stillServes(client);
  });

  it('a request without "jsonrpc" gets -32600 naming the member', async () => {
    const client = startRawAcp();
    await initialize(client);
    const from = client.lines.length;
    client.write({ id: 'no-version', method: 'session/list', params: {} });
    expect(await client.waitFor((m) => m.id === 'no-version', from)).toEqual({ jsonrpc: '2.0', id: 'no-version', error: { code: -32600, message: 'Invalid request: "jsonrpc" must be "2.0"' } });
    await stillServes(client);
  });

  it('an unknown method gets -32601 naming it', async () => {
    const client = startRawAcp();
    await initialize(client);
    expect(await client.request('session/fly', {})).toEqual({ jsonrpc: '2.0', id: expect.any(Number), error: { code: -32601, message: 'Method not found: session/fly' } });
    await stillServes(client);
  });

  it('params of the wrong type get -32602 naming the field', async () => {
    const client = startRawAcp();
    expect(await client.request('initialize', { protocolVersion: 'one' })).toEqual({
      jsonrpc: '2.0',
      id: expect.any(Number),
      error: { code: -32602, message: 'Invalid params: protocolVersion: Invalid input: expected number, received string', data: { issues: [{ path: 'protocolVersion', message: 'Invalid input: expected number, received string' }] } },
    });
    await initialize(client);
    const wrongCwd = await client.request('session/new', { cwd: 5, mcpServers: [] });
    expect(wrongCwd.error).toMatchObject({ code: -32602, message: expect.stringMatching(/^Invalid params: cwd: /), data: { issues: [{ path: 'cwd' }] } });
    await stillServes(client);
  });

  it('session/prompt before initialize is refused, and initialize then works', async () => {
    const client = startRawAcp();
    expect(await client.request('session/prompt', { sessionId: 'x', prompt: [{ type: 'text', text: 'hi' }] })).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32600, message: 'Not initialized: send initialize first' } });
    expect((await initialize(client)).result).toMatchObject({ protocolVersion: 1 });
    await stillServes(client);
  });

  it('an unknown sessionId gets ACP\'s -32002 Resource not found, for prompt and load alike', async () => {
    const client = startRawAcp();
    await initialize(client);
    const missing = '01a00000-0000-7000-8000-000000000000';
    const notFound = { code: -32002, message: `Resource not found: thread not found: ${missing}` };
    expect((await client.request('session/prompt', { sessionId: missing, prompt: [{ type: 'text', text: 'hi' }] })).error).toEqual(notFound);
    expect((await client.request('session/load', { sessionId: missing, cwd: client.home, mcpServers: [] })).error).toEqual(notFound);
    await stillServes(client);
  });
});
