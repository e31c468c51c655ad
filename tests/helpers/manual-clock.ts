// A Clock (src/kernel/clock.ts) that moves only when the test says so: timers fire, in due order,
// inside advance(). Timeout tests run in virtual time with it — no waiting out a real timeout, and
// no race between the timer and the machine's load.
import type { Clock, TimerHandle } from '../../src/kernel/clock.js';

interface Pending {
  handle: TimerHandle;
  dueAt: number;
  /** Order of creation: timers due at the same moment fire in the order they were set. */
  order: number;
  fire: () => void;
}

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, firing every timer that falls due on the way, each at its own moment. */
  advance(ms: number): void;
  /** How many timers are set and not yet fired or cleared. */
  pending(): number;
}

export function manualClock(startMs = 0): ManualClock {
  let nowMs = startMs;
  let created = 0;
  const timers = new Set<Pending>();
  const nextDue = (until: number): Pending | undefined =>
    [...timers].filter((t) => t.dueAt <= until).sort((a, b) => a.dueAt - b.dueAt || a.order - b.order)[0];
  return {
    now: () => nowMs,
    setTimeout(fire, ms) {
      const handle: TimerHandle = { timer: created };
      timers.add({ handle, dueAt: nowMs + Math.max(0, ms), order: created++, fire });
      return handle;
    },
    clearTimeout(handle) {
      for (const t of timers) if (t.handle === handle) timers.delete(t);
    },
    advance(ms) {
      const until = nowMs + ms;
      // A timer may set another (a re-armed idle check): it fires too if it falls due in the window.
      for (let due = nextDue(until); due !== undefined; due = nextDue(until)) {
        timers.delete(due);
        nowMs = due.dueAt;
        due.fire();
      }
      nowMs = until;
    },
    pending: () => timers.size,
  };
}
