// `exec_command` and `write_stdin`: Codex's unified exec, the command tools OpenAI's coding models
// are trained on. A command runs in the thread's sandbox-to-be (the gate); the call returns when it
// exits or after `yield_time_ms`, with Codex's text (format-output.ts). A command still running
// keeps its session id: `write_stdin` sends it input or polls it — input passes the gate first, as
// a command (what reads it is whatever runs in the session now). Every call is one
// `commandExecution` item — exec_command's `unifiedExecStartup`, write_stdin's
// `unifiedExecInteraction`, both with the session's `processId` — streaming the output that arrives
// while it waits. Sessions end with the turn (turn-state.ts closes them).
//
// A patch sent as `apply_patch <<'EOF' … EOF` is applied as a patch (a fileChange item), as Codex does.
import path from 'node:path';
import * as z from 'zod';
import { agentEnv, ExecSessions, formatExecOutput, isExecError, onlyReads, type SessionChunk, type ShellOptions } from '../exec/index.js';
import { extractHeredocPatch } from '../patch/index.js';
import type { Tool, ToolContext, ToolResult } from '../tool.js';
import { runPatch } from './apply-patch.js';
import type { ExecSandbox } from '../gate.js';
import { looksDeniedBySandbox } from '../sandbox/index.js';
import { CommandLine, declinedCommand, denialSummary, gateCommand, runningCommand, unstartedCommand, type CommandItem } from './command-item.js';

const ExecCommandInput = z.object({
  cmd: CommandLine.describe('Shell command to execute.'),
  workdir: z.string().nullish().describe('The working directory to run the command in; defaults to the turn cwd.'),
  shell: z.string().nullish().describe("Shell binary to launch; defaults to the user's default shell."),
  login: z.boolean().nullish().describe('Whether to run the shell with -l/-i semantics. Defaults to true.'),
  tty: z.boolean().nullish().describe('Whether to allocate a TTY for the command. Defaults to false (plain pipes); set to true to open a PTY and access TTY process.'),
  yield_time_ms: z.number().int().nonnegative().nullish().describe('How long to wait (in milliseconds) for output before yielding.'),
  max_output_tokens: z.number().int().positive().nullish().describe('Maximum number of tokens to return. Excess output will be truncated.'),
  sandbox_permissions: z
    .enum(['use_default', 'require_escalated'])
    .nullish()
    .describe('Sandbox permissions for the command. Set to "require_escalated" to request running without sandbox restrictions; defaults to "use_default".'),
  justification: z.string().nullish().describe('Only set if sandbox_permissions is "require_escalated": a one-sentence question for the user asking to run the command unsandboxed.'),
  prefix_rule: z.array(z.string()).nullish().describe('Only with "require_escalated": a command prefix the user may approve for future runs (e.g. ["npm", "run"]).'),
});

const WriteStdinInput = z.object({
  session_id: z.coerce.number().int().describe('Identifier of the running unified exec session.'),
  chars: z.string().nullish().describe('Bytes to write to stdin (may be empty to poll).'),
  yield_time_ms: z.number().int().nonnegative().nullish().describe('How long to wait (in milliseconds) for output before yielding.'),
  max_output_tokens: z.number().int().positive().nullish().describe('Maximum number of tokens to return. Excess output will be truncated.'),
});

/** A session as its calls need it: how it was started, and where its live output goes now. */
interface SessionMeta {
  cmd: string;
  cwd: string;
  shell: ShellOptions;
  /** The reporter of the call now waiting on the session; output between calls is returned by the next one. */
  listener: ((text: string) => void | Promise<void>) | null;
}

/** The turn's exec sessions and what the tools know of each. */
class TurnSessions {
  readonly sessions = new ExecSessions();
  readonly meta = new Map<number, SessionMeta>();
  close(): Promise<void> {
    return this.sessions.closeAll();
  }
}

const turnSessions = (ctx: ToolContext) => ctx.turn.get('execSessions', () => new TurnSessions());

/**
 * The call's item and answer: the output that arrived during the call, and the exit code once the
 * command has exited. A command still running leaves the item completed without an exit code;
 * later write_stdin items (same processId) carry the rest of its output and its exit code.
 */
function answer(item: CommandItem, chunk: SessionChunk, maxOutputTokens: number | null | undefined): ToolResult {
  const output = formatExecOutput(chunk, maxOutputTokens);
  const status = chunk.exitCode === null || chunk.exitCode === 0 ? 'completed' : 'failed';
  return { item: { ...item, status, aggregatedOutput: chunk.output, exitCode: chunk.exitCode, durationMs: Math.round(chunk.wallTimeMs) }, output };
}

