// Where a command runs: Keel's own process (startExec), or somewhere else that gives the same handle
// — an ACP editor's terminal (server/acp/acp-terminal.ts). Sessions and one-shot commands take a
// starter, so yields, polls, timeouts and interrupts work the same wherever the command runs.
import type { ExecProcess, ExecSpec } from './exec-process.js';

/** What a session and a one-shot command need of a running command. */
export type RunningCommand = Pick<ExecProcess, 'pid' | 'done' | 'exited' | 'stdinOpen' | 'write' | 'closeStdin' | 'terminate' | 'resize'>;

/** Starts a command; rejects with ExecError when it cannot start (as startExec does). */
export type CommandStarter = (spec: ExecSpec) => Promise<RunningCommand>;
