// A read done by a tool rather than a shell (read a file, list a directory, search) is shown as the
// `commandExecution` item of the shell command that does the same, so every client renders it as
// it renders the command (Codex clients show "Read", "List", "Search" from its commandActions),
// and a model of another family is told it as that command (replay.ts).
import path from 'node:path';
import { quoteShellWord } from '../exec/index.js';
import { DomainError } from '../../kernel/errors.js';
import type { ToolContext, ToolResult } from '../tool.js';
import { runningCommand } from './command-item.js';

const q = quoteShellWord;

/** `cat -n file`, or `sed -n 'A,Bp' file` for a window. */
export function readCommand(file: string, offset?: number | null, limit?: number | null): string {
  if (offset == null && limit == null) return `cat -n ${q(file)}`;
  const first = offset ?? 1;
  return limit == null ? `sed -n '${first},$p' ${q(file)}` : `sed -n '${first},${first + limit - 1}p' ${q(file)}`;
}

/** `ls -A dir`, or `find dir -maxdepth N` for a deeper listing. */
export function listCommand(directory: string, depth = 1): string {
  return depth <= 1 ? `ls -A ${q(directory)}` : `find ${q(directory)} -maxdepth ${depth}`;
}

export function searchCommand(pattern: string, target: string, globs: readonly string[] = [], caseInsensitive = false): string {
  const flags = ['-n', ...(caseInsensitive ? ['-i'] : []), ...globs.flatMap((glob) => ['--glob', q(glob)])];
  return `rg ${flags.join(' ')} ${q(pattern)} ${q(target)}`;
}

export function globCommand(pattern: string, directory: string): string {
  return `rg --files -g ${q(pattern)} ${q(directory)}`;
}

/**
 * Runs `read` as the item of `command`: started, then completed with what the model reads (exit
 * code 0), or failed with the reason (exit code 1) when the gate refuses it (Keel's home) or the
 * read fails as reads do (no such file…). `read` gets the places it must skip (gate.ts `hidden`).
 */
export async function reportedRead(ctx: ToolContext, command: string, target: string, read: (hidden: readonly string[]) => Promise<string>): Promise<ToolResult> {
  const started = performance.now();
  const item = runningCommand(ctx, { cmd: command, cwd: ctx.cwd, source: 'agent' });
  ctx.report.start(item);
  const durationMs = () => Math.round(performance.now() - started);
  const decision = await ctx.gate.check({ kind: 'read', itemId: item.id, paths: [path.resolve(ctx.cwd, target)], cwd: ctx.cwd, announce: () => {} }, ctx.signal);
  if (!decision.allowed) return { item: { ...item, status: 'failed', aggregatedOutput: decision.reason, exitCode: 1, durationMs: durationMs() }, output: `Error: ${decision.reason}` };
  try {
    const text = await read(decision.hidden ?? []);
    return { item: { ...item, status: 'completed', aggregatedOutput: text, exitCode: 0, durationMs: durationMs() }, output: text };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { item: { ...item, status: 'failed', aggregatedOutput: error.message, exitCode: 1, durationMs: durationMs() }, output: `Error: ${error.message}` };
  }
}
