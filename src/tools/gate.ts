// The one point every tool action passes before it runs a command or changes a file: it may let
// the action run (in the sandbox or outside it), ask the client first, or refuse. The engine's
// gate (engine/approvals/approval-gate.ts) applies the thread's approval policy and sandbox.
import type { CommandSandbox, WriteConfinement } from './sandbox/index.js';

export interface GateRequest {
  /** `read`: Keel's own read tools (never asked: refused where the sandbox hides the place, e.g. Keel's home). */
  kind: 'exec' | 'write' | 'read' | 'mcp';
  /** The item the action belongs to (approval requests name it). */
  itemId: string;
  /** exec: the command as the model wrote it (rules and remembered approvals match it). */
  command?: string;
  /** exec: the command line as its item shows it (`/bin/bash -lc '…'`); default `command`. */
  commandLine?: string;
  /** exec: the program the model chose to run `command` with (exec_command's `shell`); absent: Keel's default shell. */
  shell?: string;
  /**
   * exec: `command` is not a command line but input the model writes to a running command (write_stdin):
   * what reads it is whatever runs in the session now, so it is judged as a command Keel cannot vouch for.
   * `command` is the session's command as the model wrote it, `processId` its session.
   */
  stdin?: { command: string; processId: string };
  /** mcp: the server and the tool the model calls, its arguments, and whether the tool says it only reads. */
  server?: string;
  tool?: string;
  arguments?: unknown;
  readOnly?: boolean;
  /** write, read: the files to change or read, absolute. */
  paths?: string[];
  cwd: string;
  /** Why the model wants more than the sandbox allows, when it asks (`sandbox_permissions`). */
  justification?: string;
  escalated?: boolean;
  /** exec: asking to run again without the sandbox, which seems to have refused it: what it said. */
  sandboxDenial?: string;
  /** Shows the action's item (item/started) before anything is asked about it (Codex's order). */
  announce(): void;
}

/** How a command is confined: bubblewrap, its policy, and the places the policy names. */
export type ExecSandbox = CommandSandbox;

export type GateDecision =
  /**
   * `sandbox`: run commands inside it; null: run them as they are. `confine` (writes): the roots the
   * writes must still land in when they are made (absent: anywhere, as approved). `hidden` (reads):
   * real paths a listing, glob or search must skip wherever it meets them, and a read must not land
   * in once open.
   */
  | { allowed: true; sandbox: ExecSandbox | null; confine?: WriteConfinement; hidden?: readonly string[] }
  /** `failed`: it could not be allowed (no usable sandbox), as opposed to declined. */
  | { allowed: false; reason: string; failed?: boolean };

export interface ToolGate {
  check(request: GateRequest, signal: AbortSignal): Promise<GateDecision>;
}

/** For the user's own commands and tests: everything runs, unconfined. */
export const allowEverything: ToolGate = {
  check: async () => ({ allowed: true, sandbox: null }),
};
