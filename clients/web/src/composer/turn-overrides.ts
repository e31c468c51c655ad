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
  /** '': the default mode; 'plan': Codex's Plan mode (reads, proposes, may ask the user questions). */
  mode: '' | 'plan';
}

export const NO_CHOICES: ComposerChoices = { model: null, effort: '', approvalPolicy: '', sandbox: '', mode: '' };
export const APPROVAL_POLICIES = ['untrusted', 'on-request', 'on-failure', 'never'] as const;
export const SANDBOX_MODES: readonly SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

export function sandboxPolicyOf(mode: SandboxMode): SandboxPolicy {
  if (mode === 'read-only') return { type: 'readOnly' };
  if (mode === 'workspace-write') return { type: 'workspaceWrite' };
  return { type: 'dangerFullAccess' };
}

/** `model`: the one the turn runs on (collaborationMode's settings name it; the same model changes nothing). */
export function turnOverrides(choices: ComposerChoices, model: string): Partial<TurnStartParams> {
  const overrides: Partial<TurnStartParams> = {};
  if (choices.model !== null) overrides.model = choices.model;
  if (choices.effort !== '') overrides.effort = choices.effort;
  if (choices.approvalPolicy !== '') overrides.approvalPolicy = choices.approvalPolicy;
  if (choices.sandbox !== '') overrides.sandboxPolicy = sandboxPolicyOf(choices.sandbox);
  if (choices.mode === 'plan') {
    if (model === '') throw new Error('Plan mode needs a model: choose one');
    overrides.collaborationMode = { mode: 'plan', settings: { model } };
  }
  return overrides;
}
