// Reads of what extends Codex's agent — skills, hooks, plugins and their marketplaces, apps
// (connectors), MCP servers — and the two maintenance requests over them that have nothing to do
// in Keel. Keel has none of these yet: every list is the empty tuple, and params mirror Codex's so
// a client's request parses unchanged.
import * as z from 'zod';
import { AbsolutePath, alwaysEmpty, emptyObject, UInt } from './common.js';

const cursorAndLimit = { cursor: z.string().nullish(), limit: UInt.nullish() };

export const SkillsListParams = z.object({ cwds: z.array(z.string()).optional(), forceReload: z.boolean().optional() });
export const SkillsListEntry = z.object({
  cwd: z.string(),
  skills: alwaysEmpty('Keel has no skills.'),
  errors: alwaysEmpty('nothing is scanned, so nothing fails.'),
});
export const SkillsListResponse = z.object({ data: z.array(SkillsListEntry) });

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


