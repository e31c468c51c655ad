// What the model reads after exec_command or write_stdin: Codex's text, line for line (its
// unified exec `format_response`), so a model trained on Codex reads Keel's the same way:
//
//   Wall time: 1.0024 seconds
//   Process exited with code 0              (once the command has exited)
//   Process running with session ID 52328   (while it runs; "session ID" is the word models know)
//   Original token count: 63                (the output's size before any cut, 4 bytes a token)
//   Output:
//   <the output, cut: head and tail with what was dropped between>
//
// The cut is Codex 0.169's: when the model names `max_output_tokens`, to that many tokens
// (`…N tokens truncated…`); when it names none, to Codex's default truncation policy of 10,000
// bytes, under a `Warning: truncated output (original token count: N)` line and with
// `…N chars truncated…` between head and tail — byte for byte what Codex sends gpt-5.1-codex on a
// custom provider (recorded in bench/session-cost). Ten thousand bytes (about 2,500 tokens) is
// what these models were trained to read; they narrow a large output with head/sed/rg themselves.
//
// Codex's first line, a random `Chunk ID`, is left out: it identifies nothing a model can use.
import { BYTES_PER_TOKEN, capForModel, capToDefaultPolicy } from './output-caps.js';

/** Codex's default for max_output_tokens (the budget of tools that take no such argument). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;

export interface ExecOutputReport {
  wallTimeMs: number;
  /** Set once the command has exited. */
  exitCode: number | null;
  /** Set while the command runs on. */
  sessionId: number | null;
  output: string;
  /** Bytes the output had before Keel kept only part of it; default: the output's own size. */
  originalBytes?: number;
}

/** `maxOutputTokens`: what the model asked for; absent or null: Codex's default policy (10,000 bytes). */
export function formatExecOutput(report: ExecOutputReport, maxOutputTokens?: number | null): string {
  const originalBytes = report.originalBytes ?? Buffer.byteLength(report.output, 'utf8');
  const lines = [`Wall time: ${(report.wallTimeMs / 1000).toFixed(4)} seconds`];
  if (report.exitCode !== null) lines.push(`Process exited with code ${report.exitCode}`);
  if (report.sessionId !== null) lines.push(`Process running with session ID ${report.sessionId}`);
  lines.push(`Original token count: ${Math.ceil(originalBytes / BYTES_PER_TOKEN)}`);
  lines.push('Output:');
  lines.push(maxOutputTokens == null ? capToDefaultPolicy(report.output) : capForModel(report.output, { maxTokens: maxOutputTokens }));
  return lines.join('\n');
}
