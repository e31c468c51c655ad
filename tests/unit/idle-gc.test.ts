// kernel/idle-gc: one full collection a moment after Keel goes idle, through the gc() Node exposes
// with --expose-gc (the launcher's shebang, the daemon's spawn); without it, nothing — V8's flags
// are not flipped at run time. Virtual time: the delay is the module's, not the test's.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectWhenIdle } from '../../src/kernel/idle-gc.js';

const original = (globalThis as { gc?: () => void }).gc;
let collections: number;

beforeEach(() => {
  vi.useFakeTimers();
  collections = 0;
  (globalThis as { gc?: () => void }).gc = () => void collections++;
});
afterEach(() => {
  vi.useRealTimers();
  (globalThis as { gc?: () => void }).gc = original;
});

describe('collectWhenIdle', () => {
  it('collects once, after the delay, when still idle then; a later call replaces an earlier one', () => {
    collectWhenIdle(() => true, 300);
    vi.advanceTimersByTime(200);
    collectWhenIdle(() => true, 300);
    vi.advanceTimersByTime(299);
    const beforeDue = collections;
    vi.advanceTimersByTime(1);
    expect({ beforeDue, after: collections }).toEqual({ beforeDue: 0, after: 1 });
  });

  it('skips the collection when work resumed in the meantime', () => {
    collectWhenIdle(() => false, 300);
    vi.advanceTimersByTime(1_000);
    expect(collections).toBe(0);
  });

  it('does nothing where Node exposes no gc(): no timer, no flag flipped', () => {
    delete (globalThis as { gc?: () => void }).gc;
    collectWhenIdle(() => true, 300);
    expect({ timers: vi.getTimerCount(), gc: typeof (globalThis as { gc?: unknown }).gc }).toEqual({ timers: 0, gc: 'undefined' });
  });
});
