// The text the model reads after exec_command / write_stdin: Codex's format, line for line.
import { describe, expect, it } from 'vitest';
import { formatExecOutput, type ExecOutputReport } from '../../../src/tools/exec/format-output.js';

describe('formatExecOutput', () => {
  it.each<[string, ExecOutputReport, number | undefined, string]>([
    [
      'a command that exited',
      { wallTimeMs: 1002.4, exitCode: 0, sessionId: null, output: 'hello\n' },
      undefined,
      'Wall time: 1.0024 seconds\nProcess exited with code 0\nOriginal token count: 2\nOutput:\nhello\n',
    ],
    [
      'a command still running',
      { wallTimeMs: 30002.5, exitCode: null, sessionId: 52328, output: '[translate] chunk 1/27\n' },
      undefined,
      'Wall time: 30.0025 seconds\nProcess running with session ID 52328\nOriginal token count: 6\nOutput:\n[translate] chunk 1/27\n',
    ],
    [
      'no output yet',
      { wallTimeMs: 250, exitCode: null, sessionId: 1000, output: '' },
      undefined,
      'Wall time: 0.2500 seconds\nProcess running with session ID 1000\nOriginal token count: 0\nOutput:\n',
    ],
    [
      'output over max_output_tokens: head and tail, counted from the original size',
      { wallTimeMs: 10, exitCode: 1, sessionId: null, output: 'aaaa\nbbbb\ncccc\ndddd\n', originalBytes: 4000 },
      2,
      'Wall time: 0.0100 seconds\nProcess exited with code 1\nOriginal token count: 1000\nOutput:\nTotal output lines: 4\n\naaaa…3 tokens truncated…ddd\n',
    ],
    [
      'output over Codex\'s default policy when the model names no max_output_tokens: 10,000 bytes, head and tail, as Codex words it',
      { wallTimeMs: 10, exitCode: 0, sessionId: null, output: `${'h'.repeat(5000)}${'m'.repeat(2992)}${'t'.repeat(5000)}\n` },
      undefined,
      `Wall time: 0.0100 seconds\nProcess exited with code 0\nOriginal token count: 3249\nOutput:\nWarning: truncated output (original token count: 3249)\nTotal output lines: 1\n\n${'h'.repeat(5000)}…2993 chars truncated…${'t'.repeat(4999)}\n`,
    ],
    [
      'exactly 10,000 bytes: unchanged',
      { wallTimeMs: 10, exitCode: 0, sessionId: null, output: 'x'.repeat(10_000) },
      undefined,
      `Wall time: 0.0100 seconds\nProcess exited with code 0\nOriginal token count: 2500\nOutput:\n${'x'.repeat(10_000)}`,
    ],
  ])('%s', (_name, report, maxTokens, expected) => {
    expect(formatExecOutput(report, maxTokens)).toBe(expected);
  });
});
