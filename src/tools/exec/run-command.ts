// One command, start to end: the form a tool that does not keep sessions calls.
import type { CommandStarter } from './command-starter.js';
import { startExec, type ExecResult, type ExecSpec } from './exec-process.js';
import { shellArgv, type ShellOptions } from './shell.js';

/** A shell command line (`[shell, '-lc' | '-c', cmd]`) or an argv run as given. */
export type CommandLine = ({ cmd: string } & ShellOptions) | { argv: readonly string[] };

/** `starter`: where the command runs; default Keel's own process. */
export type RunCommandOptions = CommandLine & Omit<ExecSpec, 'argv'> & { starter?: CommandStarter };

export function commandArgv(line: CommandLine): string[] {
  return 'argv' in line ? [...line.argv] : shellArgv(line.cmd, line);
}

/**
 * Runs a command to its end (or its timeout, or the abort signal). stdin is closed unless asked
 * for: nothing can write to it here, and a command waiting on it would wait for the timeout.
 * Rejects only when the command cannot start (ExecError: cwdNotFound, spawnFailed, noPty); an
 * abort before the start resolves as aborted without running anything.
 */
export async function runCommand(options: RunCommandOptions): Promise<ExecResult> {
  if (options.signal?.aborted) {
    return { exitCode: null, signal: null, output: '', outputBytes: 0, elidedBytes: 0, timedOut: false, aborted: true, terminated: false, durationMs: 0 };
  }
  const { starter = startExec, ...spec } = options;
  const process = await starter({ stdin: 'closed', ...spec, argv: commandArgv(options) });
  return process.done;
}
