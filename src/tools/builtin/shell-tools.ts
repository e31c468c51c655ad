// The one-shot command tools: `shell` (the generic toolset's) and `bash` (Claude's own tool,
// `bash_20250124`: Anthropic defines its schema, `{command, restart}`). Each call runs one command
// in a fresh shell in the thread's working directory, to its end or its timeout.
import path from 'node:path';
import * as z from 'zod';
import { capForModel, DEFAULT_MAX_OUTPUT_TOKENS, onlyReads, reportedExitCode, formatExecOutput, type ExecResult } from '../exec/index.js';
import type { Tool } from '../tool.js';
import { CommandLine, endedEarly } from './command-item.js';
import { runCommandOnce, type CommandOnce } from './command-once.js';

/** How long a one-shot command may run unless the call says otherwise (Claude Code's bash default). */
export const COMMAND_TIMEOUT_MS = 120_000;
export const MAX_COMMAND_TIMEOUT_MS = 600_000;

/** The output with a last line saying why the command ended, when it did not end by itself. */
function withEnding(result: ExecResult, command: CommandOnce): string {
  const ending = endedEarly(result, command.timeoutMs);
  return ending === null ? result.output : `${result.output}${result.output === '' || result.output.endsWith('\n') ? '' : '\n'}[${ending}]`;
}

/** Codex's text (format-output.ts): wall time, exit code, token count, output. */
export function execReport(result: ExecResult, command: CommandOnce): string {
  return formatExecOutput({ wallTimeMs: result.durationMs, exitCode: reportedExitCode(result), sessionId: null, output: withEnding(result, command), originalBytes: result.outputBytes });
}

const ShellInput = z.object({
  command: CommandLine.describe('The shell command to run (bash -lc).'),
  workdir: z.string().nullish().describe('The working directory; default the thread working directory.'),
  timeout_ms: z.number().int().positive().max(MAX_COMMAND_TIMEOUT_MS).nullish().describe(`Kill the command after this many milliseconds. Default ${COMMAND_TIMEOUT_MS}.`),
});

export const shell: Tool<z.output<typeof ShellInput>> = {
  name: 'shell',
  description:
    'Runs a shell command and returns its output and exit code. Each call starts a fresh shell in the working directory. To edit files use apply_patch; to read or search, prefer read_file, list_dir, grep_files and glob_files.',
  input: ShellInput,
  aliases: { cmd: 'command', cwd: 'workdir', timeout: 'timeout_ms' },
  readOnly: (input) => onlyReads(input.command),
  run: (input, ctx) =>
    runCommandOnce(ctx, { cmd: input.command, cwd: path.resolve(ctx.cwd, input.workdir ?? '.'), source: 'agent', timeoutMs: input.timeout_ms ?? COMMAND_TIMEOUT_MS }, execReport),
};

const BashInput = z.object({
  command: CommandLine.optional().describe('The bash command to run.'),
  restart: z.boolean().optional().describe('Restart the bash session.'),
});

/** What Claude reads: the output (head and tail when long), then how the command ended when it failed. */
function bashReport(result: ExecResult, command: CommandOnce): string {
  const output = capForModel(withEnding(result, command), { maxTokens: DEFAULT_MAX_OUTPUT_TOKENS });
  const exitCode = reportedExitCode(result);
  if (exitCode === 0) return output === '' ? '(no output)' : output;
  return `${output}${output === '' || output.endsWith('\n') ? '' : '\n'}Exit code: ${exitCode}`;
}

export const bash: Tool<z.output<typeof BashInput>> = {
  name: 'bash',
  description: 'Runs a bash command.',
  input: BashInput,
  anthropicType: 'bash_20250124',
  aliases: { cmd: 'command' },
  readOnly: (input) => input.command !== undefined && onlyReads(input.command),
  async run(input, ctx) {
    if (input.command === undefined) {
      // Every call already runs in a fresh shell: a restart has nothing to reset.
      const text = input.restart ? 'The bash tool has been restarted.' : 'Error: give a command to run.';
      const item = { type: 'dynamicToolCall' as const, id: ctx.callId, tool: 'bash', arguments: { restart: input.restart ?? false }, status: 'completed' as const, contentItems: [{ type: 'inputText' as const, text }], success: input.restart === true, durationMs: 0 };
      return { item: input.restart ? item : { ...item, status: 'failed' }, output: text };
    }
    return runCommandOnce(ctx, { cmd: input.command, cwd: ctx.cwd, source: 'agent', timeoutMs: COMMAND_TIMEOUT_MS }, bashReport);
  },
};
