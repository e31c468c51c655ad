// What the raw log shows of each wire message, worked out once per message: its kind, the method
// (an answer shows the method of the request it answers), the thread it is about and a one-line
// summary; then the filters and the JSONL export. Pure: no DOM, so it is unit-tested in Node.
import type { WireMessage } from '../../../typescript/keel-connection.js';

export type MessageKind = 'request' | 'response' | 'notification' | 'server request' | 'error';

export interface LogRow {
  /** Unique within its LogIndex, in arrival order: a stable key while the log grows and is cut. */
  key: number;
  entry: WireMessage;
  kind: MessageKind;
  /** The message's method, or for an answer the method of the request it answers ('' if unknown). */
  method: string;
  threadId: string | null;
  summary: string;
}

export interface LogFilter {
  /** Substring of the method (answers match by the method they answer). */
  method: string;
  /** A thread id, or null for all. */
  threadId: string | null;
  direction: 'all' | 'in' | 'out';
}

export const NO_FILTER: LogFilter = { method: '', threadId: null, direction: 'all' };

/**
 * Describes log entries as they come, remembering each request's method by direction and id so
 * the answer (which carries only the id) can name it. Rows are cached per entry, so describing a
 * capped log again costs a lookup per message, and the id maps see every message exactly once.
 */
export class LogIndex {
  private readonly rows = new WeakMap<WireMessage, LogRow>();
  /** `out:7` → request 7 this client sent (its method and thread); `in:3` → server request 3. */
  private readonly asked = new Map<string, { method: string; threadId: string | null }>();
  private described = 0;

  describe(log: readonly WireMessage[]): LogRow[] {
    return log.map((entry) => {
      let row = this.rows.get(entry);
      if (row === undefined) {
        row = { key: this.described++, ...this.describeOne(entry) };
        this.rows.set(entry, row);
      }
      return row;
    });
  }

  private describeOne(entry: WireMessage): Omit<LogRow, 'key'> {
    const message = entry.message;
    const hasId = message.id !== undefined && message.id !== null;
    if (message.method !== undefined) {
      const threadId = threadIdOf(message.params);
      if (hasId) this.asked.set(`${entry.direction}:${message.id}`, { method: message.method, threadId });
      const kind: MessageKind = !hasId ? 'notification' : entry.direction === 'in' ? 'server request' : 'request';
      return { entry, kind, method: message.method, threadId, summary: summarize(message.params) };
    }
    // An answer travels the other way from its request, and is about the request's thread unless it names its own.
    const key = `${entry.direction === 'in' ? 'out' : 'in'}:${message.id}`;
    const request = this.asked.get(key) ?? { method: '', threadId: null };
    this.asked.delete(key);
    if (message.error !== undefined) {
      return { entry, kind: 'error', method: request.method, threadId: request.threadId, summary: `${message.error.code} ${message.error.message}` };
    }
    return { entry, kind: 'response', method: request.method, threadId: threadIdOf(message.result) ?? request.threadId, summary: summarize(message.result) };
  }
}

/** `params.threadId`, `params.thread.id` or `result.thread.id`. */
export function threadIdOf(body: unknown): string | null {
  if (!isRecord(body)) return null;
  if (typeof body.threadId === 'string') return body.threadId;
  if (isRecord(body.thread) && typeof body.thread.id === 'string') return body.thread.id;
  return null;
}

/** The body's JSON on one line without the thread id (shown beside it), cut to `max` characters. */
export function summarize(body: unknown, max = 200): string {
  if (body === undefined) return '';
  const { threadId: _shown, ...rest } = isRecord(body) ? body : { threadId: null, body };
  const text = (isRecord(body) ? JSON.stringify(rest) : JSON.stringify(body)) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function filterRows(rows: readonly LogRow[], filter: LogFilter): LogRow[] {
  const method = filter.method.trim();
  return rows.filter(
    (row) =>
      (method === '' || row.method.includes(method)) &&
      (filter.threadId === null || row.threadId === filter.threadId) &&
      (filter.direction === 'all' || row.entry.direction === filter.direction),
  );
}

/** Every thread id the rows mention, in the order first seen. */
export function threadIdsOf(rows: readonly LogRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) if (row.threadId !== null) seen.add(row.threadId);
  return [...seen];
}

/** One JSON object per line, each message as it crossed the wire. */
export function toJsonl(rows: readonly LogRow[]): string {
  return rows.map((row) => `${JSON.stringify(row.entry.message)}\n`).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
