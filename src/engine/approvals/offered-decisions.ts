// Which decisions a command approval offers the client, as Codex fills `availableDecisions`
// (codex-rs/protocol/src/approvals.rs, ExecApprovalRequestEvent::effective_available_decisions and
// default_available_decisions, read at openai/codex main, December 2026):
// - a first request for a command (the approval policy asks, or the model asks to run outside the
//   sandbox): accept, acceptForSession, the proposed prefix rule when there is one, cancel;
// - a request scoped to one callback (running again outside the sandbox after it refused the
//   command, input written to a running command): accept, cancel;
// - a network approval: accept, acceptForSession, the first allowing network rule proposed, cancel
//   (Keel proposes none: it has no managed network proxy).
// `decline` is never offered for commands: Codex's "no" to a command ends the turn (`cancel`). An
// answer outside the list is refused (approval-gate.ts): the command is not run, as if declined.
import type { AnswerOf } from '../questions.js';

export type CommandDecision = AnswerOf<'commandApproval'>;

/** Why the command is asked about, in Codex's terms (ExecApprovalPurpose). */
export type CommandPurpose = 'initial' | 'sandboxRetry' | 'input';

/** A request for input to a running command, or to run again outside the sandbox, is scoped to that one callback. */
export function commandPurpose(facts: { input: boolean; sandboxDenial: string | null }): CommandPurpose {
  return facts.input ? 'input' : facts.sandboxDenial !== null ? 'sandboxRetry' : 'initial';
}

export function offeredCommandDecisions(purpose: CommandPurpose, proposedRule: string[] | null): CommandDecision[] {
  if (purpose !== 'initial') return ['accept', 'cancel'];
  return ['accept', 'acceptForSession', ...(proposedRule !== null ? [{ acceptWithRule: proposedRule }] : []), 'cancel'];
}

/** What kind of decision it is: a prefix rule counts as offered whatever its words (a client may let the user edit the proposed prefix, as Keel has always taken). */
const key = (decision: CommandDecision): string => (typeof decision === 'string' ? decision : 'acceptWithRule' in decision ? 'acceptWithRule' : 'networkRule');

/** Whether `decision` is one of `offered` (by kind). */
export function isOffered(offered: readonly CommandDecision[], decision: CommandDecision): boolean {
  return offered.some((candidate) => key(candidate) === key(decision));
}
