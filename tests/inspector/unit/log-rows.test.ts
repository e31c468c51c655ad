// The raw log's rows: kinds, answers named by the request they answer (each direction's ids kept
// apart), thread ids, filters and the JSONL export.
import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../../clients/typescript/keel-connection.js';
import { filterRows, LogIndex, threadIdsOf, toJsonl } from '../../../clients/web/src/log/log-rows.js';

const log: WireMessage[] = [
  { direction: 'out', atMs: 1, message: { id: 1, method: 'thread/start', params: {} } },
  { direction: 'in', atMs: 2, message: { id: 1, method: 'item/commandExecution/requestApproval', params: { threadId: 't2', itemId: 'i' } } },
  { direction: 'in', atMs: 3, message: { id: 1, result: { thread: { id: 't1' } } } },
  { direction: 'out', atMs: 4, message: { id: 1, result: { decision: 'accept' } } },
  { direction: 'in', atMs: 5, message: { method: 'item/agentMessage/delta', params: { threadId: 't1', delta: 'Hi' } } },
  { direction: 'out', atMs: 6, message: { id: 2, method: 'thread/list', params: { limit: 'x' } } },
  { direction: 'in', atMs: 7, message: { id: 2, error: { code: -32602, message: 'limit: expected an integer' } } },
];

describe('raw log rows', () => {
  it('names each answer by the request it answers (per direction) and gives it that thread', () => {
    const rows = new LogIndex().describe(log);
    expect(rows.map(({ key, entry: _entry, ...rest }) => ({ key, ...rest }))).toEqual([
      { key: 0, kind: 'request', method: 'thread/start', threadId: null, summary: '{}' },
      { key: 1, kind: 'server request', method: 'item/commandExecution/requestApproval', threadId: 't2', summary: '{"itemId":"i"}' },
      { key: 2, kind: 'response', method: 'thread/start', threadId: 't1', summary: '{"thread":{"id":"t1"}}' },
      { key: 3, kind: 'response', method: 'item/commandExecution/requestApproval', threadId: 't2', summary: '{"decision":"accept"}' },
      { key: 4, kind: 'notification', method: 'item/agentMessage/delta', threadId: 't1', summary: '{"delta":"Hi"}' },
      { key: 5, kind: 'request', method: 'thread/list', threadId: null, summary: '{"limit":"x"}' },
      { key: 6, kind: 'error', method: 'thread/list', threadId: null, summary: '-32602 limit: expected an integer' },
    ]);
  });

  it('describes each entry once, so a capped log keeps its rows and keys', () => {
    const index = new LogIndex();
    const first = index.describe(log.slice(0, 3));
    const later = index.describe(log.slice(2));
    expect(later[0]).toBe(first[2]);
    expect(later.map((row) => row.key)).toEqual([2, 3, 4, 5, 6]);
  });

  it('filters by method substring (answers included), thread and direction, and exports JSONL', () => {
    const rows = new LogIndex().describe(log);
    expect(filterRows(rows, { method: 'thread/', threadId: null, direction: 'all' }).map((row) => row.entry.atMs)).toEqual([1, 3, 6, 7]);
    expect(filterRows(rows, { method: '', threadId: 't1', direction: 'in' }).map((row) => row.entry.atMs)).toEqual([3, 5]);
    expect(filterRows(rows, { method: '', threadId: 't2', direction: 'all' }).map((row) => row.entry.atMs)).toEqual([2, 4]);
    expect(filterRows(rows, { method: ' list ', threadId: null, direction: 'out' }).map((row) => row.entry.atMs)).toEqual([6]);
    expect(threadIdsOf(rows)).toEqual(['t2', 't1']);
    expect(toJsonl(filterRows(rows, { method: 'thread/list', threadId: null, direction: 'all' }))).toBe(
      '{"id":2,"method":"thread/list","params":{"limit":"x"}}\n{"id":2,"error":{"code":-32602,"message":"limit: expected an integer"}}\n',
    );
  });
});
