import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel, testClientInfo, type IncomingMessage } from '../helpers/keel-process.js';

const invalidRequest = (message: string) => ({ code: -32600, message: `Invalid request: ${message}` });
const notAnObject = invalidRequest('a message must be a JSON object');
const badId = invalidRequest('"id" must be a string or an integer');

// Each line is sent to an initialized server; `answer` is the whole message it must get back.
const badLines: Array<{ name: string; line: string; answer: IncomingMessage }> = [
  {
    name: 'malformed JSON',
    line: '{"id":1,"method":',
    answer: { id: null, error: { code: -32700, message: expect.stringMatching(/^Parse error: /) } },
  },
  { name: 'a JSON array', line: '[{"id":1,"method":"initialize"}]', answer: { id: null, error: notAnObject } },
  { name: 'a JSON number', line: '42', answer: { id: null, error: notAnObject } },
  { name: 'a float id', line: '{"id":1.5,"method":"server/diagnostics","params":{}}', answer: { id: null, error: badId } },
  { name: 'a null id', line: '{"id":null,"method":"server/diagnostics","params":{}}', answer: { id: null, error: badId } },
  {
    name: 'an id with neither method nor result',
    line: '{"id":9}',
    answer: {
      id: 9,
      error: invalidRequest('a message needs "method" (request or notification) or "id" with "result"/"error" (response)'),
    },
  },
  { name: 'a non-string method', line: '{"id":3,"method":5}', answer: { id: 3, error: invalidRequest('"method" must be a string') } },
  {
    name: 'an unknown method',
    line: '{"id":4,"method":"bogus","params":{}}',
    answer: { id: 4, error: { code: -32601, message: 'Method not found: bogus' } },
  },
  {
    name: 'a Codex method Keel does not serve',
    line: '{"id":5,"method":"thread/realtime/start","params":{}}',
    answer: { id: 5, error: { code: -32601, message: 'Method not supported by Keel: thread/realtime/start' } },
  },
];

describe('bad input gets an error answer and the server keeps serving', () => {
  it.each(badLines)('$name', async ({ line, answer }) => {
    const keel = spawnKeel();
    await initialized(keel, { experimentalApi: true });
    keel.sendLine(line);
    expect(await keel.waitFor((message) => 'error' in message)).toEqual(answer);
    expect(await keel.request('server/diagnostics', {})).toMatchObject({ process: { id: keel.pid } });
  });

  it('answers a line over 64 MiB with -32600 (id null) without reading it, and serves the next request', async () => {
    const keel = spawnKeel();
    await initialized(keel, { experimentalApi: true });
    const maxLineBytes = 64 * 1024 * 1024;
    const start = '{"id":"huge","method":"thread/start","params":{"cwd":"';
    keel.sendLine(`${start}${'x'.repeat(maxLineBytes + 1 - start.length - 3)}"}}`);
    const tooLong = { code: -32600, message: `Invalid request: line longer than the maximum of ${maxLineBytes} bytes; discarded unread`, data: { maxLineBytes } };
    expect(await keel.waitFor((message) => 'error' in message, 30_000)).toEqual({ id: null, error: tooLong });
    expect(await keel.request('server/diagnostics', {}, 30_000)).toMatchObject({ process: { id: keel.pid } });
    expect(keel.messages.filter((message) => message.id === 'huge' || message.method === 'thread/started')).toEqual([]);
  }, 60_000);

  it('answers a request nested 100,000 levels deep with -32600 naming the limit (it was an Internal error), and serves the next one', async () => {
    const keel = spawnKeel();
    await initialized(keel, { experimentalApi: true });
    const levels = 100_000;
    keel.sendLine(`{"id":"deep","method":"thread/start","params":{"config":{"a":${'['.repeat(levels)}${']'.repeat(levels)}}}}`);
    expect(await keel.response('deep')).toEqual({ id: 'deep', error: { code: -32600, message: 'Invalid request: nested deeper than 128 levels' } });
    expect(await keel.request('server/diagnostics', {})).toMatchObject({ process: { id: keel.pid } });
  });

  it('answers params of the wrong type with -32602 naming the field', async () => {
    const keel = spawnKeel();
    const answer = await keel.requestRaw({ id: 1, method: 'initialize', params: { clientInfo: { name: 42, version: '1' } } });
    const issue = { path: 'clientInfo.name', message: 'Invalid input: expected string, received number' };
    expect(answer).toEqual({
      id: 1,
      error: { code: -32602, message: `Invalid params: ${issue.path}: ${issue.message}`, data: { issues: [issue] } },
    });
    expect(await keel.request('initialize', { clientInfo: testClientInfo })).toMatchObject({ platformOs: 'linux' });
  });

  it('ignores unknown fields in params', async () => {
    const keel = spawnKeel();
    const answer = await keel.requestRaw({
      id: 1,
      method: 'initialize',
      params: {
        clientInfo: { ...testClientInfo, futureField: 'x' },
        capabilities: { experimentalApi: true, futureCapability: true },
        futureTopLevel: { nested: [1, 2] },
      },
    });
    expect(answer).toEqual({ id: 1, result: expect.objectContaining({ codexHome: keel.home }) });
    expect(await keel.request('server/diagnostics', {})).toMatchObject({ process: { id: keel.pid } });
  });
});
