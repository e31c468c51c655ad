// What the model receives before the thread's history, built once per turn: Keel's prompt (or the
// thread's own base instructions) and the client's developer instructions as developer messages,
// then the AGENTS.md files that apply and an <environment_context> message as user messages.
// None of it is a thread item: thread/read shows the conversation, not this preamble.
import os from 'node:os';
import path from 'node:path';
import type { ThreadSettings } from '../../core/events.js';
import type { ConversationItem } from '../../providers/types.js';
import { findAgentsFiles, type AgentsFile } from './agents-md.js';
import { KEEL_PROMPT } from './keel-prompt.js';
import { PLAN_MODE_PROMPT } from './plan-mode.js';
import { REVIEW_PROMPT } from './review.js';

/** `mode`: a Plan-mode turn adds its rules (and the mode's own instructions) to the developer messages. */
export async function turnContext(settings: ThreadSettings, home: string, now: Date, mode: { mode?: 'plan' | 'default' | 'review'; modeInstructions?: string | null } = {}): Promise<ConversationItem[]> {
  const planned = mode.mode === 'plan' ? [PLAN_MODE_PROMPT] : mode.mode === 'review' ? [REVIEW_PROMPT] : [];
  const developer = [settings.baseInstructions ?? KEEL_PROMPT, settings.developerInstructions, ...planned, mode.modeInstructions].filter((text): text is string => !!text);
  const agents = await findAgentsFiles(settings.cwd, home);
  return [
    ...developer.map((text): ConversationItem => ({ type: 'developer', text })),
    ...agents.map((file): ConversationItem => ({ type: 'user', content: [{ type: 'text', text: agentsMessage(file) }] })),
    { type: 'user', content: [{ type: 'text', text: environmentContext(settings, now) }] },
  ];
}

function agentsMessage(file: AgentsFile): string {
  const cut = file.truncated ? '\n[… cut: AGENTS.md files are limited in size]' : '';
  return `# AGENTS.md instructions for ${path.dirname(file.path)}\n\n<INSTRUCTIONS>\n${file.text}${cut}\n</INSTRUCTIONS>`;
}

/** The facts about where the model works; the date to the day, so the preamble stays stable within one. */
export function environmentContext(settings: ThreadSettings, now: Date): string {
  const sandbox = settings.sandbox;
  const lines = [
    `  <cwd>${settings.cwd}</cwd>`,
    `  <shell>${path.basename(process.env.SHELL || (os.platform() === 'win32' ? 'powershell' : 'sh'))}</shell>`,
    `  <current_date>${localDate(now)}</current_date>`,
    `  <timezone>${Intl.DateTimeFormat().resolvedOptions().timeZone}</timezone>`,
    `  <approval_policy>${typeof settings.approvalPolicy === 'string' ? settings.approvalPolicy : 'granular'}</approval_policy>`,
    `  <sandbox_mode>${sandboxMode(sandbox.type)}</sandbox_mode>`,
    `  <network_access>${'networkAccess' in sandbox && (sandbox.networkAccess === true || sandbox.networkAccess === 'enabled') || sandbox.type === 'dangerFullAccess' ? 'enabled' : 'restricted'}</network_access>`,
  ];
  if (sandbox.type === 'workspaceWrite') lines.push(`  <writable_roots>${(sandbox.writableRoots ?? []).join(', ')}</writable_roots>`);
  return `<environment_context>\n${lines.join('\n')}\n</environment_context>`;
}

function sandboxMode(type: ThreadSettings['sandbox']['type']): string {
  switch (type) {
    case 'readOnly':
      return 'read-only';
    case 'workspaceWrite':
      return 'workspace-write';
    case 'dangerFullAccess':
      return 'danger-full-access';
    case 'externalSandbox':
      return 'external-sandbox';
  }
}

function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
