// The conformance engine must catch what it claims to: each bad line yields exactly these rules.
import { afterEach, describe, expect, it } from 'vitest';
import { checkServerMessage, takeViolations, type MessageContext, type Violation } from '../helpers/conformance.js';
import type { IncomingMessage } from '../helpers/message-inbox.js';
import { takeServerLine, type ServerMessageCheck } from '../helpers/server-line.js';

const none: MessageContext = { requestMethod: undefined };
const init: MessageContext = { requestMethod: 'initialize' };
const initResult = { userAgent: 'keel/1', codexHome: '/h', platformFamily: 'unix', platformOs: 'linux' };

const rulesOf = (message: unknown, context: MessageContext) => checkServerMessage(message, context).map((v) => v.rule);

// Every case records violations on purpose; clear them so the setup file's check stays quiet.
afterEach(() => void takeViolations());

describe('checkServerMessage', () => {
  it.each<[string, unknown, MessageContext, string[]]>([
    ['a valid initialize result', { id: 1, result: initResult }, init, []],
    ['a valid experimental result', { id: 'x', result: { process: { id: 1 }, gauges: [] } }, { requestMethod: 'server/diagnostics' }, []],
    ['an error answer', { id: 'x', error: { code: -32601, message: 'Method not found: x' } }, none, []],
    ['an id-null error answer', { id: null, error: { code: -32700, message: 'Parse error' } }, none, []],
    ['a "jsonrpc" member', { jsonrpc: '2.0', id: 1, result: initResult }, init, ['wire']],
    ['a result missing a field', { id: 1, result: { ...initResult, platformOs: undefined } }, init, ['schema']],
    ['a gauge that is not an integer', { id: 1, result: { process: { id: 1 }, gauges: [{ name: 'g', value: 1.5 }] } }, { requestMethod: 'server/diagnostics' }, ['schema']],
    ['a result for an unknown id', { id: 7, result: {} }, none, ['wire']],
    ['a result for a method outside the table', { id: 7, result: {} }, { requestMethod: 'bogus' }, ['table']],
    ['both result and error', { id: 1, result: initResult, error: { code: 1, message: 'x' } }, init, ['wire']],
    ['an error with a string code', { id: 1, error: { code: '1', message: 'x' } }, none, ['schema']],
    ['an id-null error without message', { id: null, error: { code: 1 } }, none, ['schema']],
    ['a number instead of an object', 42, none, ['wire']],
    // Method names no table or schema will ever hold, so these cases do not move as Keel grows.
    ['a notification without emittedAtMs', { method: 'test/undeclared', params: {} }, none, ['wire', 'table', 'schema']],
    ['a notification with extra members', { method: 'test/undeclared', params: {}, emittedAtMs: 1, x: 1 }, none, ['wire', 'table', 'schema']],
    ['a server request with a string id', { id: 'a', method: 'test/undeclared', params: {} }, none, ['wire', 'table', 'schema']],
  ])('%s', (_name, message, context, rules) => {
    expect(rulesOf(message, context)).toEqual(rules);
  });
});

describe('takeServerLine (the harness reading one stdout line)', () => {
  const throwing: ServerMessageCheck = () => {
    throw new TypeError('checker bug');
  };
  const checkerThrew = (message: unknown): Violation => ({ rule: 'checker', detail: 'the conformance check threw TypeError: checker bug', message });

  it.each<[string, string, ServerMessageCheck, IncomingMessage[], Violation[]]>([
    ['a response whose check throws is still delivered', '{"id":1,"result":{}}', throwing, [{ id: 1, result: {} }], [checkerThrew({ id: 1, result: {} })]],
    [
      'a notification whose check throws is still delivered',
      '{"method":"x/y","params":{},"emittedAtMs":1}',
      throwing,
      [{ method: 'x/y', params: {}, emittedAtMs: 1 }],
      [checkerThrew({ method: 'x/y', params: {}, emittedAtMs: 1 })],
    ],
    ['a non-object whose check throws is recorded, not delivered', '42', throwing, [], [checkerThrew(42)]],
    ['a line that is not JSON never reaches the check', '{"id":', throwing, [], [{ rule: 'wire', detail: 'stdout line is not JSON', message: '{"id":' }]],
    ['a conforming answer, checked for real, is delivered without violations', JSON.stringify({ id: 1, result: initResult }), checkServerMessage, [{ id: 1, result: initResult }], []],
  ])('%s', (_name, line, check, delivered, violations) => {
    const inbox: IncomingMessage[] = [];
    takeServerLine(line, { requestMethodOf: (id) => (id === 1 ? 'initialize' : undefined), deliver: (message) => inbox.push(message) }, check);
    expect({ delivered: inbox, violations: takeViolations() }).toEqual({ delivered, violations });
  });

  it('checks a response against the method its request was sent with', () => {
    const contexts: MessageContext[] = [];
    const sink = { requestMethodOf: (id: string | number) => (id === 'a' ? 'thread/start' : undefined), deliver: () => {} };
    for (const line of ['{"id":"a","result":{}}', '{"id":"b","result":{}}', '{"id":"a","method":"m","params":{}}']) {
      takeServerLine(line, sink, (_message, context) => contexts.push(context));
    }
    expect(contexts).toEqual([{ requestMethod: 'thread/start' }, { requestMethod: undefined }, { requestMethod: undefined }]);
  });
});
