// The command execution library the tools call (a pure library: no protocol, engine or store
// imports). Run one command (runCommand), keep commands running across calls (ExecSessions, Codex's
// unified exec), format what the model reads (formatExecOutput, capForModel), and say what a
// command line does (parseCommandActions).
export type { CommandStarter, RunningCommand } from './command-starter.js';
export { DEFAULT_ENV_POLICY, shellEnvironment, type ShellEnvironmentPolicy } from './env-policy.js';
export { agentEnv, AGENT_ENV, PTY_TERM, withOverrides, type AgentEnvOptions } from './env.js';
export { ExecError, isExecError, type ExecErrorCode } from './errors.js';
export {
  conventionalExitCode,
  endedResult,
  reportedExitCode,
  TIMEOUT_EXIT_CODE,
  EXIT_DRAIN_MS,
  ExecProcess,
  KILL_GRACE_MS,
  startExec,
  type ExecResult,
  type ExecSpec,
  type KillReason,
  type OutputStream,
} from './exec-process.js';
export { DEFAULT_MAX_OUTPUT_TOKENS, formatExecOutput, type ExecOutputReport } from './format-output.js';
export {
  approxTokenCount,
  BYTES_PER_TOKEN,
  capForModel,
  countLines,
  HeadTailText,
  OUTPUT_MAX_BYTES,
  STREAMED_OUTPUT_MAX_BYTES,
  StreamedOutputCap,
  utf8Head,
  utf8Tail,
  type OutputLimit,
} from './output-caps.js';
export { groupExists, groupMembers, liveGroupMembers, signalGroup } from './process-group.js';
export { DEFAULT_TERMINAL_SIZE, ptySupport, type TerminalSize } from './pty.js';
export { commandArgv, runCommand, type CommandLine, type RunCommandOptions } from './run-command.js';
export {
  EXEC_YIELD_MS,
  ExecSessions,
  MAX_SESSIONS,
  MAX_YIELD_MS,
  MIN_POLL_YIELD_MS,
  MIN_YIELD_MS,
  STDIN_CLOSED_MESSAGE,
  WRITE_YIELD_MS,
  type ExecSessionsOptions,
  type SessionChunk,
  type SessionInfo,
  type SessionStartOptions,
} from './sessions.js';
export { parseCommandActions, type CommandAction } from './command-actions.js';
export { isPosixShell, onlyReads } from './read-only.js';
export { defaultShell, joinShellWords, quoteShellWord, shellArgv, shellScript, type ShellOptions } from './shell.js';
export { splitCommands, type Connector, type SimpleCommand } from './shell-words.js';
