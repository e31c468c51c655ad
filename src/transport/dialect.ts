// How a connection spells its outgoing messages. Codex's app-server speaks a JSON-RPC without the
// "jsonrpc" member and stamps each notification with the time of the event it reports; later
// endpoints (ACP) speak JSON-RPC 2.0 proper. Incoming messages are read alike in both: the
// "jsonrpc" member is not needed, as Codex does not send it (see RpcConnection for what 2.0 asks).
import type { WireId } from './classify-line.js';

export interface Dialect {
  name: 'codex' | 'jsonrpc-2.0';
  /** Whether an incoming message must carry `"jsonrpc": "2.0"`. */
  requiresVersion: boolean;
  /** `seq` (Keel's): the thread's event sequence number, on notifications about a thread. */
  notification(method: string, params: unknown, emittedAtMs: number, seq: number | undefined): string;
  request(id: number, method: string, params: unknown): string;
  result(id: WireId, result: unknown): string;
  error(id: WireId | null, error: unknown): string;
}

/**
 * Encodes notifications, keeping the last one: a thread's notification goes to each of its
 * subscribers in turn with the same params object, so the second connection on is not encoded again.
 */
function cachedNotifications(encode: (method: string, params: unknown, emittedAtMs: number, seq: number | undefined) => string): Dialect['notification'] {
  let last: { method: string; params: unknown; emittedAtMs: number; seq: number | undefined; text: string } | null = null;
  return (method, params, emittedAtMs, seq) => {
    if (last !== null && last.params === params && last.method === method && last.emittedAtMs === emittedAtMs && last.seq === seq) return last.text;
    const text = encode(method, params, emittedAtMs, seq);
    // Only objects are shared by identity; a primitive or absent params is cheap to encode again.
    last = typeof params === 'object' && params !== null ? { method, params, emittedAtMs, seq, text } : null;
    return text;
  };
}

export const codexDialect: Dialect = {
  name: 'codex',
  requiresVersion: false,
  notification: cachedNotifications((method, params, emittedAtMs, seq) =>
    JSON.stringify(seq === undefined ? { method, params, emittedAtMs } : { method, params, emittedAtMs, seq }),
  ),
  request: (id, method, params) => JSON.stringify({ id, method, params }),
  result: (id, result) => JSON.stringify({ id, result: result ?? null }),
  error: (id, error) => JSON.stringify({ id, error }),
};

/** JSON-RPC 2.0 as written: every message says its version; no timestamps or sequence numbers. */
export const jsonRpc2Dialect: Dialect = {
  name: 'jsonrpc-2.0',
  requiresVersion: true,
  notification: cachedNotifications((method, params) => JSON.stringify({ jsonrpc: '2.0', method, params })),
  request: (id, method, params) => JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  result: (id, result) => JSON.stringify({ jsonrpc: '2.0', id, result: result ?? null }),
  error: (id, error) => JSON.stringify({ jsonrpc: '2.0', id, error }),
};
