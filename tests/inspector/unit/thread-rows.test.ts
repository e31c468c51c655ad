// The thread list's rows under live notifications, and its badge and time texts.
import { describe, expect, it } from 'vitest';
import type { Thread } from '../../../generated/protocol.js';
import { appendPage, applyNotification, relativeTime, statusLabel, threadTitle, type ThreadRow } from '../../../clients/web/src/threads/thread-rows.js';

function thread(id: string, extra: Partial<Thread> = {}): Thread {
  return { id, preview: `preview ${id}`, name: null, status: { type: 'idle' }, ephemeral: false, model: 'm', updatedAt: 0, createdAt: 0, ...extra } as Thread;
}
const rows: ThreadRow[] = [{ thread: thread('a') }, { thread: thread('b') }];
const at = { emittedAtMs: 0 };

describe('thread rows', () => {
  it('puts a started thread on top, unless searching or ephemeral', () => {
    const started = { method: 'thread/started', params: { thread: thread('c') }, ...at } as const;
    expect(applyNotification(rows, started, false).map((row) => row.thread.id)).toEqual(['c', 'a', 'b']);
    expect(applyNotification(rows, started, true)).toBe(rows);
    expect(applyNotification(rows, { ...started, params: { thread: thread('d', { ephemeral: true }) } }, false)).toBe(rows);
  });

  it('changes a status and a name in place', () => {
    const active = applyNotification(rows, { method: 'thread/status/changed', params: { threadId: 'b', status: { type: 'active', activeFlags: [] } }, ...at }, false);
    expect(active.map((row) => statusLabel(row.thread.status))).toEqual(['idle', 'active']);
    const named = applyNotification(rows, { method: 'thread/name/updated', params: { threadId: 'a', threadName: 'Named' }, ...at }, false);
    expect(named.map((row) => threadTitle(row.thread))).toEqual(['Named', 'preview b']);
  });

  it('drops archived and deleted threads; ignores unknown ones', () => {
    expect(applyNotification(rows, { method: 'thread/archived', params: { threadId: 'a' }, ...at }, false).map((row) => row.thread.id)).toEqual(['b']);
    expect(applyNotification(rows, { method: 'thread/deleted', params: { threadId: 'b' }, ...at }, false).map((row) => row.thread.id)).toEqual(['a']);
    expect(applyNotification(rows, { method: 'thread/archived', params: { threadId: 'z' }, ...at }, false)).toBe(rows);
  });

  it('appends a page without repeating a thread', () => {
    expect(appendPage(rows, [{ thread: thread('b') }, { thread: thread('c') }]).map((row) => row.thread.id)).toEqual(['a', 'b', 'c']);
  });

  it('labels every status', () => {
    const labels = [{ type: 'idle' }, { type: 'notLoaded' }, { type: 'systemError' }, { type: 'active', activeFlags: [] }, { type: 'active', activeFlags: ['waitingOnApproval'] }, { type: 'active', activeFlags: ['waitingOnUserInput'] }] as const;
    expect(labels.map((status) => statusLabel(status as Thread['status']))).toEqual(['idle', 'not loaded', 'system error', 'active', 'waiting for approval', 'waiting for input']);
  });

  it('says how long ago', () => {
    const now = 1_000_000_000_000;
    expect([5, 125, 7200, 172_800].map((ago) => relativeTime(now / 1000 - ago, now))).toEqual(['5 s ago', '2 min ago', '2 h ago', '2 d ago']);
  });
});
