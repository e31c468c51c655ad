// The gate of one turn: decides each tool action from the thread's approval policy and sandbox
// (decide.ts), asks the client when it must (a commandApproval or fileChangeApproval question, which
// each session renders in its protocol), and hands commands the sandbox they run in. Decisions the
// client made "for the session" are read back from the thread's own audit trail, so they hold
// across restarts and go away with a reverted turn.
import { get } from '../../core/plist.js';
import type { RequestKind } from '../../core/events.js';
import type { ThreadState } from '../../core/state.js';
import { isPosixShell, joinShellWords, parseCommandActions } from '../../tools/exec/index.js';
import type { ExecSandbox, GateDecision, GateRequest, ToolGate } from '../../tools/gate.js';
import { checkRead, checkWrite, hiddenPaths, probeBubblewrap, type SandboxContext } from '../../tools/sandbox/index.js';
import { askRecorded, recordRemembered, type AskContext, type Outcome } from '../client-requests.js';
import type { AnswerOf } from '../questions.js';
import type { McpApprovalMode } from '../../config/mcp-servers.js';
import { confines, decideExec, decideWrite } from './decide.js';
import { proposedPrefix, type ExecRules } from './exec-rules.js';
import { commandPurpose, isOffered, offeredCommandDecisions, type CommandDecision as OfferedDecision } from './offered-decisions.js';

export interface ApprovalGateDeps extends AskContext {
  home: string;
  /** Keel's listener sockets: covered in every sandbox it hands a command. */
  listenerSockets: readonly string[];
  /** The database's files when it lies outside the home (`--db`): hidden as the home is. */
  hiddenFiles: readonly string[];
  rules: ExecRules;
  env: NodeJS.ProcessEnv;
  /** Whether the command line, run by `shell` (default: Keel's), only reads (tools/exec/read-only.ts). */
  onlyReads(command: string, shell?: string): boolean;
  /** Ends the turn as interrupted (the client answered `cancel`). */
  cancelTurn(): void;
  /** How calls to an MCP server's tool are approved (config.toml). */
  mcpApproval(server: string, tool: string): McpApprovalMode;
}

type CommandDecision = AnswerOf<'commandApproval'>;
type FileDecision = AnswerOf<'fileChangeApproval'>;

export class ApprovalGate implements ToolGate {
  constructor(private readonly deps: ApprovalGateDeps) {}

  check(request: GateRequest): Promise<GateDecision> {
    if (request.kind === 'read') return Promise.resolve(this.read(request));
    if (request.kind === 'mcp') return this.mcp(request);
    return request.kind === 'exec' ? this.exec(request) : this.write(request);
  }

  /** Keel's own reads: never asked; refused inside Keel's home (and a database kept outside it), which walks skip. */
  private read(request: GateRequest): GateDecision {
    const context = this.context();
    for (const target of request.paths ?? []) {
      const verdict = checkRead(this.state.settings.sandbox, context, target);
      if (!verdict.ok) return { allowed: false, reason: verdict.reason };
    }
    return { allowed: true, sandbox: null, hidden: hiddenPaths(context) };
  }

  private get state(): ThreadState {
    return this.deps.runtime.state;
  }

