// Resolves what a thread runs with from request params and Keel's defaults, and turns Codex's
// `sandbox` mode strings into the SandboxPolicy objects responses carry.
import path from 'node:path';
import type { z } from 'zod';
import type { ThreadSettings } from '../core/events.js';
import type { AskForApproval, SandboxPolicy } from '../core/protocol-types.js';
import type { SandboxMode } from '../protocol/schemas/thread-model.js';
import type { JsonValue } from '../protocol/schemas/common.js';

type Mode = z.output<typeof SandboxMode>;

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

/** The thread/start, resume and fork fields that set or override settings. */
export interface SettingsParams {
  model?: string | null;
  modelProvider?: string | null;
  cwd?: string | null;
  approvalPolicy?: AskForApproval | null;
  sandbox?: Mode | null;
  baseInstructions?: string | null;
  developerInstructions?: string | null;
  config?: Record<string, JsonValue> | null;
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
  const cwd = path.resolve(params.cwd ?? defaults.cwd);
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
  };
}

/** The settings a resume or fork changes: only fields the client sent and that differ. */
export function settingsOverrides(current: ThreadSettings, params: SettingsParams): Partial<ThreadSettings> {
  const out: Partial<ThreadSettings> = {};
  const cwd = params.cwd != null ? path.resolve(params.cwd) : current.cwd;
  if (cwd !== current.cwd) out.cwd = cwd;
  if (params.model != null && params.model !== current.model) out.model = params.model;
  if (params.modelProvider != null && params.modelProvider !== current.modelProvider) out.modelProvider = params.modelProvider;
  if (params.approvalPolicy != null && JSON.stringify(params.approvalPolicy) !== JSON.stringify(current.approvalPolicy)) {
    out.approvalPolicy = params.approvalPolicy;
  }
  if (params.sandbox != null) {
    const policy = sandboxPolicyFor(params.sandbox, cwd);
    if (JSON.stringify(policy) !== JSON.stringify(current.sandbox)) out.sandbox = policy;
  } else if (out.cwd !== undefined && current.sandbox.type === 'workspaceWrite') {
    // The workspace moves with the cwd: the old cwd's writable root becomes the new one.
    const roots = (current.sandbox.writableRoots ?? []).map((root) => (root === current.cwd ? cwd : root));
    out.sandbox = { ...current.sandbox, writableRoots: roots };
  }
  if (params.baseInstructions != null && params.baseInstructions !== current.baseInstructions) out.baseInstructions = params.baseInstructions;
  if (params.developerInstructions != null && params.developerInstructions !== current.developerInstructions) {
    out.developerInstructions = params.developerInstructions;
  }
  if (params.config != null) out.config = params.config;
  return out;
}
