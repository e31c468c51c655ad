// Decides what one input line is: a JSON-RPC message to hand to the connection, a line to answer
// with an error right away (vscode-jsonrpc would only log it), or blank filler to skip.
import type { Message } from 'vscode-jsonrpc/node';
import { RpcErrors, type RpcError } from '../protocol/errors.js';

export type WireId = string | number;

export type LineVerdict =
  | { kind: 'message'; message: Message }
  | { kind: 'reject'; id: WireId | null; error: RpcError }
  | { kind: 'skip' };

function isWireId(value: unknown): value is WireId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function classifyLine(line: string): LineVerdict {
  if (line.trim() === '') return { kind: 'skip' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { kind: 'reject', id: null, error: RpcErrors.parse((error as Error).message) };
  }
  if (!isPlainObject(parsed)) {
    return { kind: 'reject', id: null, error: RpcErrors.invalidRequest('a message must be a JSON object') };
  }
  const id = isWireId(parsed.id) ? parsed.id : null;
  if ('method' in parsed) {
    if (typeof parsed.method !== 'string') {
      return { kind: 'reject', id, error: RpcErrors.invalidRequest('"method" must be a string') };
    }
    if ('id' in parsed && parsed.id !== undefined && !isWireId(parsed.id)) {
      return { kind: 'reject', id: null, error: RpcErrors.invalidRequest('"id" must be a string or an integer') };
    }
    return { kind: 'message', message: parsed as unknown as Message };
  }
  const answersRequest = 'result' in parsed || isPlainObject(parsed.error);
  if (answersRequest && (id !== null || parsed.id === null)) {
    return { kind: 'message', message: parsed as unknown as Message };
  }
  return {
    kind: 'reject',
    id,
    error: RpcErrors.invalidRequest('a message needs "method" (request or notification) or "id" with "result"/"error" (response)'),
  };
}