  private async exec(request: GateRequest): Promise<GateDecision> {
    const { settings } = this.state;
    const command = request.command ?? '';
    const { stdin } = request;
    // Prefix rules match the line as a POSIX shell splits it: a line another program runs (exec_command's
    // `shell`: python3…) is none of theirs, and "for the session" covers it only run by the same program.
    const posix = isPosixShell(request.shell);
    // "For the session" covers the same input to the same command, not the same text as a command.
    const subject = stdin !== undefined ? `input for ${stdin.command}: ${command}` : posix ? command : joinShellWords([request.shell!, command]);
    // Probed before deciding (once per PATH, cached): without a working sandbox the plan asks to run without it.
    const probe = confines(settings.sandbox) ? await probeBubblewrap(this.deps.env) : null;
    const plan = decideExec({
      policy: settings.approvalPolicy,
      sandbox: settings.sandbox,
      escalated: request.escalated === true,
      justification: request.justification ?? null,
      onlyReads: stdin === undefined && this.deps.onlyReads(command, request.shell),
      ruleAllows: stdin === undefined && posix && this.deps.rules.allows(command),
      sessionAllows: acceptedForSession(this.state, 'commandApproval').has(subject),
      sandboxDenial: request.sandboxDenial ?? null,
      input: stdin !== undefined,
      sandboxUnavailable: probe === null || probe.ok ? null : { cause: probe.cause, fix: probe.fix },
    });
    if (plan.action === 'refuse') return { allowed: false, reason: plan.reason, ...(plan.failed ? { failed: true } : {}) };
    if (plan.action === 'run') {
      if (plan.remembered !== null) this.remember('commandApproval', request.itemId, subject, plan.remembered);
      // The session's command is already running, in the sandbox it started in.
      return stdin === undefined ? this.allow(plan.sandboxed) : { allowed: true, sandbox: null };
    }
    request.announce();
    const purpose = commandPurpose({ input: stdin !== undefined, sandboxDenial: request.sandboxDenial ?? null });
    // A prefix rule is proposed only where it is offered: on a first request for a line a POSIX shell runs.
    const proposedRule = purpose === 'initial' && posix ? proposedPrefix(command) : null;
    const offered = offeredCommandDecisions(purpose, proposedRule);
    const reason = stdin === undefined ? plan.reason : `input for the running command \`${stdin.command}\` (session ${stdin.processId}): ${JSON.stringify(command)}`;
    const outcome = await askRecorded(
      this.deps,
      {
        kind: 'commandApproval',
        threadId: this.state.id,
        turnId: this.deps.turnId,
        itemId: request.itemId,
        startedAtMs: this.deps.now(),
        reason,
        command: request.commandLine ?? command,
        cwd: request.cwd,
        actions: parseCommandActions(stdin?.command ?? command),
        proposedRule,
        offered,
      },
      { kind: 'commandApproval', itemId: request.itemId, subject, reason, describe: describeDecision, fallback: 'decline' },
    );
    const decision = this.settled(outcome);
    if (decision !== null && !isOffered(offered, decision)) return { allowed: false, reason: notOffered(decision, offered) };
    const allowed = () => (stdin === undefined ? this.allow(plan.sandboxed) : Promise.resolve<GateDecision>({ allowed: true, sandbox: null }));
    if (decision !== null && typeof decision === 'object' && 'acceptWithRule' in decision) {
      if (stdin === undefined && posix) this.deps.rules.add(decision.acceptWithRule);
      return allowed();
    }
    if (decision === 'accept' || decision === 'acceptForSession') return allowed();
    return this.refusal(outcome, decision === 'cancel');
  }

  private async write(request: GateRequest): Promise<GateDecision> {
    const { settings } = this.state;
    const paths = request.paths ?? [];
    const confined = checkWrite(settings.sandbox, this.context(), paths);
    const remembered = acceptedForSession(this.state, 'fileChangeApproval');
    const plan = decideWrite({ policy: settings.approvalPolicy, outside: confined.ok ? null : confined.reason, sessionAllows: paths.every((p) => remembered.has(p)) });
    if (plan.action === 'refuse') return { allowed: false, reason: plan.reason };
    // Paths the sandbox allows are written confined to its roots (a symlink swapped in after this
    // check cannot move them out); paths outside them were approved as such and are written as they are.
    const allowed: GateDecision = confined.ok ? { allowed: true, sandbox: null, confine: { policy: settings.sandbox, context: this.context() } } : { allowed: true, sandbox: null };
    if (plan.action === 'run') {
      if (plan.remembered !== null) this.remember('fileChangeApproval', request.itemId, paths.join('\n'), plan.remembered);
      return allowed;
    }
    request.announce();
    const outcome = await askRecorded(
      this.deps,
      { kind: 'fileChangeApproval', threadId: this.state.id, turnId: this.deps.turnId, itemId: request.itemId, startedAtMs: this.deps.now(), reason: plan.reason },
      { kind: 'fileChangeApproval', itemId: request.itemId, subject: paths.join('\n'), reason: plan.reason, describe: describeDecision, fallback: 'decline' },
    );
    const decision = this.settled(outcome);
    if (decision === 'accept' || decision === 'acceptForSession') return allowed;
    return this.refusal(outcome, decision === 'cancel');
  }

