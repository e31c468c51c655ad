import { defineConfig } from 'vitest/config';
import RunCountsReporter from './tests/helpers/run-counts-reporter.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds dist/ once per run, so e2e tests always drive the current source; the reliability
    // suite's summary line is printed at the end.
    globalSetup: ['tests/helpers/build-once.ts', 'tests/reliability/summary-setup.ts'],
    // Fails any test during which Keel wrote a line that breaks the protocol.
    setupFiles: ['tests/helpers/conformance-hook.ts'],
    // Files, tests and wall time, printed after the run.
    reporters: ['default', new RunCountsReporter()],
    testTimeout: 20_000,
    // expect.poll waits for what a test expects (a row drawn, a request listed); vitest's 1 s default
    // is shorter than a browser round trip on two loaded cores, so it waits up to 15 s, still inside
    // a test's 20 s.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 20_000,
    pool: 'forks',
    // Most files wait on child processes (Keel, fake model servers, MCP servers) far more than they
    // compute, so more workers than the 2 cores keep the cores busy; measured in the commit message.
    maxWorkers: 4,
  },
});
