// Skills (src/skills: found on disk, enabled or not in config.toml), and hooks, plugins,
// marketplaces and apps, which Keel has none of yet, so each of those reads answers empty and each
// maintenance request has nothing to do. What a request does name is still checked — a thread, a
// marketplace, a cursor — so nothing is silently made up.
import nodePath from 'node:path';
import type { SettingsDefaults } from '../../engine/thread-settings.js';
import type { ThreadRegistry } from '../../engine/thread-registry.js';
import { invalidCursor } from '../../kernel/cursor.js';
import { DomainError } from '../../kernel/errors.js';
import type { ListedSkill, SkillCatalog } from '../../skills/skill-catalog.js';
import type { Handler } from '../dispatch.js';

type ExtensionMethod =
  | 'skills/list'
  | 'skills/config/write'
  | 'skills/extraRoots/set'
  | 'hooks/list'
  | 'plugin/list'
  | 'plugin/installed'
  | 'plugin/reconcile'
  | 'marketplace/upgrade'
  | 'app/list'
  | 'app/installed';

/** An always-empty list never hands out a cursor, so any cursor a client sends is not one of Keel's. */
export function refuseCursor(cursor: string | null | undefined): void {
  if (cursor != null) throw invalidCursor(cursor);
}

export interface ExtensionServices {
  /** A thread's settings (its cwd), loaded or stored. */
  registry: Pick<ThreadRegistry, 'read'>;
  defaults(): SettingsDefaults;
  skills: Pick<SkillCatalog, 'list' | 'setEnabled' | 'setExtraRoots'>;
}

/** A skill as skills/list reports it (SkillMetadata). */
function skillMetadata(skill: ListedSkill) {
  const { name, description, shortDescription, path, scope, enabled } = skill;
  return { name, description, shortDescription, interface: null, dependencies: null, path, scope, enabled };
}

export function extensionHandlers(services: ExtensionServices): { [M in ExtensionMethod]: Handler<M> } {
  /** The directories a per-cwd read reports: those asked for, else the thread's, else Keel's default. */
  const cwdsOf = async (cwds: string[] | undefined, threadId?: string | null): Promise<string[]> => {
    if (cwds !== undefined && cwds.length > 0) return cwds;
    if (threadId != null) return [(await services.registry.read(threadId)).settings.cwd];
    return [services.defaults().cwd];
  };

  return {
    'skills/list': async (params) => ({
      data: await Promise.all((await cwdsOf(params.cwds)).map(async (cwd) => {
        const found = await services.skills.list(cwd, params.forceReload === true);
        return { cwd, skills: found.skills.map(skillMetadata), errors: found.errors };
      })),
    }),
    'skills/config/write': (params) => {
      const byPath = params.path != null;
      const byName = params.name != null;
      if (byPath === byName) throw new DomainError('invalid', 'give exactly one of `path` and `name`', byPath ? 'name' : 'path');
      if (byPath && !nodePath.isAbsolute(params.path!)) throw new DomainError('invalid', `not an absolute path: ${params.path}`, 'path');
      const selector = byPath ? { path: params.path! } : { name: params.name! };
      return { effectiveEnabled: services.skills.setEnabled(selector, params.enabled) };
    },
    'skills/extraRoots/set': (params) => {
      services.skills.setExtraRoots(params.extraRoots);
      return {};
    },
    'hooks/list': async (params) => ({ data: (await cwdsOf(params.cwds, params.threadId)).map((cwd) => ({ cwd, hooks: [], warnings: [], errors: [] })) }),
    'plugin/list': () => ({ marketplaces: [], marketplaceLoadErrors: [], featuredPluginIds: [] }),
    'plugin/installed': () => ({ marketplaces: [], marketplaceLoadErrors: [] }),
    'plugin/reconcile': () => ({ changedPlugins: [], failedRemotePluginIds: [], failedMaterializationRemotePluginIds: [] }),
    'marketplace/upgrade': (params) => {
      if (params.marketplaceName != null) throw new DomainError('notFound', `marketplace not found: ${params.marketplaceName} (Keel has no plugin marketplaces)`);
      return { selectedMarketplaces: [], upgradedRoots: [], errors: [] };
    },
    'app/list': (params) => {
      refuseCursor(params.cursor);
      return { data: [], nextCursor: null };
    },
    'app/installed': () => ({ apps: [] }),
  };
}
