// What of Claude Code's and Codex's setup Keel can take over, found on disk: each is a migration
// item (externalAgentConfig/detect) with the steps that import it (externalAgentConfig/import).
// Only what Keel has a concept for and does not have yet is offered:
// - AGENTS_MD: instructions. The user's ~/.codex/AGENTS.md or ~/.claude/CLAUDE.md becomes
//   $KEEL_HOME/AGENTS.md; a repository's CLAUDE.md (or .claude/CLAUDE.md) becomes its AGENTS.md —
//   each only where the target is missing or empty.
// - CONFIG: the settings of ~/.codex/config.toml that Keel reads (the same keys), where Keel's
//   config.toml has none. Claude Code's settings.json holds permissions, hooks and env, none of
//   which Keel has, so it offers nothing here.
// - MCP_SERVER_CONFIG: servers of ~/.claude.json, ~/.codex/config.toml and a repository's
//   .mcp.json that Keel's config.toml does not name (Keel has one config, so all go there).
// - SKILLS: skill folders of ~/.claude/skills and ~/.codex/skills that Keel does not have, copied
//   to ~/.agents/skills (a user skills folder Keel reads and the sandbox does not hide, so the
//   model can open them). A repository's .claude/skills and .codex/skills need no import: Keel
//   reads them where they are.
import fs from 'node:fs';
import path from 'node:path';
import type { ConfigStore } from '../config-store.js';
import { configFields } from '../../protocol/schemas/config-methods.js';
import { repoDirectories, userAgentsSkills } from '../../skills/discover.js';
import { isTable, type JsonObject } from '../config-document.js';
import { claudeServers, codexConfig, codexServers, fromClaude, type ConvertedServer } from './mcp-servers.js';

export type MigrationItemType = 'AGENTS_MD' | 'CONFIG' | 'SKILLS' | 'MCP_SERVER_CONFIG';

/** One thing an import does; throws with the reason when it cannot. */
export interface MigrationStep {
  source: string;
  target: string;
  /** The server or skill it brings in, for items that list them in `details`. */
  name?: string;
  run(): void;
}

export interface MigrationPlan {
  itemType: MigrationItemType;
  description: string;
  /** null: the user's own setup; else the working directory it was found for. */
  cwd: string | null;
  details: { mcpServers?: Array<{ name: string }>; skills?: Array<{ name: string }> } | null;
  steps: MigrationStep[];
}

export interface DetectContext {
  /** The user's home directory ($HOME), where Claude Code and Codex keep their files. */
  userHome: string;
  keelHome: string;
  config: Pick<ConfigStore, 'snapshot' | 'write'>;
}

/** Settings of Codex's config.toml imported as they are (the tables of other kinds are items of their own or Keel's alone). */
const NOT_SETTINGS = new Set(['mcp_servers', 'keel', 'store', 'skills']);

const nonEmptyFile = (file: string) => {
  try {
    return fs.statSync(file).isFile() && fs.readFileSync(file, 'utf8').trim() !== '';
  } catch {
    return false;
  }
};

