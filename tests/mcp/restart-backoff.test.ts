import { describe, expect, it } from 'vitest';
import { RestartBackoff } from '../../src/mcp/restart-backoff.js';

describe('RestartBackoff', () => {
  it('doubles up to the cap and starts over after a long enough ready spell', () => {
    let now = 0;
    const backoff = new RestartBackoff({ initialMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 }, () => now);
    backoff.markReady();
    const delays = Array.from({ length: 7 }, () => backoff.nextDelay());
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    backoff.markReady();
    now += 59_999;
    expect(backoff.nextDelay()).toBe(30_000);
    backoff.markReady();
    now += 60_000;
    expect(backoff.nextDelay()).toBe(1_000);
  });
});
