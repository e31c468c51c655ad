// When a tool action runs, runs only after the client says yes, or is refused — from the thread's
// approval policy and sandbox, as Codex decides:
// - `untrusted`: commands that only read run; anything else is asked; every file change is asked.
// - `on-request`: commands run in the sandbox without asking; the model may ask to run one outside
//   it (`sandbox_permissions: "require_escalated"`), which is asked; file changes outside the
//   writable roots are asked.
// - `on-failure`: commands run in the sandbox; one the sandbox seems to have refused is asked to
//   run again outside it.
// - `never`: nothing is asked; what the sandbox does not allow is refused.
// - granular: as `on-request`, with the escalation and rule prompts each allowed or refused.
// Where the sandbox cannot work (no bubblewrap, or the host refuses its namespaces), a command it
// would confine is asked to run without it instead (Codex falls back to its bundled bubblewrap;
// Keel has none to fall back to); under `never`, or granular without sandbox approval, it fails
// with the cause and the fix.
// A prefix rule the client allowed runs its commands outside the sandbox without asking; a
// decision made "for the session" covers the same command (or the same files) again. Input written
// to a running command (write_stdin) goes to whatever runs there now, so nothing vouches for it:
// under `untrusted` it is asked, no rule covers it, and it stays in the sandbox its session has.
import type { AskForApproval, SandboxPolicy } from '../../core/protocol-types.js';

export type ExecPlan =
  | { action: 'run'; sandboxed: boolean; remembered: 'rule' | 'session' | null }
  | { action: 'ask'; sandboxed: boolean; reason: string | null }
  /** `failed`: it could not run (no usable sandbox), as opposed to declined. */
  | { action: 'refuse'; reason: string; failed?: true };

/** Why the sandbox cannot confine commands here, and how to fix it (probe.ts). */
export interface SandboxUnavailable {
  cause: string;
  fix: string;
}

export interface ExecFacts {
  policy: AskForApproval;
  sandbox: SandboxPolicy;
  /** The model asked to run outside the sandbox (with its justification). */
  escalated: boolean;
  justification: string | null;
  /** Every part of the command only reads, lists or searches. */
  onlyReads: boolean;
  ruleAllows: boolean;
  sessionAllows: boolean;
  /** Set when asking to run again outside the sandbox after it refused the command: what it said. */
  sandboxDenial: string | null;
  /** Not a command line but input for a running command (its session is already confined or not). */
  input: boolean;
  /** Set when the sandbox cannot work on this host. */
  sandboxUnavailable: SandboxUnavailable | null;
}

export const confines = (sandbox: SandboxPolicy) => sandbox.type === 'readOnly' || sandbox.type === 'workspaceWrite';

const granular = (policy: AskForApproval) => (typeof policy === 'object' ? policy.granular : null);

const policyName = (policy: AskForApproval) => (typeof policy === 'string' ? policy : 'granular');

export function decideExec(facts: ExecFacts): ExecPlan {
  if (facts.input) {
    if (facts.policy !== 'untrusted') return { action: 'run', sandboxed: false, remembered: null };
    if (facts.sessionAllows) return { action: 'run', sandboxed: false, remembered: 'session' };
    return { action: 'ask', sandboxed: false, reason: null };
  }
  const confined = confines(facts.sandbox);
  if (facts.ruleAllows) return { action: 'run', sandboxed: false, remembered: 'rule' };
  if (facts.sandboxDenial !== null) {
    if (facts.policy !== 'on-failure') return { action: 'refuse', reason: `not run again outside the sandbox: the approval policy is ${policyName(facts.policy)}` };
    if (facts.sessionAllows) return { action: 'run', sandboxed: false, remembered: 'session' };
    return { action: 'ask', sandboxed: false, reason: `the sandbox seems to have refused the command (${facts.sandboxDenial}); run it again without the sandbox?` };
  }
  if (facts.escalated && confined) {
    if (facts.policy === 'never') return { action: 'refuse', reason: 'the approval policy is never, so the command cannot run outside the sandbox; do what you can within it' };
    const flags = granular(facts.policy);
    if (flags !== null && !flags.sandbox_approval) return { action: 'refuse', reason: 'the approval policy does not allow asking to run outside the sandbox; do what you can within it' };
    if (facts.sessionAllows) return { action: 'run', sandboxed: false, remembered: 'session' };
    return { action: 'ask', sandboxed: false, reason: facts.justification };
  }
  if (confined && facts.sandboxUnavailable !== null) return withoutSandbox(facts, facts.sandboxUnavailable);
  if (facts.policy === 'untrusted' && !facts.onlyReads) {
    if (facts.sessionAllows) return { action: 'run', sandboxed: confined, remembered: 'session' };
    return { action: 'ask', sandboxed: confined, reason: null };
  }
  return { action: 'run', sandboxed: confined, remembered: null };
}

/**
 * A command the sandbox would confine, on a host where it cannot: asked to run unconfined, with the
 * cause as the reason. A "for the session" yes covers the same command again (unconfined, as the
 * escalation's does).
 */
function withoutSandbox(facts: ExecFacts, unavailable: SandboxUnavailable): ExecPlan {
  const unavailableText = `the command was not run: the sandbox is unavailable (${unavailable.cause}); ${unavailable.fix}`;
  if (facts.policy === 'never') return { action: 'refuse', failed: true, reason: unavailableText };
  const flags = granular(facts.policy);
  if (flags !== null && !flags.sandbox_approval) return { action: 'refuse', failed: true, reason: `${unavailableText} (the approval policy does not allow asking to run without it)` };
  if (facts.sessionAllows) return { action: 'run', sandboxed: false, remembered: 'session' };
  return { action: 'ask', sandboxed: false, reason: `${unavailable.cause}. Run the command without the sandbox?` };
}

export type WritePlan = { action: 'run'; remembered: 'session' | null } | { action: 'ask'; reason: string | null } | { action: 'refuse'; reason: string };

export interface WriteFacts {
  policy: AskForApproval;
  /** Null when every path is one the sandbox lets the tools write; else why not. */
  outside: string | null;
  sessionAllows: boolean;
}

export function decideWrite(facts: WriteFacts): WritePlan {
  if (facts.outside === null && facts.policy !== 'untrusted') return { action: 'run', remembered: null };
  if (facts.sessionAllows) return { action: 'run', remembered: 'session' };
  if (facts.outside !== null) {
    if (facts.policy === 'never') return { action: 'refuse', reason: `${facts.outside}, and the approval policy is never` };
    const flags = granular(facts.policy);
    if (flags !== null && !flags.sandbox_approval) return { action: 'refuse', reason: `${facts.outside}, and the approval policy does not allow asking` };
  }
  return { action: 'ask', reason: facts.outside };
}
