// Reads of what extends Codex's agent — skills, hooks, plugins and their marketplaces, apps
// (connectors), MCP servers — and the two maintenance requests over them that have nothing to do
// in Keel. Keel has none of these yet: every list is the empty tuple, and params mirror Codex's so
// a client's request parses unchanged.
import * as z from 'zod';
import { AbsolutePath, alwaysEmpty, emptyObject, UInt } from './common.js';

const cursorAndLimit = { cursor: z.string().nullish(), limit: UInt.nullish() };

export const SkillsListParams = z.object({ cwds: z.array(z.string()).optional(), forceReload: z.boolean().optional() });
export const SkillScope = z.enum(['user', 'repo', 'system', 'admin']);
export const SkillMetadata = z.object({
  name: z.string(),
  description: z.string(),
  shortDescription: z.string().nullable().describe("SKILL.md's `metadata.short-description`, when it has one."),
  interface: z.null().describe('Keel reads no SKILL.json / agents/openai.yaml interface metadata.'),
  dependencies: z.null().describe('Keel reads no declared tool dependencies.'),
  path: AbsolutePath.describe('The SKILL.md file.'),
  scope: SkillScope.describe('`repo`: found under the repository (`.agents/skills`, `.codex/skills`, `.claude/skills`); `user`: `$KEEL_HOME/skills`, `~/.agents/skills` or an extra root.'),
  enabled: z.boolean(),
});
export const SkillErrorInfo = z.object({ path: z.string(), message: z.string() });
export const SkillsListEntry = z.object({ cwd: z.string(), skills: z.array(SkillMetadata), errors: z.array(SkillErrorInfo) });
export const SkillsListResponse = z.object({ data: z.array(SkillsListEntry) });

export const SkillsConfigWriteParams = z.object({ path: AbsolutePath.nullish(), name: z.string().nullish(), enabled: z.boolean() });
export const SkillsConfigWriteResponse = z.object({ effectiveEnabled: z.boolean() });

export const SkillsExtraRootsSetParams = z.object({ extraRoots: z.array(AbsolutePath) });
export const SkillsExtraRootsSetResponse = emptyObject();

export const HooksListParams = z.object({ cwds: z.array(z.string()).optional(), threadId: z.string().nullish() });
export const HooksListEntry = z.object({
  cwd: z.string(),
  hooks: alwaysEmpty('Keel runs no hooks.'),
  warnings: alwaysEmpty('nothing is scanned.'),
  errors: alwaysEmpty('nothing is scanned.'),
});
export const HooksListResponse = z.object({ data: z.array(HooksListEntry) });

const PluginListMarketplaceKind = z.enum(['local', 'vertical', 'workspace-directory', 'shared-with-me', 'created-by-me-remote']);
export const PluginListParams = z.object({
  cwds: z.array(AbsolutePath).nullish(),
  marketplaceKinds: z.array(PluginListMarketplaceKind).nullish(),
  forceRefetch: z.boolean().optional(),
});
export const PluginListResponse = z.object({
  marketplaces: alwaysEmpty('Keel has no plugin marketplaces.'),
  marketplaceLoadErrors: alwaysEmpty('no marketplace is loaded.'),
  featuredPluginIds: alwaysEmpty('Keel has no plugins.'),
});

export const PluginInstalledParams = z.object({ cwds: z.array(AbsolutePath).nullish(), installSuggestionPluginNames: z.array(z.string()).nullish() });
export const PluginInstalledResponse = z.object({
  marketplaces: alwaysEmpty('Keel has no plugin marketplaces.'),
  marketplaceLoadErrors: alwaysEmpty('no marketplace is loaded.'),
});

export const PluginReconcileParams = z.object({ reason: z.string().nullish() });
export const PluginReconcileResponse = z.object({
  changedPlugins: alwaysEmpty('Keel has no plugins, so none changed.'),
  failedRemotePluginIds: alwaysEmpty('Keel has no plugins.'),
  failedMaterializationRemotePluginIds: alwaysEmpty('Keel has no plugins.'),
});

export const MarketplaceUpgradeParams = z.object({ marketplaceName: z.string().nullish() });
export const MarketplaceUpgradeResponse = z.object({
  selectedMarketplaces: alwaysEmpty('Keel has no marketplaces to select.'),
  upgradedRoots: alwaysEmpty('nothing was upgraded.'),
  errors: alwaysEmpty('nothing was attempted.'),
});

export const AppsListParams = z.object({ ...cursorAndLimit, threadId: z.string().nullish(), forceRefetch: z.boolean().optional() });
export const AppsListResponse = z.object({ data: alwaysEmpty('Keel has no apps (connectors).'), nextCursor: z.null() });

export const AppsInstalledParams = z.object({ threadId: z.string().nullish(), forceRefresh: z.boolean().optional() });
export const AppsInstalledResponse = z.object({ apps: alwaysEmpty('Keel has no apps (connectors).') });


