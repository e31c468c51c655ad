// What the model reads that is not a thread item: Keel's prompt (or the thread's own base
// instructions) and the client's developer instructions as developer messages, the AGENTS.md files
// that apply and an <environment_context> as user messages, and the turn's mode (Plan mode, a
// review, collaborationMode instructions) as developer messages. thread/read shows none of it.
//
// Providers cache the longest request prefix they have seen, so this is never rebuilt in front of
// the history: a turn records (turn/context) only what differs from what the model was last told —
// the first turn everything, a later one a new environment, the AGENTS.md files again, a mode's
// start or end — and conversation.ts puts it where it was recorded, before that turn's input.
import os from 'node:os';
import path from 'node:path';
import type { ContextMessage, ThreadSettings } from '../../core/events.js';
import type { TurnState } from '../../core/state.js';
import type { ConversationItem } from '../../providers/types.js';
import { findAgentsFiles, type AgentsFile } from './agents-md.js';
import { KEEL_PROMPT } from './keel-prompt.js';
import { PLAN_MODE_ENDED, PLAN_MODE_PROMPT } from './plan-mode.js';
import { skillsMessage, type SkillForModel } from './skills-context.js';
import { REVIEW_PROMPT } from './review.js';

type Kind = ContextMessage['kind'];

/** The order the kinds are sent in: what never changes within a thread first, the turn's mode last. */
const KINDS: readonly Kind[] = ['instructions', 'developer', 'agents', 'environment', 'mode'];

/** What the model is told when a kind it was given stops applying (instructions and environment always apply). */
function endedText(kind: Kind, before: readonly ContextMessage[]): string {
  switch (kind) {
    case 'developer':
      return 'The developer instructions given above no longer apply.';
    case 'agents':
      return 'No AGENTS.md instructions apply any more: the AGENTS.md files given above were removed or are outside the working directory.';
    case 'mode':
      return before[0]?.text === PLAN_MODE_PROMPT ? PLAN_MODE_ENDED : MODE_ENDED;
    default:
      return `The ${kind} given above no longer apply.`;
  }
}

/** A review's or a mode's own instructions ended (Plan mode says so in its own words). */
export const MODE_ENDED =
  "The mode given above has ended: you are in the default mode now. You may change files and run commands again, within the approval policy and sandbox; that mode's instructions no longer apply.";

/**
 * Everything the model should know now, in sending order. `mode`: a Plan-mode or review turn adds
 * its rules (and the mode's own instructions). `skills`: the enabled skills, listed after the
 * AGENTS.md files (skills-context.ts).
 */
export async function turnContext(settings: ThreadSettings, home: string, now: Date, mode: { mode?: 'plan' | 'default' | 'review'; modeInstructions?: string | null } = {}, skills: readonly SkillForModel[] = []): Promise<ContextMessage[]> {
  const prompt = mode.mode === 'plan' ? [PLAN_MODE_PROMPT] : mode.mode === 'review' ? [REVIEW_PROMPT] : [];
  const agents = await findAgentsFiles(settings.cwd, home);
  const of = (kind: Kind, texts: ReadonlyArray<string | null | undefined>) => texts.filter((text): text is string => !!text).map((text): ContextMessage => ({ kind, text }));
  return [
    ...of('instructions', [settings.baseInstructions ?? KEEL_PROMPT]),
    ...of('developer', [settings.developerInstructions]),
    ...of('agents', [...agents.map(agentsMessage), skillsMessage(skills)]),
    ...of('environment', [environmentContext(settings, now)]),
    ...of('mode', [...prompt, mode.modeInstructions]),
  ];
}

/** What the model was last told of each kind, from the turns' recorded context in order (a later turn's messages of a kind replace the earlier ones). */
export function contextInEffect(turns: Iterable<TurnState>): Map<Kind, ContextMessage[]> {
  const state = new Map<Kind, ContextMessage[]>();
  for (const turn of turns) {
    for (const kind of KINDS) {
      const messages = (turn.context ?? []).filter((message) => message.kind === kind);
      if (messages.length > 0) state.set(kind, messages.filter((message) => !message.ended));
    }
  }
  return state;
}

/**
 * What a turn must add so that the model knows `current`: each kind whose messages differ from
 * the ones in effect, whole, or a note that it ended. Nothing when nothing changed. `keep`: kinds
 * left as they are (a compaction's turn has no mode of its own).
 */
export function contextChanges(inEffect: ReadonlyMap<Kind, readonly ContextMessage[]>, current: readonly ContextMessage[], keep: readonly Kind[] = []): ContextMessage[] {
  const out: ContextMessage[] = [];
  for (const kind of KINDS) {
    if (keep.includes(kind)) continue;
    const before = inEffect.get(kind) ?? [];
    const now = current.filter((message) => message.kind === kind);
    if (now.length === before.length && now.every((message, i) => message.text === before[i]!.text)) continue;
    out.push(...(now.length > 0 ? now : [{ kind, text: endedText(kind, before), ended: true as const }]));
  }
  return out;
}

/** The messages in effect, in sending order: what stands in front of a compaction's summary. */
export function contextInOrder(inEffect: ReadonlyMap<Kind, readonly ContextMessage[]>): ContextMessage[] {
  return KINDS.flatMap((kind) => inEffect.get(kind) ?? []);
}

/** Instructions go as developer messages, facts about the project and the machine as user messages. */
export function contextItem(message: ContextMessage): ConversationItem {
  return message.kind === 'agents' || message.kind === 'environment' ? { type: 'user', content: [{ type: 'text', text: message.text }] } : { type: 'developer', text: message.text };
}

function agentsMessage(file: AgentsFile): string {
  const cut = file.truncated ? '\n[… cut: AGENTS.md files are limited in size]' : '';
  return `# AGENTS.md instructions for ${path.dirname(file.path)}\n\n<INSTRUCTIONS>\n${file.text}${cut}\n</INSTRUCTIONS>`;
}

/** The facts about where the model works; the date to the day, so a new one is sent at most once a day. */
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