  /**
   * An MCP tool call: asked when its approval mode is `prompt`, or under `untrusted` unless the
   * tool says it only reads (`auto`); never with `approve`. The answers are accept / decline / cancel
   * (Codex's session asks it as an elicitation with no fields). MCP servers run outside the sandbox, with the user's rights.
   */
  private async mcp(request: GateRequest): Promise<GateDecision> {
    const { settings } = this.state;
    const server = request.server ?? '';
    const tool = request.tool ?? '';
    const mode = this.deps.mcpApproval(server, tool);
    const ask = mode === 'prompt' || (mode === 'auto' && settings.approvalPolicy === 'untrusted' && request.readOnly !== true);
    if (!ask) return { allowed: true, sandbox: null };
    if (settings.approvalPolicy === 'never') return { allowed: false, reason: `${tool} of MCP server ${server} needs approval, and the approval policy is never` };
    request.announce();
    const outcome = await askRecorded(
      this.deps,
      {
        kind: 'mcpToolApproval',
        threadId: this.state.id,
        turnId: this.deps.turnId,
        itemId: request.itemId,
        server,
        tool,
        message: `Allow the MCP tool ${tool} of server ${server} to run with ${JSON.stringify(request.arguments ?? {})}?`,
      },
      { kind: 'mcpToolApproval', itemId: request.itemId, subject: `${server}/${tool}`, reason: null, describe: (action) => action, fallback: 'decline' },
    );
    const decision = this.settled(outcome);
    if (decision === 'accept') return { allowed: true, sandbox: null };
    return this.refusal(outcome, decision === 'cancel');
  }

  private settled<D>(outcome: Outcome<D>): D | null {
    return 'answered' in outcome ? outcome.answered : null;
  }

  private refusal(outcome: Outcome<unknown>, cancel: boolean): GateDecision {
    if (cancel) {
      this.deps.cancelTurn();
      return { allowed: false, reason: 'the user cancelled the turn' };
    }
    if ('answered' in outcome) return { allowed: false, reason: 'the user declined it' };
    switch (outcome.unanswered) {
      case 'timeout':
        return { allowed: false, reason: `no answer to the approval request within ${this.deps.timeoutMs} ms (keel.approval_timeout_ms), so it was declined` };
      case 'turnEnded':
        return { allowed: false, reason: 'the turn ended before the approval request was answered' };
      case 'noClient':
        return { allowed: false, reason: 'no connected client can approve it, so it was declined' };
    }
  }

  private context(): SandboxContext {
    return { cwd: this.state.settings.cwd, keelHome: this.deps.home, keelSockets: this.deps.listenerSockets, hiddenFiles: this.deps.hiddenFiles };
  }

  private async allow(sandboxed: boolean): Promise<GateDecision> {
    if (!sandboxed) return { allowed: true, sandbox: null };
    const probe = await probeBubblewrap(this.deps.env);
    if (!probe.ok) return { allowed: false, failed: true, reason: `the command was not run: the sandbox is unavailable (${probe.cause}); ${probe.fix}` };
    const sandbox: ExecSandbox = { bwrapPath: probe.path, policy: this.state.settings.sandbox, context: this.context() };
    return { allowed: true, sandbox };
  }

  private remember(kind: RequestKind, itemId: string, subject: string, by: 'rule' | 'session'): void {
    recordRemembered(this.deps, { kind, itemId, subject, decision: by === 'rule' ? 'acceptByRule' : 'acceptForSession', by });
  }
}

/** What the client accepted for the session, per subject (a command; for files, each path). */
function acceptedForSession(state: ThreadState, kind: RequestKind): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < state.turns.length; i++) {
    for (const request of get(state.turns, i)?.requests ?? []) {
      if (request.kind !== kind || request.decision !== 'acceptForSession' || request.by !== 'client' || request.subject === null) continue;
      for (const subject of kind === 'fileChangeApproval' ? request.subject.split('\n') : [request.subject]) out.add(subject);
    }
  }
  return out;
}

/** Why an answer the request did not offer is refused: the command is not run, and nothing else is taken from it. */
function notOffered(decision: OfferedDecision, offered: readonly OfferedDecision[]): string {
  return `the client answered ${describeDecision(decision)}, which the approval request did not offer (it offered ${offered.map(describeDecision).join(', ')})`;
}

/** How a decision is written in the audit trail: the stored words stay those of the first (Codex) wire, which older logs hold. */
function describeDecision(decision: CommandDecision | FileDecision): string {
  if (typeof decision === 'string') return decision;
  if ('acceptWithRule' in decision) return `acceptWithExecpolicyAmendment: ${decision.acceptWithRule.join(' ')}`;
  return 'applyNetworkPolicyAmendment';
}