function copyInstructions(source: string, target: string): MigrationStep {
  return {
    source,
    target,
    run: () => {
      if (nonEmptyFile(target)) throw new Error(`${target} already has instructions`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(source, target);
    },
  };
}

function instructionsPlan(sources: string[], target: string, cwd: string | null): MigrationPlan[] {
  const source = sources.find(nonEmptyFile);
  if (source === undefined || nonEmptyFile(target)) return [];
  return [{ itemType: 'AGENTS_MD', description: `Copy ${source} to ${target}`, cwd, details: null, steps: [copyInstructions(source, target)] }];
}

function mcpPlan(source: string, servers: Record<string, ConvertedServer>, ctx: DetectContext, cwd: string | null): MigrationPlan[] {
  const configured = ctx.config.snapshot().document.mcp_servers;
  const have = new Set(isTable(configured) ? Object.keys(configured) : []);
  const target = ctx.config.snapshot().filePath;
  const names = Object.keys(servers).filter((name) => !have.has(name)).sort();
  if (names.length === 0) return [];
  const steps = names.map((name): MigrationStep => ({
    source,
    target,
    name,
    run: () => {
      const converted = servers[name]!;
      if (!converted.ok) throw new Error(`MCP server ${name}: ${converted.message}`);
      if (name.includes('.')) throw new Error(`MCP server ${name}: a name with a dot cannot be a config.toml key here`);
      ctx.config.write([{ keyPath: `mcp_servers.${name}`, value: converted.table, mergeStrategy: 'replace' }]);
    },
  }));
  return [{ itemType: 'MCP_SERVER_CONFIG', description: `Add MCP servers ${names.join(', ')} from ${source} to ${target}`, cwd, details: { mcpServers: names.map((name) => ({ name })) }, steps }];
}

function settingsPlan(source: string, codex: Record<string, unknown> | null, ctx: DetectContext): MigrationPlan[] {
  if (codex === null) return [];
  const document = ctx.config.snapshot().document;
  const target = ctx.config.snapshot().filePath;
  const keys = Object.keys(codex).filter((key) => Object.hasOwn(configFields, key) && !NOT_SETTINGS.has(key) && document[key] === undefined).sort();
  if (keys.length === 0) return [];
  const step: MigrationStep = {
    source,
    target,
    run: () => ctx.config.write(keys.map((key) => ({ keyPath: key, value: JSON.parse(JSON.stringify(codex[key])) as JsonObject, mergeStrategy: 'replace' as const }))),
  };
  return [{ itemType: 'CONFIG', description: `Copy the settings ${keys.join(', ')} from ${source} to ${target}`, cwd: null, details: null, steps: [step] }];
}

function skillsPlan(sourceRoot: string, ctx: DetectContext): MigrationPlan[] {
  const targetRoot = userAgentsSkills(ctx.userHome);
  const have = (name: string) => fs.existsSync(path.join(targetRoot, name)) || fs.existsSync(path.join(ctx.keelHome, 'skills', name));
  let names: string[];
  try {
    names = fs
      .readdirSync(sourceRoot, { withFileTypes: true })
      .filter((entry) => (entry.isDirectory() || entry.isSymbolicLink()) && !entry.name.startsWith('.') && fs.existsSync(path.join(sourceRoot, entry.name, 'SKILL.md')))
      .map((entry) => entry.name)
      .filter((name) => !have(name))
      .sort();
  } catch {
    return [];
  }
  if (names.length === 0) return [];
  const steps = names.map((name): MigrationStep => {
    const source = path.join(sourceRoot, name);
    const target = path.join(targetRoot, name);
    return {
      source,
      target,
      name,
      run: () => {
        if (fs.existsSync(target)) throw new Error(`${target} already exists`);
        fs.cpSync(source, target, { recursive: true, dereference: true, errorOnExist: true });
      },
    };
  });
  return [{ itemType: 'SKILLS', description: `Copy skills ${names.join(', ')} from ${sourceRoot} to ${targetRoot}`, cwd: null, details: { skills: names.map((name) => ({ name })) }, steps }];
}

/** The user's own setup: instructions, settings, MCP servers and skills under $HOME. */
export function detectHome(ctx: DetectContext): MigrationPlan[] {
  const h = (...parts: string[]) => path.join(ctx.userHome, ...parts);
  const codex = codexConfig(h('.codex', 'config.toml'));
  const claude = Object.fromEntries(Object.entries(claudeServers(h('.claude.json'))).map(([name, entry]) => [name, fromClaude(entry)]));
  const fromCodex = codexServers(codex);
  return [
    ...instructionsPlan([h('.codex', 'AGENTS.md'), h('.claude', 'CLAUDE.md')], path.join(ctx.keelHome, 'AGENTS.md'), null),
    ...settingsPlan(h('.codex', 'config.toml'), codex, ctx),
    ...mcpPlan(h('.codex', 'config.toml'), fromCodex, ctx, null),
    // A server both agents name is offered once, from Codex (its format is Keel's).
    ...mcpPlan(h('.claude.json'), Object.fromEntries(Object.entries(claude).filter(([name]) => !Object.hasOwn(fromCodex, name))), ctx, null),
    ...skillsPlan(h('.codex', 'skills'), ctx),
    ...skillsPlan(h('.claude', 'skills'), ctx),
  ];
}

/** A repository's setup (the one holding `cwd`): its CLAUDE.md and its .mcp.json. */
export async function detectRepo(cwd: string, ctx: DetectContext): Promise<MigrationPlan[]> {
  const root = (await repoDirectories(cwd)).at(-1)!;
  const mcpJson = path.join(root, '.mcp.json');
  const servers = Object.fromEntries(Object.entries(claudeServers(mcpJson)).map(([name, entry]) => [name, fromClaude(entry)]));
  return [...instructionsPlan([path.join(root, 'CLAUDE.md'), path.join(root, '.claude', 'CLAUDE.md')], path.join(root, 'AGENTS.md'), cwd), ...mcpPlan(mcpJson, servers, ctx, cwd)];
}
