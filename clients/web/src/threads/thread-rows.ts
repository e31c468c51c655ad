// The thread list's rows as data, and how each live notification changes them: pure functions,
// so the list component only fetches pages and keeps the result.
import type { Thread, ThreadStatus } from '../../../../generated/protocol.js';
import type { Notification } from '../../../typescript/keel-connection.js';

/** A listed thread, with the search snippet when it came from thread/search. */
export interface ThreadRow {
  thread: Thread;
  snippet?: string;
}

/** The badge text for a status (the accessible-names contract). */
export function statusLabel(status: ThreadStatus): string {
  switch (status.type) {
    case 'idle':
      return 'idle';
    case 'notLoaded':
      return 'not loaded';
    case 'systemError':
      return 'system error';
    case 'active':
      if (status.activeFlags.includes('waitingOnApproval')) return 'waiting for approval';
      if (status.activeFlags.includes('waitingOnUserInput')) return 'waiting for input';
      return 'active';
  }
}

/** What a row's button says first: the thread's name, else its preview (a thread without either: "New thread" and its id). */
export function threadTitle(thread: Thread): string {
  return thread.name ?? (thread.preview.trim() || `New thread ${thread.id.slice(0, 8)}`);
}

/** "5 s ago", "3 min ago", "2 h ago", "4 d ago", or the date; `at` in seconds (the wire's unit). */
export function relativeTime(atSeconds: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round(nowMs / 1000 - atSeconds));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  if (seconds < 30 * 86_400) return `${Math.floor(seconds / 86_400)} d ago`;
  return new Date(atSeconds * 1000).toISOString().slice(0, 10);
}

/** Appends a page, skipping threads already listed (a thread started live may reappear in a later page). */
export function appendPage(rows: readonly ThreadRow[], page: readonly ThreadRow[]): ThreadRow[] {
  const seen = new Set(rows.map((row) => row.thread.id));
  return [...rows, ...page.filter((row) => !seen.has(row.thread.id))];
}

/**
 * The rows after a notification; the same array when it changes nothing. Archived and deleted
 * threads leave the list (it lists unarchived threads); an unarchived one is not refetched here:
 * the caller reloads. `searching`: a started thread is only added to the unfiltered list.
 */
export function applyNotification(rows: readonly ThreadRow[], notification: Notification, searching: boolean): readonly ThreadRow[] {
  const update = (threadId: string, change: (thread: Thread) => Thread) => {
    const index = rows.findIndex((row) => row.thread.id === threadId);
    if (index < 0) return rows;
    const next = [...rows];
    next[index] = { ...rows[index]!, thread: change(rows[index]!.thread) };
    return next;
  };
  switch (notification.method) {
    case 'thread/started': {
      const { thread } = notification.params;
      if (searching || thread.ephemeral) return rows;
      return [{ thread }, ...rows.filter((row) => row.thread.id !== thread.id)];
    }
    case 'thread/status/changed':
      return update(notification.params.threadId, (thread) => ({ ...thread, status: notification.params.status }));
    case 'thread/name/updated':
      return update(notification.params.threadId, (thread) => ({ ...thread, name: notification.params.threadName }));
    case 'thread/archived':
    case 'thread/deleted':
      return rows.some((row) => row.thread.id === notification.params.threadId) ? rows.filter((row) => row.thread.id !== notification.params.threadId) : rows;
    default:
      return rows;
  }
}
