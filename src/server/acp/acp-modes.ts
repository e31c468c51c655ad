// ACP session modes from Keel's approval and sandbox presets, and Plan mode. A preset mode is the
// thread's settings (approval policy + sandbox), so a session loaded elsewhere shows the mode its
// thread runs in; Plan is Keel's Plan collaboration mode, a turn option (`options.mode: 'plan'`)
// that is no thread setting: a session seen first on this connection is in Plan when its thread's
// last turn ran in Plan mode, read from the context its turns recorded
// (engine/turns/plan-mode-in-effect.ts), and stays in it until the client chooses another mode.
// A chosen mode applies from the next prompt: it travels in that turn's settings (SessionChoices).
import { isDeepStrictEqual } from 'node:util';
import type { SessionMode, SessionModeState } from '@agentclientprotocol/sdk';
import type { AskForApproval, SandboxMode, SandboxPolicy } from '../../core/protocol-types.js';
import type { ThreadSettings } from '../../core/events.js';
import type { SettingsParams } from '../../engine/thread-settings.js';

interface Preset {
  mode: SessionMode & { id: PresetId };
  approvalPolicy: AskForApproval;
  sandbox: SandboxMode;
}

type PresetId = 'read-only' | 'default' | 'full-access';
export const PLAN_MODE = 'plan';
/** The thread's own settings when they match no preset (set in config.toml or by another client). */
export const CUSTOM_MODE = 'custom';

// Codex's approval presets (read-only, auto, full access), which codex-acp offers as its modes.
const PRESETS: readonly Preset[] = [
  {
    mode: { id: 'read-only', name: 'Read only', description: 'Reads files; asks before any edit, command outside the read-only sandbox or network use.' },
    approvalPolicy: 'on-request',
    sandbox: 'read-only',
  },
  {
    mode: { id: 'default', name: 'Default', description: 'Edits files and runs commands in the workspace (workspace-write sandbox); asks before leaving it.' },
    approvalPolicy: 'on-request',
    sandbox: 'workspace-write',
  },
  {
    mode: { id: 'full-access', name: 'Full access', description: 'Edits files and runs commands anywhere, network included (no sandbox); never asks.' },
    approvalPolicy: 'never',
    sandbox: 'danger-full-access',
  },
];

const PLAN: SessionMode = { id: PLAN_MODE, name: 'Plan', description: "Keel's Plan mode: reads and proposes a plan, changes nothing." };

const SANDBOX_MODES: Record<string, SandboxMode> = { readOnly: 'read-only', workspaceWrite: 'workspace-write', dangerFullAccess: 'danger-full-access' };

/** What a session runs in beside its thread's settings: Plan, and the settings "custom" stands for. */
export interface ModeChoice {
  plan: boolean;
  custom: { approvalPolicy: AskForApproval; sandboxPolicy: SandboxPolicy } | null;
}

function presetOf(approvalPolicy: AskForApproval, sandbox: SandboxPolicy): Preset | undefined {
  return PRESETS.find((preset) => isDeepStrictEqual(preset.approvalPolicy, approvalPolicy) && SANDBOX_MODES[sandbox.type] === preset.sandbox);
}

/** The "custom" mode a thread whose settings match no preset starts with; null when one matches. */
export function customOf(settings: ThreadSettings): ModeChoice['custom'] {
  return presetOf(settings.approvalPolicy, settings.sandbox) === undefined ? { approvalPolicy: settings.approvalPolicy, sandboxPolicy: settings.sandbox } : null;
}

/** The modes offered and the current one, for settings as they will be at the next prompt. */
export function modeState(settings: Pick<ThreadSettings, 'approvalPolicy' | 'sandbox'>, choice: ModeChoice): SessionModeState {
  const custom: SessionMode[] =
    choice.custom === null ? [] : [{ id: CUSTOM_MODE, name: 'As configured', description: `Approval policy ${JSON.stringify(choice.custom.approvalPolicy)}, sandbox ${SANDBOX_MODES[choice.custom.sandboxPolicy.type] ?? choice.custom.sandboxPolicy.type}.` }];
  const availableModes = [...PRESETS.map((preset) => preset.mode), PLAN, ...custom];
  return { currentModeId: currentMode(settings, choice), availableModes };
}

function currentMode(settings: Pick<ThreadSettings, 'approvalPolicy' | 'sandbox'>, choice: ModeChoice): string {
  if (choice.plan) return PLAN_MODE;
  const preset = presetOf(settings.approvalPolicy, settings.sandbox);
  if (preset !== undefined) return preset.mode.id;
  return CUSTOM_MODE;
}

/** The settings a mode sets (empty for Plan: it keeps the thread's); undefined for a mode Keel does not offer this session. */
export function modeSettings(modeId: string, choice: ModeChoice): SettingsParams | undefined {
  if (modeId === PLAN_MODE) return {};
  if (modeId === CUSTOM_MODE) return choice.custom === null ? undefined : { ...choice.custom };
  const preset = PRESETS.find((candidate) => candidate.mode.id === modeId);
  return preset && { approvalPolicy: preset.approvalPolicy, sandbox: preset.sandbox };
}
