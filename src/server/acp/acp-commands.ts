// The slash commands a Keel session offers an editor (`available_commands_update`), and what a
// prompt naming one runs: `/compact` is Keel's thread compaction (the app-server's
// thread/compact/start), `/review` a review turn of the uncommitted changes (review/start's
// uncommittedChanges target; text after it is added to the request), and `/<skill>` a turn whose
// input puts that enabled skill (SKILL.md of the session's cwd) first, as the app-server's
// `skill` input does, then the rest of the prompt. Any other prompt is a plain turn.
import type { AvailableCommand, SessionUpdate } from '@agentclientprotocol/sdk';
import type { UserInput } from '../../core/protocol-types.js';
import { reviewRequest } from '../../engine/turns/review.js';
import { DomainError } from '../../kernel/errors.js';
import type { ListedSkill } from '../../skills/skill-catalog.js';
import type { Keel } from '../open-keel.js';
import type { AcpContentBlock } from './acp-params.js';

const BUILT_IN: AvailableCommand[] = [
  { name: 'compact', description: "Compact the session's context: the model summarises the conversation so far, and later turns start from its summary" },
  { name: 'review', description: 'Review the uncommitted changes in the working tree (staged, unstaged and untracked)', input: { hint: 'what to look at especially (optional)' } },
];

/** What a prompt runs: a plain turn with its input, a compaction, or a turn in review mode. */
export type PromptRun = { kind: 'turn'; input: UserInput[] } | { kind: 'review'; input: UserInput[] } | { kind: 'compact' };

/** The commands of a session in `cwd`: compact, review, and each enabled skill not named like them. */
export async function availableCommands(keel: Keel, cwd: string): Promise<AvailableCommand[]> {
  const skills = await enabledSkills(keel, cwd);
  return [...BUILT_IN, ...skills.filter(isCommand).map((skill) => ({ name: skill.name, description: skill.shortDescription ?? skill.description, input: { hint: `what to do with the ${skill.name} skill (optional)` } }))];
}

/** The update that tells the editor a session's commands. */
export async function commandsUpdate(keel: Keel, cwd: string): Promise<SessionUpdate> {
  return { sessionUpdate: 'available_commands_update', availableCommands: await availableCommands(keel, cwd) };
}

/**
 * What the prompt runs, given its turn input (acp-prompt.ts: the first text block is the first
 * input). A first word that names no command of the session leaves the prompt a plain turn.
 */
export async function promptRun(keel: Keel, cwd: string, prompt: readonly AcpContentBlock[], input: UserInput[]): Promise<PromptRun> {
  const first = prompt[0];
  const named = first?.type === 'text' ? /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(first.text.trimStart()) : null;
  if (named === null) return { kind: 'turn', input };
  const name = named[1]!;
  const rest = named[2] ?? '';
  const after = [...(rest.trim() === '' ? [] : [text(rest.trim())]), ...input.slice(1)];
  if (name === 'compact') {
    // Keel's compaction takes no instructions: what was typed after it would be lost silently.
    if (after.length > 0) throw new DomainError('invalid', '/compact takes no input: send it alone', 'prompt[0].text');
    return { kind: 'compact' };
  }
  if (name === 'review') {
    const request = reviewRequest({ type: 'uncommittedChanges' });
    return { kind: 'review', input: [text(rest.trim() === '' ? request : `${request}\n\n${rest.trim()}`), ...input.slice(1)] };
  }
  const skill = (await enabledSkills(keel, cwd)).find((candidate) => candidate.name === name && isCommand(candidate));
  if (skill === undefined) return { kind: 'turn', input };
  return { kind: 'turn', input: [{ type: 'skill', name: skill.name, path: skill.path }, ...after] };
}

/** A skill folder that cannot be scanned leaves the session without skill commands, not without its prompt. */
async function enabledSkills(keel: Keel, cwd: string): Promise<ListedSkill[]> {
  return keel.skills.enabledNow(cwd).catch(() => []);
}

/** A skill is a command when an editor can type it: one word, not a built-in's. */
function isCommand(skill: ListedSkill): boolean {
  return /^\S+$/.test(skill.name) && !BUILT_IN.some((command) => command.name === skill.name);
}

function text(value: string): UserInput {
  return { type: 'text', text: value, text_elements: [] };
}
