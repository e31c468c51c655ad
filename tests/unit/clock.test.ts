// The one clock Keel's timers read (src/kernel/clock.ts), and the manual clock tests advance by hand.
import { describe, expect, it } from 'vitest';
import { realClock } from '../../src/kernel/clock.js';
import { manualClock } from '../helpers/manual-clock.js';

describe('realClock', () => {
  it('fires a timer through Node and cancels one that has not fired', async () => {
    const fired: string[] = [];
    const cancelled = realClock.setTimeout(() => fired.push('cancelled'), 0);
    realClock.clearTimeout(cancelled);
    await new Promise<void>((resolve) => realClock.setTimeout(() => (fired.push('fired'), resolve()), 0, { unref: true }));
    expect(fired).toEqual(['fired']);
    realClock.clearTimeout(undefined);
  });
});

describe('manualClock', () => {
  it('fires due timers in due order, each at its own moment, and none before its time', () => {
    const clock = manualClock(1_000);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['a2', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['late', clock.now()]), 500);
    clock.advance(250);
    expect({ fired, now: clock.now(), pending: clock.pending() }).toEqual({
      fired: [['a', 1_100], ['a2', 1_100], ['b', 1_200]],
      now: 1_250,
      pending: 1,
    });
  });

  it('fires a timer set by a firing timer when it falls due in the same advance, and never a cleared one', () => {
    const clock = manualClock();
    const fired: number[] = [];
    const cleared = clock.setTimeout(() => fired.push(-1), 10);
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 30);
    }, 20);
    clock.clearTimeout(cleared);
    clock.advance(60);
    expect({ fired, pending: clock.pending() }).toEqual({ fired: [20, 50], pending: 0 });
  });
});
