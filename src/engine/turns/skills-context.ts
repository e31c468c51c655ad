// What the model is told about skills: the name, description and SKILL.md path of each enabled
// skill, and how to use one — open its SKILL.md with the file-reading tools it already has when a
// task matches or the user names it. Only this list goes into the context; a body is read on
// demand (Codex's progressive disclosure), so many skills cost little. Sent as a user message with
// the AGENTS.md files (the 'agents' kind), so it is re-sent only when the list changes.
import path from 'node:path';
import { readInputFile } from '../../tools/input-file.js';

/** What the model needs of a skill. */
export interface SkillForModel {
  name: string;
  description: string;
  /** The SKILL.md, absolute. */
  path: string;
}

export function skillsMessage(skills: readonly SkillForModel[]): string | null {
  if (skills.length === 0) return null;
  const entries = skills.map((skill) => `- ${skill.name}: ${skill.description} (file: ${skill.path})`);
  return [
    '## Skills',
    'A skill is a set of instructions for a kind of task, kept in a SKILL.md file. The skills available in this session are listed below: name, description, and the path of the SKILL.md.',
    '### Available skills',
    ...entries,
    '### How to use skills',
    "- When the user names a skill (`$name` or in plain words), or the task clearly fits a skill's description, open that skill's SKILL.md with your file-reading tool before you start, and follow it. Read only as much of it, and of the files it points to, as the task needs.",
    '- Paths a SKILL.md mentions are relative to the directory that holds it, unless absolute.',
    '- If several skills fit, use the smallest set that covers the task and say which ones you use. If a SKILL.md cannot be read, say so briefly and carry on as well as you can without it.',
    "- A skill does not outrank the user's messages or the AGENTS.md instructions.",
  ].join('\n');
}

/** Largest SKILL.md given whole to the model when the user names the skill. */
export const SKILL_BODY_MAX_BYTES = 256 * 1024;

/**
 * A skill the user named in their input (UserInput `skill`): its SKILL.md, read now, goes to the
 * model whole, so it need not open the file itself. Only a file named SKILL.md is read — the
 * input names a skill, not any file — otherwise, or when it cannot be read, the model is told the
 * name and path and why.
 */
export async function namedSkillText(skill: { name: string; path: string }, cwd: string, signal: AbortSignal): Promise<string> {
  const file = path.resolve(cwd, skill.path);
  if (path.basename(file) !== 'SKILL.md') return `@${skill.name} (${skill.path}): not a SKILL.md, so not read`;
  const read = await readInputFile(file, signal, SKILL_BODY_MAX_BYTES);
  if ('refused' in read) return `@${skill.name} (${skill.path}): the skill's SKILL.md ${read.refused}`;
  return `<skill>\n<name>${skill.name}</name>\n<path>${file}</path>\n${read.bytes.toString('utf8').trim()}\n</skill>`;
}
