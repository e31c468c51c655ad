// The one point every tool action passes before it runs a command or changes a file. Approvals
// and the sandbox plug in here; until they exist, every action is allowed (the thread's
// approvalPolicy is treated as `never`, as app-server.md says).
export interface GateRequest {
  kind: 'exec' | 'write';
  /** The command to run (exec). */
  command?: string;
  /** The files to change (write), absolute. */
  paths?: string[];
  cwd: string;
  /** Why the model wants more than the sandbox allows, when it asks (`sandbox_permissions`). */
  justification?: string;
  escalated?: boolean;
}

export type GateDecision = { allowed: true } | { allowed: false; reason: string };

export interface ToolGate {
  check(request: GateRequest, signal: AbortSignal): Promise<GateDecision>;
}

export const allowEverything: ToolGate = {
  check: async () => ({ allowed: true }),
};
