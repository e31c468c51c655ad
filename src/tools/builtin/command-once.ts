// One command run to its end as one `commandExecution` item: the form of the tools that keep no
// sessions (Claude's `bash`, the generic `shell`) and of the user's own commands
// (`thread/shellCommand`). The gate is asked first; output streams as the item's deltas; a timeout
// or an interrupt ends the whole process group. A patch sent as `apply_patch <<'EOF'` is a patch.
import path from 'node:path';
import { agentEnv, isExecError, reportedExitCode, runCommand, type ExecResult, type ShellOptions } from '../exec/index.js';
import { extractHeredocPatch } from '../patch/index.js';
import type { ToolContext, ToolResult } from '../tool.js';
import { runPatch } from './apply-patch.js';
import { denialSummary, exitedCommand, gateCommand, runningCommand, unstartedCommand, type CommandSource } from './command-item.js';
import type { ExecSandbox } from '../gate.js';
import { looksDeniedBySandbox } from '../sandbox/index.js';

export interface CommandOnce {
  cmd: string;
  cwd: string;
  source: CommandSource;
  timeoutMs: number | null;
  shell?: ShellOptions;
  /** What the model asked for beyond the sandbox, passed to the gate. */
  ask?: { justification?: string; escalated?: boolean };
}

/** What the model reads of a finished command. */
export type CommandReport = (result: ExecResult, command: CommandOnce) => string;

export async function runCommandOnce(ctx: ToolContext, command: CommandOnce, report: CommandReport): Promise<ToolResult> {
  const heredoc = command.source === 'userShell' ? null : extractHeredocPatch(command.cmd);
  if (heredoc !== null) return runPatch(heredoc.patch, ctx, path.resolve(command.cwd, heredoc.workdir ?? '.'));
  const item = runningCommand(ctx, { cmd: command.cmd, cwd: command.cwd, source: command.source, shell: command.shell ?? {} });
  const gate = await gateCommand(ctx, item, command.cmd, command.ask);
  if (!gate.run) return gate.result;
  ctx.report.start(item);
  const run = (sandbox: ExecSandbox | null) =>
    runCommand({
      cmd: command.cmd,
      ...command.shell,
      cwd: command.cwd,
      env: agentEnv(ctx.env),
      timeoutMs: command.timeoutMs,
      signal: ctx.signal,
      onOutput: (text) => ctx.report.output(text),
      ...(sandbox && { sandbox }),
      ...(ctx.workspace?.terminal && { starter: ctx.workspace.terminal({ turnId: ctx.turnId, itemId: item.id }) }),
    });
  try {
    let result = await run(gate.sandbox);
    // The sandbox seems to have refused it: the gate decides whether to ask to run it without (on-failure).
    if (gate.sandbox !== null && looksDeniedBySandbox(reportedExitCode(result), result.output) && !ctx.signal.aborted) {
      const retry = await gateCommand(ctx, item, command.cmd, { ...command.ask, sandboxDenial: denialSummary(result.output) }, false);
      if (retry.run) result = await run(retry.sandbox);
    }
    return { item: exitedCommand(item, result), output: report(result, command) };
  } catch (error) {
    if (!isExecError(error)) throw error;
    return { item: unstartedCommand(item, error.message), output: `Error: ${error.message}` };
  }
}
