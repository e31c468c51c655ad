// The conformance engine must catch what it claims to: each bad line yields exactly these rules.
import { afterEach, describe, expect, it } from 'vitest';
import { checkServerMessage, takeViolations, type MessageContext } from '../helpers/conformance.js';

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
