// What the model reads after exec_command or write_stdin: Codex's text, line for line (its
// unified exec `format_response`), so a model trained on Codex reads Keel's the same way:
//
//   Wall time: 1.0024 seconds
//   Process exited with code 0              (once the command has exited)
//   Process running with session ID 52328   (while it runs; "session ID" is the word models know)
//   Original token count: 63                (the output's size before any cut, 4 bytes a token)
//   Output:
//   <the output, cut to max_output_tokens: head and tail, `…N tokens truncated…` between>
//
// Codex's first line, a random `Chunk ID`, is left out: it identifies nothing a model can use.
import { BYTES_PER_TOKEN, capForModel } from './output-caps.js';

/** Codex's default for max_output_tokens. */
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

export function formatExecOutput(report: ExecOutputReport, maxOutputTokens: number = DEFAULT_MAX_OUTPUT_TOKENS): string {
  const originalBytes = report.originalBytes ?? Buffer.byteLength(report.output, 'utf8');
  const lines = [`Wall time: ${(report.wallTimeMs / 1000).toFixed(4)} seconds`];
  if (report.exitCode !== null) lines.push(`Process exited with code ${report.exitCode}`);
  if (report.sessionId !== null) lines.push(`Process running with session ID ${report.sessionId}`);
  lines.push(`Original token count: ${Math.ceil(originalBytes / BYTES_PER_TOKEN)}`);
  lines.push('Output:');
  lines.push(capForModel(report.output, { maxTokens: maxOutputTokens }));
  return lines.join('\n');
}
