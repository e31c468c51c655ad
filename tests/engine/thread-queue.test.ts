// Commands on one thread run in arrival order, one at a time, even across awaits; other threads
// do not wait; a failed command does not stop the ones behind it.
import { describe, expect, it } from 'vitest';
import { ThreadQueue } from '../../src/engine/thread-queue.js';

describe('ThreadQueue', () => {
  it('serialises one thread, lets others through, and survives a failure', async () => {
    const queue = new ThreadQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
      return 1;
    });
    const failing = queue.run('a', () => {
      log.push('a2');
      throw new Error('refused');
    });
    const third = queue.run('a', () => (log.push('a3'), 3));
    const other = queue.run('b', () => (log.push('b1'), 'b'));

    expect(await other).toBe('b');
    expect(log).toEqual(['a1 start', 'b1']);
    release();
    expect(await first).toBe(1);
    await expect(failing).rejects.toThrow('refused');
    expect(await third).toBe(3);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2', 'a3']);
    expect(queue.busyThreads()).toBe(0);
  });
});
