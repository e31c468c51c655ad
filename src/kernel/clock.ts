// The one clock Keel's timers read: the turn watchdog, the model stream's idle timer, the retry
// backoff, the wait on a client's answer (approvals, user input, client tools) and the slow-client
// stall. The composition root passes one down (KeelOptions.clock); tests pass a clock they advance
// by hand, so a ten-minute approval timeout is checked in no time and never races the machine.
export type TimerHandle = { readonly timer: unknown };

export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
  /** Calls `fire` once, `ms` from now; the handle cancels it. `unref`: the timer alone does not keep the process alive. */
  setTimeout(fire: () => void, ms: number, options?: { unref?: boolean }): TimerHandle;
  /** Cancels a timer not yet fired; a fired, cancelled or absent one is ignored. */
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The machine's clock: Date.now and Node's timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fire, ms, options) => {
    const timer = setTimeout(fire, ms);
    if (options?.unref === true) timer.unref();
    return { timer };
  },
  clearTimeout: (handle) => {
    if (handle !== undefined) clearTimeout(handle.timer as NodeJS.Timeout);
  },
};
