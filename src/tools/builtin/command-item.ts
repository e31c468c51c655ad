// The `commandExecution` item every command-running tool reports, whatever the toolset: started
// with the command line as the shell runs it (`/bin/bash -lc '…'`), the working directory and what
// the command does (read/listFiles/search/unknown), completed with its output, exit code and time.
import * as z from 'zod';
import type { ThreadItem } from '../../core/protocol-types.js';
import { reportedExitCode, joinShellWords, parseCommandActions, shellArgv, type ExecResult, type ShellOptions } from '../exec/index.js';
import type { ExecSandbox } from '../gate.js';
import type { ToolContext, ToolResult } from '../tool.js';

/** A command line as text; an argv (`["bash","-lc","ls"]`, as some models send) is taken as its command. */
export const CommandLine = z.preprocess((value) => {
  if (!Array.isArray(value) || !value.every((word) => typeof word === 'string')) return value;
  const words = value as string[];
  if (words.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(words[0]!) && (words[1] === '-c' || words[1] === '-lc')) return words[2];
  return joinShellWords(words);
}, z.string().min(1));

export type CommandItem = Extract<ThreadItem, { type: 'commandExecution' }>;
export type CommandSource = CommandItem['source'];

export interface CommandItemStart {
  /** The command line the model wrote (its actions are parsed from it). */
  cmd: string;
  cwd: string;
  source: CommandSource;
  processId?: string | null;
  /** The shell it runs in; the item shows the whole argv. Absent: the command is shown as written. */
  shell?: ShellOptions;
}

export function runningCommand(ctx: Pick<ToolContext, 'callId'>, start: CommandItemStart): CommandItem {
  return {
    type: 'commandExecution',
    id: ctx.callId,
    command: start.shell ? joinShellWords(shellArgv(start.cmd, start.shell)) : start.cmd,
    cwd: start.cwd,
    processId: start.processId ?? null,
    source: start.source,
    status: 'inProgress',
    commandActions: parseCommandActions(start.cmd),
    aggregatedOutput: null,
    exitCode: null,
    durationMs: null,
  };
}

/** The item once the command has exited: failed unless it exited 0. */
export function exitedCommand(item: CommandItem, result: ExecResult): CommandItem {
  const exitCode = reportedExitCode(result);
  return { ...item, status: exitCode === 0 ? 'completed' : 'failed', aggregatedOutput: result.output, exitCode, durationMs: Math.round(result.durationMs) };
}

/** A command that did not run: the gate said no. */
export function declinedCommand(item: CommandItem): CommandItem {
  return { ...item, status: 'declined', aggregatedOutput: null, exitCode: null, durationMs: 0 };
}

/** A command that could not start (no such directory, no shell): failed, with the reason as its output. */
export function unstartedCommand(item: CommandItem, reason: string): CommandItem {
  return { ...item, status: 'failed', aggregatedOutput: reason, exitCode: null, durationMs: 0 };
}

/** The line of a sandboxed command's output that shows the refusal (for the retry question), shortened. */
export function denialSummary(output: string): string {
  const line = output.split('\n').find((text) => /read-only file system|permission denied|operation not permitted|network is unreachable/i.test(text)) ?? output.trim().split('\n').at(-1) ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Why a command ended other than by exiting, for the model (null when it exited by itself). */
export function endedEarly(result: ExecResult, timeoutMs?: number | null): string | null {
  if (result.timedOut) return `command timed out after ${timeoutMs ?? '?'} ms; its whole process group was killed`;
  if (result.aborted) return 'command was interrupted; its whole process group was killed';
  if (result.terminated) return 'command was terminated';
  return null;
}

/** What the model asked for beyond the sandbox (`sandbox_permissions`, its justification), or a retry without it. */
export interface GateAsk {
  /** The program that runs the command line, when the model chose one (exec_command's `shell`). */
  shell?: string;
  justification?: string;
  escalated?: boolean;
  sandboxDenial?: string;
}

/** The gate's answer for a command: run it (in `sandbox`, or unconfined when null), or the call's result when it may not run. */
export type CommandGate = { run: true; sandbox: ExecSandbox | null } | { run: false; result: ToolResult };

/** Asks the gate to run `cmd` (as the model wrote it); a refused command's item is started and ended here. */
export async function gateCommand(ctx: ToolContext, item: CommandItem, cmd: string, ask: GateAsk = {}, endRefused = true): Promise<CommandGate> {
  const announce = () => ctx.report.start(item);
  const decision = await ctx.gate.check({ kind: 'exec', itemId: item.id, command: cmd, commandLine: item.command, cwd: item.cwd, ...ask, announce }, ctx.signal);
  if (decision.allowed) return { run: true, sandbox: decision.sandbox };
  if (!endRefused) return { run: false, result: { item, output: decision.reason } };
  announce();
  if (decision.failed) return { run: false, result: { item: unstartedCommand(item, decision.reason), output: `Error: ${decision.reason}` } };
  return { run: false, result: { item: declinedCommand(item), output: `The command was not run: ${decision.reason}` } };
}
