// The server's connection over an in-memory channel pair: the real routes, dispatch and session,
// no process. What an in-process harness builds on; here only what needs no services.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Lazy } from '../../src/kernel/lazy.js';
import { buildRoutes } from '../../src/server/handlers/index.js';
import { serveConnection } from '../../src/server/server.js';
import type { Services } from '../../src/server/services.js';
import { channelPair } from '../helpers/channel-pair.js';

function serve() {
  const { server, client } = channelPair('memory#1');
  const routes = buildRoutes({
    identity: { version: '0.0.0-test', home: '/nonexistent' },
    diagnostics: { startedAtMs: 0, gauges: () => [] },
    // Nothing here reaches past the handshake.
    services: new Lazy<Services>(() => new Promise(() => {})),
  });
  const handle = serveConnection(server, routes, pino({ level: 'silent' }), { stallTimeoutMs: () => 60_000, outputLimitBytes: () => 64 * 1024 * 1024 });
  return { client, handle };
}

describe('serveConnection over a channel pair', () => {
  it('answers the handshake and the gates in order, and closes once the input ended and every request was answered', async () => {
    const { client, handle } = serve();
    client.send({ id: 'early', method: 'thread/list', params: {} });
    client.send({ id: 0, method: 'initialize', params: { clientInfo: { name: 'memory', title: null, version: '0' } } });
    client.send({ method: 'initialized' });
    client.send({ id: '0', method: 'initialize', params: { clientInfo: { name: 'memory', title: null, version: '0' } } });
    client.send({ id: 1, method: 'no/such/method', params: {} });
    client.end();
    expect(await handle.closed).toBe('input ended');
    expect(client.inbox.messages).toEqual([
      { id: 'early', error: { code: -32600, message: 'Not initialized' } },
      { id: 0, result: expect.objectContaining({ codexHome: '/nonexistent' }) },
      { id: '0', error: { code: -32600, message: 'Already initialized' } },
      { id: 1, error: { code: -32601, message: 'Method not found: no/such/method' } },
    ]);
  });
});
