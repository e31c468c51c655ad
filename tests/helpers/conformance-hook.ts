// Vitest setup file: after each test, stop the Keel processes it left running (so their last lines
// are read and checked too), then fail the test if any line Keel wrote broke the protocol.
import { afterEach } from 'vitest';
import { formatViolations, takeViolations } from './conformance.js';
import { stopAllKeel } from './keel-process.js';

afterEach(async () => {
  await stopAllKeel();
  const violations = takeViolations();
  if (violations.length > 0) {
    throw new Error(`Keel broke the protocol ${violations.length} time(s) during this test:\n${formatViolations(violations)}`);
  }
});
