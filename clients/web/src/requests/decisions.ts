// The decisions an approval offers, as buttons: a label for each of availableDecisions (the
// request's own list, in its order), or Codex's default list when the request has none.
import type { CommandExecutionRequestApprovalParams } from '../../../../generated/protocol.js';

export type CommandDecision = NonNullable<CommandExecutionRequestApprovalParams['availableDecisions']>[number];

/** What Codex offers when a command approval carries no availableDecisions. */
export const DEFAULT_COMMAND_DECISIONS: readonly CommandDecision[] = ['accept', 'acceptForSession', 'decline', 'cancel'];
export const FILE_DECISIONS = ['accept', 'acceptForSession', 'decline', 'cancel'] as const;

const LABELS: Record<string, string> = { accept: 'Accept', acceptForSession: 'Accept for session', decline: 'Decline', cancel: 'Cancel' };

export function decisionLabel(decision: CommandDecision | string): string {
  if (typeof decision === 'string') return LABELS[decision] ?? decision;
  if ('acceptWithExecpolicyAmendment' in decision) return 'Accept and remember rule';
  if ('applyNetworkPolicyAmendment' in decision) {
    const { host, action } = decision.applyNetworkPolicyAmendment.network_policy_amendment;
    return `${action === 'deny' ? 'Deny' : 'Allow'} network to ${host}`;
  }
  // A shape this page does not know: its key says what it is.
  return Object.keys(decision as object)[0] ?? 'Answer';
}

/** The decision Escape picks: cancel when offered, else decline, else none. */
export function escapeDecision(decisions: readonly (CommandDecision | string)[]): CommandDecision | string | undefined {
  return decisions.find((decision) => decision === 'cancel') ?? decisions.find((decision) => decision === 'decline');
}
