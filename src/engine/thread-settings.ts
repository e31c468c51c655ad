// Resolves what a thread runs with from request params and Keel's defaults, and turns Codex's
// `sandbox` mode strings into the SandboxPolicy objects responses carry. One rule for what a
// request changes, shared by resume, fork and turn/start.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ThreadSettings } from '../core/events.js';
import type { AskForApproval, DynamicToolSpec, JsonValue, ReasoningEffort, SandboxMode as Mode, SandboxPolicy } from '../core/protocol-types.js';

export interface SettingsDefaults {
  model: string;
  modelProvider: string;
  approvalPolicy: AskForApproval;
  sandbox: Mode;
  cwd: string;
  baseInstructions?: string | null;
  developerInstructions?: string | null;
  reasoningEffort?: string | null;
}

/** The thread/start, resume, fork and turn/start fields that set or override settings. */
export interface SettingsParams {
  model?: string | null;
  modelProvider?: string | null;
  cwd?: string | null;
  approvalPolicy?: AskForApproval | null;
  /** A sandbox mode (thread requests)… */
  sandbox?: Mode | null;
  /** …or a whole policy (turn/start); the policy wins when both are sent. */
  sandboxPolicy?: SandboxPolicy | null;
  reasoningEffort?: ReasoningEffort | null;
  baseInstructions?: string | null;
  developerInstructions?: string | null;
  config?: Record<string, JsonValue> | null;
  dynamicTools?: DynamicToolSpec[] | null;
  serviceTier?: string | null;
}

/** A path a client names, absolute and with symlinks resolved where it exists (so the sandbox sees the real place). */
export function canonicalPath(given: string): string {
  const absolute = path.resolve(given);
  try {
    return fs.realpathSync(absolute);
  } catch {
    return absolute;
  }
}

export function sandboxPolicyFor(mode: Mode, cwd: string): SandboxPolicy {
  switch (mode) {
    case 'read-only':
      return { type: 'readOnly', networkAccess: false };
    case 'danger-full-access':
      return { type: 'dangerFullAccess' };
    case 'workspace-write':
      return { type: 'workspaceWrite', writableRoots: [cwd], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false };
  }
}

export function resolveSettings(params: SettingsParams, defaults: SettingsDefaults): ThreadSettings {
  const cwd = canonicalPath(params.cwd ?? defaults.cwd);
  return {
    cwd,
    model: params.model ?? defaults.model,
    modelProvider: params.modelProvider ?? defaults.modelProvider,
    approvalPolicy: params.approvalPolicy ?? defaults.approvalPolicy,
    sandbox: sandboxPolicyFor(params.sandbox ?? defaults.sandbox, cwd),
    reasoningEffort: defaults.reasoningEffort ?? null,
    baseInstructions: params.baseInstructions ?? defaults.baseInstructions ?? null,
    developerInstructions: params.developerInstructions ?? defaults.developerInstructions ?? null,
    config: params.config ?? null,
    ...(params.dynamicTools && params.dynamicTools.length > 0 && { dynamicTools: params.dynamicTools }),
    ...(params.serviceTier != null && { serviceTier: params.serviceTier }),
  };
}

/** A policy with the fields a client may leave out filled in, so equal policies compare equal. */
export function completePolicy(policy: SandboxPolicy, cwd: string): SandboxPolicy {
  switch (policy.type) {
    case 'readOnly':
      return { type: 'readOnly', networkAccess: policy.networkAccess ?? false };
    case 'workspaceWrite':
      return {
        type: 'workspaceWrite',
        writableRoots: policy.writableRoots ?? [cwd],
        networkAccess: policy.networkAccess ?? false,
        excludeTmpdirEnvVar: policy.excludeTmpdirEnvVar ?? false,
        excludeSlashTmp: policy.excludeSlashTmp ?? false,
      };
    default:
      return policy;
  }
}

/**
 * The settings a request changes: only fields the client sent and that differ from the current
 * ones, so a client that repeats its policies on every turn (as Codex clients do) changes nothing.
 * A new cwd moves the workspace-write root with it unless the request names the sandbox itself.
 */
export function settingsOverrides(current: ThreadSettings, params: SettingsParams): Partial<ThreadSettings> {
  const out: Partial<ThreadSettings> = {};
  const cwd = params.cwd != null ? canonicalPath(params.cwd) : current.cwd;
  if (cwd !== current.cwd) out.cwd = cwd;
  if (params.model != null && params.model !== current.model) out.model = params.model;
  if (params.modelProvider != null && params.modelProvider !== current.modelProvider) out.modelProvider = params.modelProvider;
  if (params.reasoningEffort != null && params.reasoningEffort !== current.reasoningEffort) out.reasoningEffort = params.reasoningEffort;
  if (params.approvalPolicy != null && !isDeepStrictEqual(params.approvalPolicy, current.approvalPolicy)) out.approvalPolicy = params.approvalPolicy;
  const sandbox = params.sandboxPolicy != null ? completePolicy(params.sandboxPolicy, cwd) : params.sandbox != null ? sandboxPolicyFor(params.sandbox, cwd) : null;
  if (sandbox !== null) {
    if (!isDeepStrictEqual(sandbox, current.sandbox)) out.sandbox = sandbox;
  } else if (out.cwd !== undefined && current.sandbox.type === 'workspaceWrite') {
    // The workspace moves with the cwd: the old cwd's writable root becomes the new one.
    const roots = (current.sandbox.writableRoots ?? []).map((root) => (root === current.cwd ? cwd : root));
    out.sandbox = { ...current.sandbox, writableRoots: roots };
  }
  if (params.baseInstructions != null && params.baseInstructions !== current.baseInstructions) out.baseInstructions = params.baseInstructions;
  if (params.developerInstructions != null && params.developerInstructions !== current.developerInstructions) {
    out.developerInstructions = params.developerInstructions;
  }
  if (params.config != null && !isDeepStrictEqual(params.config, current.config)) out.config = params.config;
  if (params.serviceTier != null && params.serviceTier !== (current.serviceTier ?? null)) out.serviceTier = params.serviceTier;
  return out;
}
