// The engine's signals (engine/signals.ts) as Codex notifications. A signal told to several
// sessions is the same object: its notification is built once and shared, so the JSONL writer
// encodes it once (it caches the last line by params identity).
import type { ServerNotification } from '../core/notification-types.js';
import { rateLimitSnapshot } from '../engine/rate-limit-book.js';
import type { Signal } from '../engine/signals.js';

let last: { signal: Signal; notification: ServerNotification } | null = null;

export function codexSignal(signal: Signal): ServerNotification {
  if (last !== null && last.signal === signal) return last.notification;
  const notification = render(signal);
  last = { signal, notification };
  return notification;
}

function render(signal: Signal): ServerNotification {
  switch (signal.type) {
    case 'threadStatus':
      return { method: 'thread/status/changed', params: { threadId: signal.threadId, status: signal.status } };
    case 'questionSettled':
      return { method: 'serverRequest/resolved', params: { threadId: signal.threadId, requestId: signal.requestId } };
    case 'warned':
      return { method: 'warning', params: { threadId: signal.threadId, message: signal.message } };
    case 'mcpServerStatus':
      return { method: 'mcpServer/startupStatus/updated', params: { threadId: null, name: signal.name, status: signal.status, error: signal.error, failureReason: null } };
    case 'rateLimits':
      return { method: 'account/rateLimits/updated', params: { rateLimits: rateLimitSnapshot(signal) } };
  }
}