export const execCommand: Tool<z.output<typeof ExecCommandInput>> = {
  name: 'exec_command',
  description: 'Runs a command in a PTY, returning output or a session ID for ongoing interaction.',
  input: ExecCommandInput,
  aliases: { command: 'cmd', cwd: 'workdir', working_directory: 'workdir' },
  // A command the classifier vouches for as only reading, run in the thread's sandbox as it is (not escalated).
  readOnly: (input) => input.sandbox_permissions !== 'require_escalated' && onlyReads(input.cmd, input.shell),
  async run(input, ctx) {
    const cwd = path.resolve(ctx.cwd, input.workdir ?? '.');
    const heredoc = extractHeredocPatch(input.cmd);
    if (heredoc !== null) return runPatch(heredoc.patch, ctx, path.resolve(cwd, heredoc.workdir ?? '.'));
    const shell: ShellOptions = { shell: input.shell ?? undefined, login: input.login ?? true };
    let item = runningCommand(ctx, { cmd: input.cmd, cwd, source: 'unifiedExecStartup', shell });
    const escalated = input.sandbox_permissions === 'require_escalated';
    const ask = { escalated, justification: input.justification ?? undefined, ...(input.shell != null && { shell: input.shell }) };
    const gate = await gateCommand(ctx, item, input.cmd, ask);
    if (!gate.run) return gate.result;
    const turn = turnSessions(ctx);
    const meta: SessionMeta = { cmd: input.cmd, cwd, shell, listener: (text) => ctx.report.output(text) };
    const start = (sandbox: ExecSandbox | null) =>
      turn.sessions.start({
        cmd: input.cmd,
        cwd,
        ...shell,
        tty: input.tty ?? false,
        env: agentEnv(ctx.env, { tty: input.tty ?? false }),
        yieldTimeMs: input.yield_time_ms ?? undefined,
        signal: ctx.signal,
        onStart: (sessionId) => {
          turn.meta.set(sessionId, meta);
          item = { ...item, processId: String(sessionId) };
          ctx.report.start(item);
        },
        onOutput: (text) => meta.listener?.(text),
        ...(sandbox && { sandbox }),
        // In the editor's terminal when it lends one (ACP): the sandbox's launch still wraps the command.
        ...(ctx.workspace?.terminal && { starter: ctx.workspace.terminal({ turnId: ctx.turnId, itemId: item.id }) }),
      });
    try {
      let chunk = await start(gate.sandbox);
      // Ended, and the sandbox seems to have refused it: the gate decides whether to ask to run it without (on-failure).
      if (gate.sandbox !== null && chunk.exitCode !== null && looksDeniedBySandbox(chunk.exitCode, chunk.output) && !ctx.signal.aborted) {
        turn.meta.delete(Number(item.processId));
        const retry = await gateCommand(ctx, item, input.cmd, { ...ask, sandboxDenial: denialSummary(chunk.output) }, false);
        if (retry.run) chunk = await start(retry.sandbox);
      }
      if (chunk.sessionId === null) turn.meta.delete(Number(item.processId));
      return answer(item, chunk, input.max_output_tokens);
    } catch (error) {
      if (!isExecError(error)) throw error;
      ctx.report.start(item);
      return { item: unstartedCommand(item, error.message), output: `Error: ${error.message}` };
    } finally {
      meta.listener = null;
    }
  },
};

export const writeStdin: Tool<z.output<typeof WriteStdinInput>> = {
  name: 'write_stdin',
  description: 'Writes characters to an existing unified exec session and returns recent output.',
  input: WriteStdinInput,
  aliases: { sessionId: 'session_id', process_id: 'session_id', input: 'chars', text: 'chars' },
  async run(input, ctx) {
    const turn = turnSessions(ctx);
    const meta = turn.meta.get(input.session_id);
    const running = meta ?? { cmd: `write_stdin ${input.session_id}`, cwd: ctx.cwd, shell: undefined };
    const item = runningCommand(ctx, { cmd: running.cmd, cwd: running.cwd, source: 'unifiedExecInteraction', processId: String(input.session_id), shell: running.shell });
    ctx.report.start(item);
    if (meta === undefined) {
      const reason = `Unknown process id ${input.session_id}: no command of this turn runs with that session id (sessions end with their turn).`;
      return { item: unstartedCommand(item, reason), output: `Error: ${reason}` };
    }
    const chars = input.chars ?? '';
    if (chars !== '') {
      // Input goes to whatever runs in the session now (a pager's `!cmd`, a REPL): the gate judges it as a command.
      const stdin = { command: meta.cmd, processId: String(input.session_id) };
      const decision = await ctx.gate.check({ kind: 'exec', itemId: item.id, command: chars, commandLine: item.command, cwd: item.cwd, stdin, announce: () => {} }, ctx.signal);
      if (!decision.allowed) return { item: declinedCommand(item), output: `The input was not written: ${decision.reason}` };
    }
    meta.listener = (text) => ctx.report.output(text);
    try {
      const chunk = await turn.sessions.write(input.session_id, chars, { yieldTimeMs: input.yield_time_ms ?? undefined });
      if (chunk.sessionId === null) turn.meta.delete(input.session_id);
      return answer(item, chunk, input.max_output_tokens);
    } catch (error) {
      if (!isExecError(error)) throw error;
      return { item: unstartedCommand(item, error.message), output: `Error: ${error.message}` };
    } finally {
      meta.listener = null;
    }
  },
};
