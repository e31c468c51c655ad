// Delays between restarts of a server that keeps dying: 1 s, 2 s, 4 s … capped at 30 s, back to
// 1 s once a restart has stayed ready for a while (a crash a day is not a crash loop).

export interface RestartBackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Ready this long before the next crash: the delays start over. */
  resetAfterMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoffOptions = { initialMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

export class RestartBackoff {
  private readonly options: RestartBackoffOptions;
  private attempts = 0;
  private readySince: number | null = null;

  constructor(options: Partial<RestartBackoffOptions> = {}, private readonly now: () => number = Date.now) {
    this.options = { ...DEFAULT_RESTART_BACKOFF, ...options };
  }

  markReady(): void {
    this.readySince = this.now();
  }

  /** The delay before the next restart, after a crash or a failed restart. */
  nextDelay(): number {
    if (this.readySince !== null && this.now() - this.readySince >= this.options.resetAfterMs) this.attempts = 0;
    this.readySince = null;
    const delay = Math.min(this.options.initialMs * 2 ** this.attempts, this.options.maxMs);
    this.attempts++;
    return delay;
  }
}
