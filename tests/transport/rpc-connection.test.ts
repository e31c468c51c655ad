// RpcConnection over an in-memory channel pair, no process: the client's ids kept as sent,
// cancellation as an AbortSignal, server requests numbered and answered by id (or gone with the
// connection), both dialects, a request's follow-up after its response, and bad input answered.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RpcError, RpcErrors } from '../../src/protocol/errors.js';
import { codexDialect, jsonRpc2Dialect, type Dialect } from '../../src/transport/dialect.js';
import { OutputWriter } from '../../src/transport/output-writer.js';
import { ConnectionGone, RpcConnection, type IncomingRequest, type RpcHandlers } from '../../src/transport/rpc-connection.js';
import { channelPair, type ClientEnd } from '../helpers/channel-pair.js';
import type { IncomingMessage } from '../helpers/message-inbox.js';

const WAIT_MS = 5_000;
const EMITTED_AT = 1_750_000_000_000;

/** The server side of a pair: requests answer `{ method, params }` unless `request` says otherwise. */
function connect(
  options: {
    dialect?: Dialect;
    request?: (request: IncomingRequest, connection: RpcConnection) => Promise<unknown>;
    notification?: (method: string, params: unknown, connection: RpcConnection) => void;
  } = {},
) {
  const { server, client } = channelPair('test');
  const handlers: RpcHandlers = {
    request: (request) => (options.request ?? (({ method, params }) => Promise.resolve({ method, params })))(request, connection),
    notification: (method, params) => options.notification?.(method, params, connection),
  };
  const connection: RpcConnection = new RpcConnection(
    new OutputWriter(server),
    handlers,
    pino({ level: 'silent' }),
    options.dialect ?? codexDialect,
  );
  server.listen({ message: (text) => connection.receive(text), oversize: (maxBytes) => connection.oversize(maxBytes), end: () => {} });
  return { connection, client };
}

/** The next `count` messages the client is sent, in order. */
async function next(client: ClientEnd, count: number): Promise<IncomingMessage[]> {
  const messages: IncomingMessage[] = [];
  for (let i = 0; i < count; i++) messages.push(await client.inbox.waitFor(() => true, WAIT_MS));
  return messages;
}

const answer = (id: unknown, method: string, params: unknown) => ({ id, result: { method, params } });

