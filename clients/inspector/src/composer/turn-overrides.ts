// What the composer's choices add to turn/start: only what the user changed ('' = left as it is),
// in the protocol's shapes (the sandbox select offers SandboxMode names; turn/start takes a SandboxPolicy).
import type { AskForApproval, SandboxMode, SandboxPolicy, TurnStartParams } from '../../../../generated/protocol.js';

export interface ComposerChoices {
  /** null: the thread's model, untouched. */
  model: string | null;
  /** '': the model's default effort. */
  effort: string;
  /** '': unset (the thread's policy). */
  approvalPolicy: '' | Extract<AskForApproval, string>;
  /** '': unset (the thread's sandbox). */
  sandbox: '' | SandboxMode;
}

export const NO_CHOICES: ComposerChoices = { model: null, effort: '', approvalPolicy: '', sandbox: '' };
export const APPROVAL_POLICIES = ['untrusted', 'on-request', 'on-failure', 'never'] as const;
export const SANDBOX_MODES: readonly SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

export function sandboxPolicyOf(mode: SandboxMode): SandboxPolicy {
  if (mode === 'read-only') return { type: 'readOnly' };
  if (mode === 'workspace-write') return { type: 'workspaceWrite' };
  return { type: 'dangerFullAccess' };
}

export function turnOverrides(choices: ComposerChoices): Partial<TurnStartParams> {
  const overrides: Partial<TurnStartParams> = {};
  if (choices.model !== null) overrides.model = choices.model;
  if (choices.effort !== '') overrides.effort = choices.effort;
  if (choices.approvalPolicy !== '') overrides.approvalPolicy = choices.approvalPolicy;
  if (choices.sandbox !== '') overrides.sandboxPolicy = sandboxPolicyOf(choices.sandbox);
  return overrides;
}
