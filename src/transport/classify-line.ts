// Decides what one input line (or WebSocket frame) is: a JSON-RPC message to hand to the
// connection, a line to answer with an error right away, or blank filler to skip.
import { RpcErrors, type RpcError } from '../protocol/errors.js';

export type WireId = string | number;

/**
 * A message as read, once it has the shape of one: a request (method and id), a notification
 * (method, no id) or a response (id, with result or error). Fields are kept as the client sent them.
 */
export interface Message {
  jsonrpc?: unknown;
  id?: WireId | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

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

/**
 * How deep a message may nest arrays and objects, the message itself being the first level: Codex
 * reads JSON with serde_json, which stops at 128. Deeper, Keel's recursive validation would
 * overflow the stack and the request could only be answered "Internal error".
 */
export const MAX_NESTING = 128;

/** Whether `value` nests deeper than `max` levels; walked with a stack of its own, not recursion. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[object, number]> = [];
  if (typeof value === 'object' && value !== null) pending.push([value, 1]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
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
  if (nestedDeeperThan(parsed, MAX_NESTING)) {
    return { kind: 'reject', id, error: RpcErrors.invalidRequest(`nested deeper than ${MAX_NESTING} levels`) };
  }
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