describe('RpcConnection', () => {
  it('answers each request with the id it came with: strings, integers, "0" apart from 0, the largest safe integer, an id reused', async () => {
    const { client } = connect();
    const ids = ['a', 0, '0', -7, Number.MAX_SAFE_INTEGER, 'a'];
    ids.forEach((id, n) => client.send({ id, method: 'echo', params: { n } }));
    expect(await next(client, ids.length)).toEqual(ids.map((id, n) => answer(id, 'echo', { n })));
  });

  it('hands the handler the id as sent, and answers the ids it cannot take with -32600 and id null', async () => {
    const seen: unknown[] = [];
    const { client } = connect({ request: ({ id }) => Promise.resolve(seen.push(id)) });
    client.send({ id: 1.5, method: 'echo' });
    client.send({ id: null, method: 'echo' });
    client.send({ id: { nested: 1 }, method: 'echo' });
    client.send({ id: 'x', method: 'echo' });
    const invalidId = { id: null, error: { code: -32600, message: 'Invalid request: "id" must be a string or an integer' } };
    expect(await next(client, 4)).toEqual([invalidId, invalidId, invalidId, { id: 'x', result: 1 }]);
    expect(seen).toEqual(['x']);
  });

  it('answers malformed JSON -32700 and a non-object -32600, both with id null, and serves what follows', async () => {
    const { client } = connect();
    client.send('{"id":1,"method":');
    client.send('[1,2]');
    client.send('   ');
    client.send({ id: 2, method: 'echo' });
    const [parse, ...rest] = await next(client, 3);
    expect(parse).toEqual({ id: null, error: { code: -32700, message: expect.stringMatching(/^Parse error: /) } });
    expect(rest).toEqual([{ id: null, error: { code: -32600, message: 'Invalid request: a message must be a JSON object' } }, answer(2, 'echo', undefined)]);
  });

  it("answers a handler's RpcError as it is, and any other failure -32603 naming the method", async () => {
    const { client } = connect({
      request: ({ method }) => Promise.reject(method === 'nope' ? RpcErrors.methodNotFound('nope') : new Error('boom')),
    });
    client.send({ id: 1, method: 'nope' });
    client.send({ id: 2, method: 'fails' });
    expect(await next(client, 2)).toEqual([
      { id: 1, error: { code: -32601, message: 'Method not found: nope' } },
      { id: 2, error: { code: -32603, message: 'Request fails failed with message: boom' } },
    ]);
  });

  it('aborts the signal of the request a $/cancelRequest names, running or not yet dispatched; a cancel of nothing cancels nothing', async () => {
    const started: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const { client } = connect({
      request: async ({ id, signal }: IncomingRequest) => {
        started.push(String(id));
        if (id === 'running') {
          const aborted = new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          release();
          await aborted;
        }
        return { aborted: signal.aborted };
      },
    });
    client.send({ id: 'running', method: 'wait' });
    await released;
    // Read in one go: "queued" is cancelled before it is dispatched.
    client.send({ id: 'queued', method: 'x' });
    client.send({ method: '$/cancelRequest', params: { id: 'queued' } });
    client.send({ method: '$/cancelRequest', params: { id: 'running' } });
    client.send({ method: '$/cancelRequest' });
    client.send({ method: '$/cancelRequest', params: { id: 'never-sent' } });
    client.send({ id: 'kept', method: 'x' });
    expect(await next(client, 3)).toEqual([
      { id: 'running', result: { aborted: true } },
      { id: 'queued', result: { aborted: true } },
      { id: 'kept', result: { aborted: false } },
    ]);
    expect(started).toEqual(['running', 'queued', 'kept']);
  });

  it('numbers server requests 0, 1, 2… and settles each with the answer that names its id', async () => {
    const { connection, client } = connect();
    const first = connection.request('item/tool/call', { a: 1 });
    const second = connection.request('item/tool/call', { a: 2 });
    expect([first.id, second.id]).toEqual([0, 1]);
    expect(await next(client, 2)).toEqual([
      { id: 0, method: 'item/tool/call', params: { a: 1 } },
      { id: 1, method: 'item/tool/call', params: { a: 2 } },
    ]);
    // An answer naming "0" (a string) is no answer to 0; one naming no open request is ignored.
    client.send({ id: '0', result: 'wrong type' });
    client.send({ id: 9, result: 'nobody asked' });
    client.send({ id: 1, error: { code: 7, message: 'declined', data: { why: 'no' } } });
    client.send({ id: 0, result: { ok: true } });
    expect(await Promise.allSettled([first.answer, second.answer])).toEqual([
      { status: 'fulfilled', value: { ok: true } },
      { status: 'rejected', reason: new RpcError(7, 'declined', { why: 'no' }) },
    ]);
  });

  it('rejects the server requests still waiting, and any asked after, with ConnectionGone once it closes', async () => {
    const { connection } = connect();
    const waiting = connection.request('item/tool/call', {});
    connection.close();
    const after = connection.request('item/tool/call', {});
    const [gone, goneAfter] = await Promise.allSettled([waiting.answer, after.answer]);
    expect([gone, goneAfter].map((outcome) => outcome.status === 'rejected' && outcome.reason instanceof ConnectionGone)).toEqual([true, true]);
    expect(after.id).toBe(1);
  });

  it("writes a request's response before the work it left for after the response, and runs that work once closed too", async () => {
    const ran: string[] = [];
    const { connection, client } = connect({
      request: ({ method, afterResponse }, connection) => {
        connection.notify('before', { method }, EMITTED_AT);
        afterResponse(() => {
          ran.push(method);
          connection.notify('after', { method }, EMITTED_AT);
        });
        return Promise.resolve('done');
      },
    });
    client.send({ id: 1, method: 'turn/start' });
    expect(await next(client, 3)).toEqual([
      { method: 'before', params: { method: 'turn/start' }, emittedAtMs: EMITTED_AT },
      { id: 1, result: 'done' },
      { method: 'after', params: { method: 'turn/start' }, emittedAtMs: EMITTED_AT },
    ]);
    // A request still running when the connection closes goes unanswered, but its follow-up runs.
    let finish!: () => void;
    const { connection: closing, client: leaving } = connect({
      request: ({ afterResponse }) =>
        new Promise((resolve) => {
          afterResponse(() => ran.push('after close'));
          finish = () => resolve('unheard');
        }),
    });
    leaving.send({ id: 2, method: 'slow' });
    await new Promise((resolve) => setImmediate(resolve));
    closing.close();
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['turn/start', 'after close']);
    expect(leaving.texts).toEqual([]);
    void connection;
  });

  it('dispatches one message per turn of the event loop, in order: a request sees what the one before it set up', async () => {
    let opened = false;
    const { client } = connect({
      request: async ({ method }) => {
        if (method === 'initialize') {
          await Promise.resolve();
          opened = true;
        }
        return { opened };
      },
    });
    client.send({ id: 1, method: 'initialize' });
    client.send({ id: 2, method: 'thread/list' });
    expect(await next(client, 2)).toEqual([
      { id: 1, result: { opened: true } },
      { id: 2, result: { opened: true } },
    ]);
  });

  describe('dialects', () => {
    /** Serves one request and sends one notification, one server request and one error answer; returns the texts written. */
    async function exchange(dialect: Dialect, request: Record<string, unknown>): Promise<string[]> {
      const { connection, client } = connect({
        dialect,
        request: ({ method }) => (method === 'fail' ? Promise.reject(RpcErrors.domain('no such thread')) : Promise.resolve({ ok: true })),
      });
      client.send(request);
      client.send({ ...request, id: 2, method: 'fail' });
      await next(client, 2);
      connection.notify('turn/started', { turnId: 't' }, EMITTED_AT, 4);
      connection.notify('account/updated', { plan: null }, EMITTED_AT);
      void connection.request('item/tool/call', { a: 1 }).answer.catch(() => {});
      await next(client, 3);
      connection.close();
      return client.texts;
    }

    it("Codex's: no jsonrpc member; notifications stamped with emittedAtMs (and seq when given); input read with or without jsonrpc", async () => {
      for (const request of [{ id: 1, method: 'x' }, { jsonrpc: '2.0', id: 1, method: 'x' }]) {
        expect(await exchange(codexDialect, request)).toEqual([
          '{"id":1,"result":{"ok":true}}',
          '{"id":2,"error":{"code":-32600,"message":"no such thread"}}',
          `{"method":"turn/started","params":{"turnId":"t"},"emittedAtMs":${EMITTED_AT},"seq":4}`,
          `{"method":"account/updated","params":{"plan":null},"emittedAtMs":${EMITTED_AT}}`,
          '{"id":0,"method":"item/tool/call","params":{"a":1}}',
        ]);
      }
    });

    it('JSON-RPC 2.0: "jsonrpc":"2.0" on every message, no emittedAtMs or seq', async () => {
      expect(await exchange(jsonRpc2Dialect, { jsonrpc: '2.0', id: 1, method: 'x' })).toEqual([
        '{"jsonrpc":"2.0","id":1,"result":{"ok":true}}',
        '{"jsonrpc":"2.0","id":2,"error":{"code":-32600,"message":"no such thread"}}',
        '{"jsonrpc":"2.0","method":"turn/started","params":{"turnId":"t"}}',
        '{"jsonrpc":"2.0","method":"account/updated","params":{"plan":null}}',
        '{"jsonrpc":"2.0","id":0,"method":"item/tool/call","params":{"a":1}}',
      ]);
    });

    it('JSON-RPC 2.0 answers a message without "jsonrpc":"2.0" with -32600', async () => {
      const { client } = connect({ dialect: jsonRpc2Dialect });
      client.send({ id: 1, method: 'x' });
      client.send({ jsonrpc: '1.0', method: 'note' });
      expect(client.texts).toEqual([]);
      expect(await next(client, 2)).toEqual([
        { jsonrpc: '2.0', id: 1, error: { code: -32600, message: 'Invalid request: "jsonrpc" must be "2.0"' } },
        { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request: "jsonrpc" must be "2.0"' } },
      ]);
    });
  });

  it('answers a message too long to read with -32600 and id null', async () => {
    const { server, client } = channelPair('test');
    const connection = new RpcConnection(new OutputWriter(server), { request: () => Promise.resolve(null), notification: () => {} }, pino({ level: 'silent' }));
    server.listen({ message: (text) => connection.receive(text), oversize: (maxBytes) => connection.oversize(maxBytes), end: () => {} });
    connection.oversize(64);
    expect(await next(client, 1)).toEqual([
      { id: null, error: { code: -32600, message: 'Invalid request: line longer than the maximum of 64 bytes; discarded unread', data: { maxLineBytes: 64 } } },
    ]);
  });
});
