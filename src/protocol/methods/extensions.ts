// What extends Codex's agent — skills, hooks, plugins, marketplaces, apps, MCP servers. Skills are
// Keel's own (src/skills); of the others Keel has none yet: the reads answer empty and the
// maintenance requests have nothing to do.
import { clientRequest } from '../method-spec.js';
import * as E from '../schemas/extension-methods.js';

export const extensionMethods = {
  'skills/list': clientRequest({
    typeName: 'SkillsList',
    stability: 'stable',
    summary: "Skills (SKILL.md) per working directory (the default cwd when none is given): the repository's `.agents/skills`, `.codex/skills`, `.claude/skills`, `$KEEL_HOME/skills`, `~/.agents/skills` and the extra roots, with the files that failed to load.",
    params: E.SkillsListParams,
    result: E.SkillsListResponse,
    codexResult: 'v2/SkillsListResponse',
  }),
  'skills/config/write': clientRequest({
    typeName: 'SkillsConfigWrite',
    stability: 'stable',
    summary: 'Enables or disables a skill, by its SKILL.md path or by name, in config.toml (`[[skills.config]]`).',
    params: E.SkillsConfigWriteParams,
    result: E.SkillsConfigWriteResponse,
    codexResult: 'v2/SkillsConfigWriteResponse',
  }),
  'skills/extraRoots/set': clientRequest({
    typeName: 'SkillsExtraRootsSet',
    stability: 'stable',
    summary: 'Sets further directories to find skills in, for this process (replacing the previous set).',
    params: E.SkillsExtraRootsSetParams,
    result: E.SkillsExtraRootsSetResponse,
    codexResult: 'v2/SkillsExtraRootsSetResponse',
  }),
  'hooks/list': clientRequest({
    typeName: 'HooksList',
    stability: 'stable',
    summary: "Hooks per working directory (or a thread's): none, Keel runs no hooks.",
    params: E.HooksListParams,
    result: E.HooksListResponse,
    codexResult: 'v2/HooksListResponse',
  }),
  'plugin/list': clientRequest({
    typeName: 'PluginList',
    stability: 'stable',
    summary: 'Plugin marketplaces and their plugins: none.',
    params: E.PluginListParams,
    result: E.PluginListResponse,
    codexResult: 'v2/PluginListResponse',
  }),
  'plugin/installed': clientRequest({
    typeName: 'PluginInstalled',
    stability: 'stable',
    summary: 'Installed plugins: none.',
    params: E.PluginInstalledParams,
    result: E.PluginInstalledResponse,
    codexResult: 'v2/PluginInstalledResponse',
  }),
  'plugin/reconcile': clientRequest({
    typeName: 'PluginReconcile',
    stability: 'stable',
    summary: 'Reconciles installed plugins: with none installed, nothing changes.',
    params: E.PluginReconcileParams,
    result: E.PluginReconcileResponse,
    codexResult: 'v2/PluginReconcileResponse',
  }),
  'marketplace/upgrade': clientRequest({
    typeName: 'MarketplaceUpgrade',
    stability: 'stable',
    summary: 'Upgrades plugin marketplaces: with none configured, nothing is upgraded (a named one is not found).',
    params: E.MarketplaceUpgradeParams,
    result: E.MarketplaceUpgradeResponse,
    codexResult: 'v2/MarketplaceUpgradeResponse',
  }),
  'app/list': clientRequest({
    typeName: 'AppsList',
    stability: 'stable',
    summary: 'Apps (connectors) available: none.',
    params: E.AppsListParams,
    result: E.AppsListResponse,
    codexResult: 'v2/AppsListResponse',
  }),
  'app/installed': clientRequest({
    typeName: 'AppsInstalled',
    stability: 'stable',
    summary: 'Installed apps (connectors): none.',
    params: E.AppsInstalledParams,
    result: E.AppsInstalledResponse,
    codexResult: 'v2/AppsInstalledResponse',
  }),
} as const;
