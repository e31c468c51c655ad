// Waiting for outcomes of real processes, never for time: a predicate polled until it holds, with
// a deadline that fails the test saying what it waited for.
import { expect } from 'vitest';
import { liveGroupMembers, readProcess } from '../../../src/tools/exec/process-group.js';

export async function waitUntil(what: string, holds: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Gone: kill(pid, 0) finds no such process, or only its exit status is left (a zombie its new parent has not reaped yet). */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  const state = readProcess(pid)?.state;
  return state === undefined || state === 'Z' || state === 'X';
}

/** Waits until group `pgid` has `count` running processes, and returns their pids. */
export async function groupOf(pgid: number, count: number): Promise<number[]> {
  await waitUntil(`group ${pgid} has ${count} running processes`, () => liveGroupMembers(pgid).length === count);
  return liveGroupMembers(pgid);
}

/** Asserts (waiting for it) that every one of `pids` is gone. */
export async function expectAllGone(pids: readonly number[]): Promise<void> {
  expect(pids.length).toBeGreaterThan(0);
  await waitUntil(`processes ${pids.join(', ')} are gone`, () => pids.every(isGone));
}

/** A collector for output callbacks, with a wait for text it should contain. */
export function outputCollector() {
  let text = '';
  return {
    onOutput: (chunk: string) => {
      text += chunk;
    },
    get text() {
      return text;
    },
    until: (needle: string | RegExp) =>
      waitUntil(`the output contains ${String(needle)} (so far: ${JSON.stringify(text.slice(-200))})`, () =>
        typeof needle === 'string' ? text.includes(needle) : needle.test(text),
      ),
  };
}
