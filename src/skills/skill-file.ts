// One SKILL.md read into what skills/list reports and the model is told: its name, description and
// short description, checked as Codex checks them (required, one line, within length limits).
// A file that fails a check becomes an error naming the file, never an exception.
import fs from 'node:fs/promises';
import { parseFrontMatter } from './front-matter.js';

export const SKILL_FILE = 'SKILL.md';
/** Codex's limits, in characters. */
export const MAX_NAME_LENGTH = 64;
export const MAX_DESCRIPTION_LENGTH = 1024;
/** A SKILL.md bigger than this is not a skill (its body is read by the model, not here). */
const MAX_FILE_BYTES = 256 * 1024;

export type SkillScope = 'user' | 'repo' | 'system' | 'admin';

export interface Skill {
  name: string;
  description: string;
  shortDescription: string | null;
  /** The SKILL.md, absolute. */
  path: string;
  scope: SkillScope;
}

export interface SkillError {
  path: string;
  message: string;
}

export type SkillRead = { ok: true; skill: Skill } | { ok: false; error: SkillError };

/** One line, runs of whitespace collapsed: a description spread over lines reads as one. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export async function readSkillFile(file: string, scope: SkillScope): Promise<SkillRead> {
  const fail = (message: string): SkillRead => ({ ok: false, error: { path: file, message } });
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_FILE_BYTES) return fail(`SKILL.md is larger than ${MAX_FILE_BYTES} bytes`);
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return fail(`cannot read SKILL.md: ${(error as Error).message}`);
  }
  const parsed = parseFrontMatter(text);
  if (!parsed.ok) return fail(parsed.message);
  const field = (key: string): string | null => {
    const value = parsed.fields[key];
    return typeof value === 'string' ? oneLine(value) : null;
  };
  const name = field('name');
  const description = field('description');
  if (!name) return fail('missing field `name`');
  if (!description) return fail('missing field `description`');
  if (name.length > MAX_NAME_LENGTH) return fail(`invalid name: longer than ${MAX_NAME_LENGTH} characters`);
  if (description.length > MAX_DESCRIPTION_LENGTH) return fail(`invalid description: longer than ${MAX_DESCRIPTION_LENGTH} characters`);
  // Codex reads a legacy short description from `metadata.short-description`.
  const metadata = parsed.fields.metadata;
  const short = typeof metadata === 'object' && !Array.isArray(metadata) ? metadata['short-description'] : undefined;
  const shortDescription = typeof short === 'string' && short !== '' ? oneLine(short) : null;
  if (shortDescription !== null && shortDescription.length > MAX_DESCRIPTION_LENGTH) return fail(`invalid metadata.short-description: longer than ${MAX_DESCRIPTION_LENGTH} characters`);
  return { ok: true, skill: { name, description, shortDescription, path: file, scope } };
}
