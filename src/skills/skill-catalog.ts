// The skills of each working directory as clients list them and the model is told of them: found
// on disk (discover.ts), cached per cwd until a client asks for a rescan (forceReload) or changes
// the extra roots, and marked enabled or not by config.toml's `[[skills.config]]` entries (by path
// or by name; a path entry wins over a name entry, and a later entry over an earlier one). The
// extra roots belong to this process, as in Codex: a restart forgets them.
import path from 'node:path';
import type { JsonObject } from '../config/config-document.js';
import type { ConfigStore } from '../config/config-store.js';
import { DomainError } from '../kernel/errors.js';
import { discoverSkills, skillRoots, type Discovered } from './discover.js';
import type { Skill, SkillError } from './skill-file.js';

export interface ListedSkill extends Skill {
  enabled: boolean;
}

export interface SkillsOfCwd {
  cwd: string;
  skills: ListedSkill[];
  errors: SkillError[];
}

interface SkillRule {
  path?: string | null;
  name?: string | null;
  enabled: boolean;
}

/** A skill picked out by its SKILL.md path or its name (skills/config/write's selectors). */
export type SkillSelector = { path: string } | { name: string };

export class SkillCatalog {
  private extraRoots: string[] = [];
  private readonly cache = new Map<string, Promise<Discovered>>();

  constructor(
    /** Keel's home and the user's ($HOME): where user-scope skills are kept. */
    private readonly homes: { keelHome: string; userHome: string },
    private readonly config: Pick<ConfigStore, 'snapshot' | 'write'>,
  ) {}

  /** The skills of `cwd`: cached unless `forceReload`. */
  async list(cwd: string, forceReload = false): Promise<SkillsOfCwd> {
    const key = path.resolve(cwd);
    let found = forceReload ? undefined : this.cache.get(key);
    if (found === undefined) {
      found = this.scan(key);
      this.cache.set(key, found);
      found.catch(() => this.cache.delete(key));
    }
    const { skills, errors } = await found;
    const rules = this.rules();
    return { cwd, skills: skills.map((skill) => ({ ...skill, enabled: enabledBy(rules, skill) })), errors };
  }

  /** The enabled skills of `cwd` as they are on disk now: what a turn tells the model (and the cache then holds). */
  async enabledNow(cwd: string): Promise<ListedSkill[]> {
    return (await this.list(cwd, true)).skills.filter((skill) => skill.enabled);
  }

  setExtraRoots(roots: readonly string[]): void {
    for (const root of roots) if (!path.isAbsolute(root)) throw new DomainError('invalid', `not an absolute path: ${root}`, 'extraRoots');
    this.extraRoots = [...new Set(roots.map((root) => path.resolve(root)))];
    this.cache.clear();
  }

  /**
   * Records in config.toml that the selected skill is enabled or not (replacing an earlier entry
   * for the same selector) and answers whether it now is. A path entry decides for that file even
   * over a name entry, so a name's effective state is the new value unless a path overrides it.
   */
  setEnabled(selector: SkillSelector, enabled: boolean): boolean {
    const rules = this.rules().filter((rule) => ('path' in selector ? rule.path == null || path.resolve(rule.path) !== path.resolve(selector.path) : rule.path != null || rule.name !== selector.name));
    const entry = 'path' in selector ? { path: path.resolve(selector.path), enabled } : { name: selector.name, enabled };
    rules.push(entry);
    const value = rules.map((rule): JsonObject => (rule.path != null ? { path: rule.path, enabled: rule.enabled } : { name: rule.name!, enabled: rule.enabled }));
    this.config.write([{ keyPath: 'skills.config', value, mergeStrategy: 'replace' }]);
    return enabled;
  }

  private scan(cwd: string): Promise<Discovered> {
    return skillRoots(cwd, this.homes, this.extraRoots).then(discoverSkills);
  }

  private rules(): SkillRule[] {
    const skills = this.config.snapshot().effective.skills as { config?: SkillRule[] | null } | undefined;
    return (skills?.config ?? []).filter((rule) => rule.path != null || rule.name != null);
  }
}

function enabledBy(rules: readonly SkillRule[], skill: Skill): boolean {
  const byPath = rules.filter((rule) => rule.path != null && path.resolve(rule.path) === skill.path).at(-1);
  if (byPath) return byPath.enabled;
  return rules.filter((rule) => rule.path == null && rule.name === skill.name).at(-1)?.enabled ?? true;
}
