// A vitest reporter that prints one line at the end of the run: how many test files ran, how
// many tests by state, and the wall time of the vitest process (build and setup included). The suite's speed is a promise
// (issue 23: `npm test` in half the time with no fewer behaviours covered), so every run shows
// the two numbers that promise is checked against, side by side.
import type { Reporter, TestModule } from 'vitest/node';

export default class RunCountsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const states = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) states[test.result().state] += 1;
    }
    const tests = states.passed + states.failed + states.skipped + states.pending;
    const wallS = process.uptime().toFixed(1);
    console.log(
      `suite counts: ${testModules.length} files, ${tests} tests (${states.passed} passed, ${states.failed} failed, ${states.skipped} skipped); wall ${wallS} s`,
    );
  }
}
