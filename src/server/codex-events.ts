// A thread's events on Codex's wire: the core codec (core/codec.ts) turns each event, with the
// states around it, into its notifications. Every session of a thread receives the same event
// objects in turn, so the last encoding is kept: the second session on reuses it (and the same
// params objects, which the JSONL writer's own cache then recognises: one JSON encoding per
// notification, however many connections hear it).
import { notificationsFor } from '../core/codec.js';
import type { KeelEvent } from '../core/events.js';
import type { ServerNotification } from '../core/notification-types.js';
import type { ThreadState } from '../core/state.js';

// Only the last event is kept (with its states, until the next event anywhere replaces it).
let last: { event: KeelEvent; before: ThreadState | undefined; after: ThreadState | undefined; notifications: readonly ServerNotification[] } | null = null;

export function codexNotifications(event: KeelEvent, before: ThreadState | undefined, after: ThreadState | undefined): readonly ServerNotification[] {
  const cached = last;
  if (cached !== null && cached.event === event && cached.before === before && cached.after === after) return cached.notifications;
  const notifications = notificationsFor(event, before, after);
  last = { event, before, after, notifications };
  return notifications;
}
