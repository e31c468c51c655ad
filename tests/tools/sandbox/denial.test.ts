// The keyword heuristic that says a sandboxed command's failure looks like the sandbox's doing.
import { describe, expect, it } from 'vitest';
import { looksDeniedBySandbox } from '../../../src/tools/sandbox/denial.js';

describe('looksDeniedBySandbox', () => {
  it('says yes to the refusals a read-only mount, dropped capabilities or a cut network give', () => {
    const outputs = [
      "touch: cannot touch '/etc/x': Read-only file system",
      'bash: /work/x: Permission denied',
      'mount: /: Operation not permitted',
      "Error: EROFS: read-only file system, open '/usr/x'",
      'curl: (6) Could not resolve host: example.com',
      'ping: connect: Network is unreachable',
      'ssh: Could not resolve hostname github.com: Temporary failure in name resolution',
    ];
    expect(outputs.map((output) => looksDeniedBySandbox(1, output))).toEqual(outputs.map(() => true));
  });

  it('says no to success, ordinary failures, and a command not found or not executable', () => {
    expect([
      looksDeniedBySandbox(0, 'Permission denied'),
      looksDeniedBySandbox(1, 'FAIL tests/a.test.ts: expected 1 to be 2'),
      looksDeniedBySandbox(127, 'bash: foo: command not found'),
      looksDeniedBySandbox(126, 'bash: ./run.sh: Permission denied'),
    ]).toEqual([false, false, false, false]);
  });

  it('counts a refused connection only when the sandbox cut the network', () => {
    const output = 'curl: (7) Failed to connect to 127.0.0.1 port 3000: Connection refused';
    expect([looksDeniedBySandbox(7, output), looksDeniedBySandbox(7, output, { networkBlocked: true })]).toEqual([false, true]);
  });

  it('counts a command a signal ended (no exit code) by its output', () => {
    expect(looksDeniedBySandbox(null, 'Read-only file system')).toBe(true);
  });
});
