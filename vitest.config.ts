import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds dist/ once per run, so e2e tests always drive the current source; the reliability
    // suite's summary line is printed at the end.
    globalSetup: ['tests/helpers/build-once.ts', 'tests/reliability/summary-setup.ts'],
    // Fails any test during which Keel wrote a line that breaks the protocol.
    setupFiles: ['tests/helpers/conformance-hook.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
