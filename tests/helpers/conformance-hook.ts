// Vitest setup file: after each test, stop the Keel processes it left running (so their last lines
// are read and checked too), then fail the test if any line Keel wrote broke the protocol. It
// imports neither keel-process.ts nor conformance.ts: they leave their hooks on globalThis when a
// test file loads them, so a file that never starts Keel or checks a line pays nothing for them.
import { afterEach } from 'vitest';
import type { Violation } from './conformance.js';

interface Conformance {
  take(): Violation[];
  format(violations: readonly Violation[]): string;
}

const hooks = globalThis as Record<symbol, unknown>;

afterEach(async () => {
  const stopAllKeel = hooks[Symbol.for('keel.test.stopAllKeel')] as (() => Promise<void>) | undefined;
  await stopAllKeel?.();
  const conformance = hooks[Symbol.for('keel.test.conformance')] as Conformance | undefined;
  const violations = conformance?.take() ?? [];
  if (violations.length > 0) {
    throw new Error(`Keel broke the protocol ${violations.length} time(s) during this test:\n${conformance!.format(violations)}`);
  }
});
