// Importing Claude Code's and Codex's setup over stdio, against a fake $HOME: what detect offers
// (instructions, Codex settings, MCP servers, user skills, and a repository's CLAUDE.md and
// .mcp.json), asserted whole; the import of all of it, its completion notification with each
// step's outcome (an SSE server refused with the reason), the files it wrote, that nothing is
// offered again, and the import history (Keel's import and one a client recorded).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';

let keel: KeelProcess | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await keel?.close();
  keel = undefined;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A user home with Claude Code's and Codex's files, Keel's home with one setting, and a repository. */
function setup() {
  const root = fs.realpathSync(makeTempHome());
  dirs.push(root);
  const user = path.join(root, 'user');
  const keelHome = path.join(root, 'keel');
  const repo = path.join(root, 'repo');
  write(path.join(user, '.claude', 'CLAUDE.md'), 'Prefer small commits.\n');
  write(
    path.join(user, '.claude.json'),
    JSON.stringify({
      numStartups: 3,
      mcpServers: {
        docs: { type: 'http', url: 'https://docs.example/mcp', headers: { Authorization: 'Bearer ${DOCS_TOKEN}', 'X-Team': 'core' } },
        files: { command: 'npx', args: ['-y', 'files-mcp'], env: { ROOT: '/srv', FILES_TOKEN: '${FILES_TOKEN}' } },
        legacy: { type: 'sse', url: 'https://old.example/sse' },
      },
    }),
  );
  write(path.join(user, '.claude', 'skills', 'pdf', 'SKILL.md'), '---\nname: pdf\ndescription: Reads PDF files.\n---\n');
  write(path.join(user, '.codex', 'config.toml'), 'model = "gpt-5"\napproval_policy = "on-request"\nunknown_to_keel = 1\n\n[mcp_servers.search]\ncommand = "search-mcp"\n');
  write(path.join(user, '.codex', 'skills', 'lint', 'SKILL.md'), '---\nname: lint\ndescription: Runs the linters.\n---\n');
  write(path.join(user, '.codex', 'skills', '.system', 'creator', 'SKILL.md'), '---\nname: creator\ndescription: Codex system skill.\n---\n');
  write(path.join(keelHome, 'config.toml'), 'approval_policy = "never"\n');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  write(path.join(repo, 'CLAUDE.md'), 'Run the tests with `make test`.\n');
  write(path.join(repo, '.mcp.json'), JSON.stringify({ mcpServers: { db: { command: 'db-mcp', args: ['--read-only'] } } }));
  return { user, keelHome, repo };
}

describe('externalAgentConfig', () => {
  it('detects what Keel lacks, imports it step by step, offers nothing twice, and keeps the history', async () => {
    const { user, keelHome, repo } = setup();
    const config = path.join(keelHome, 'config.toml');
    keel = spawnKeel({ home: keelHome, cwd: repo, env: { HOME: user } });
    await initialized(keel);

    const detected = await keel.request('externalAgentConfig/detect', { includeHome: true, cwds: [repo] });
    const items = [
      { itemType: 'AGENTS_MD', description: `Copy ${user}/.claude/CLAUDE.md to ${keelHome}/AGENTS.md`, cwd: null, details: null },
      { itemType: 'CONFIG', description: `Copy the settings model from ${user}/.codex/config.toml to ${config}`, cwd: null, details: null },
      { itemType: 'MCP_SERVER_CONFIG', description: `Add MCP servers search from ${user}/.codex/config.toml to ${config}`, cwd: null, details: { mcpServers: [{ name: 'search' }] } },
      {
        itemType: 'MCP_SERVER_CONFIG',
        description: `Add MCP servers docs, files, legacy from ${user}/.claude.json to ${config}`,
        cwd: null,
        details: { mcpServers: [{ name: 'docs' }, { name: 'files' }, { name: 'legacy' }] },
      },
      { itemType: 'SKILLS', description: `Copy skills lint from ${user}/.codex/skills to ${user}/.agents/skills`, cwd: null, details: { skills: [{ name: 'lint' }] } },
      { itemType: 'SKILLS', description: `Copy skills pdf from ${user}/.claude/skills to ${user}/.agents/skills`, cwd: null, details: { skills: [{ name: 'pdf' }] } },
      { itemType: 'AGENTS_MD', description: `Copy ${repo}/CLAUDE.md to ${repo}/AGENTS.md`, cwd: repo, details: null },
      { itemType: 'MCP_SERVER_CONFIG', description: `Add MCP servers db from ${repo}/.mcp.json to ${config}`, cwd: repo, details: { mcpServers: [{ name: 'db' }] } },
    ];
    expect(detected).toEqual({ items, connectors: [] });
    // Without includeHome and cwds: nothing.
    expect(await keel.request('externalAgentConfig/detect', {})).toEqual({ items: [], connectors: [] });

    // A plugin item Keel never offers fails at detection; everything else is imported.
    const plugins = { itemType: 'PLUGINS', description: 'Claude plugins', cwd: null, details: null };
    const { importId } = await keel.request('externalAgentConfig/import', { migrationItems: [...items, plugins] as never, providerId: 'tests' });
    const completed = await keel.waitFor('externalAgentConfig/import/completed');
    const ok = (itemType: string, source: string, target: string, cwd: string | null = null) => ({ itemType, source, target, cwd, title: null });
    const itemTypeResults: Array<{ itemType: string; successes: unknown[]; failures: Array<Record<string, string | null>> }> = [
      {
        itemType: 'AGENTS_MD',
        successes: [ok('AGENTS_MD', `${user}/.claude/CLAUDE.md`, `${keelHome}/AGENTS.md`), ok('AGENTS_MD', `${repo}/CLAUDE.md`, `${repo}/AGENTS.md`, repo)],
        failures: [],
      },
      { itemType: 'CONFIG', successes: [ok('CONFIG', `${user}/.codex/config.toml`, config)], failures: [] },
      {
        itemType: 'MCP_SERVER_CONFIG',
        successes: [
          ok('MCP_SERVER_CONFIG', `${user}/.codex/config.toml`, config),
          ok('MCP_SERVER_CONFIG', `${user}/.claude.json`, config),
          ok('MCP_SERVER_CONFIG', `${user}/.claude.json`, config),
          ok('MCP_SERVER_CONFIG', `${repo}/.mcp.json`, config, repo),
        ],
        failures: [
          {
            itemType: 'MCP_SERVER_CONFIG',
            failureStage: 'import',
            message: 'MCP server legacy: SSE servers are not supported (Keel speaks stdio and streamable HTTP)',
            source: `${user}/.claude.json`,
            cwd: null,
            errorType: null,
            subErrorType: null,
          },
        ],
      },
      { itemType: 'SKILLS', successes: [ok('SKILLS', `${user}/.codex/skills/lint`, `${user}/.agents/skills/lint`), ok('SKILLS', `${user}/.claude/skills/pdf`, `${user}/.agents/skills/pdf`)], failures: [] },
      {
        itemType: 'PLUGINS',
        successes: [],
        failures: [
          {
            itemType: 'PLUGINS',
            failureStage: 'detect',
            message: "nothing of type PLUGINS to import from the user setup: it is not there, Keel cannot import it, or it was imported already",
            source: null,
            cwd: null,
            errorType: null,
            subErrorType: null,
          },
        ],
      },
    ];
    expect(completed.params).toEqual({ importId, itemTypeResults });

    // What was written.
    expect(fs.readFileSync(path.join(keelHome, 'AGENTS.md'), 'utf8')).toBe('Prefer small commits.\n');
    expect(fs.readFileSync(path.join(repo, 'AGENTS.md'), 'utf8')).toBe('Run the tests with `make test`.\n');
    expect(fs.readFileSync(path.join(user, '.agents', 'skills', 'lint', 'SKILL.md'), 'utf8')).toContain('name: lint');
    const { config: effective } = (await keel.request('config/read', {})) as { config: Record<string, unknown> };
    expect({ model: effective.model, approval_policy: effective.approval_policy, mcp_servers: effective.mcp_servers }).toEqual({
      model: 'gpt-5',
      approval_policy: 'never',
      mcp_servers: {
        search: { command: 'search-mcp' },
        docs: { url: 'https://docs.example/mcp', bearer_token_env_var: 'DOCS_TOKEN', http_headers: { 'X-Team': 'core' } },
        files: { command: 'npx', args: ['-y', 'files-mcp'], env: { ROOT: '/srv' }, env_vars: ['FILES_TOKEN'] },
        db: { command: 'db-mcp', args: ['--read-only'] },
      },
    });
    // The imported skills are Keel's now (in ~/.agents/skills, which the model can open).
    const listed = await keel.request('skills/list', { cwds: [repo] });
    expect(listed.data[0]!.skills.map((skill) => `${skill.scope}:${skill.name}`)).toEqual(['user:lint', 'user:pdf']);

    // Only what failed is offered again.
    expect(await keel.request('externalAgentConfig/detect', { includeHome: true, cwds: [repo] })).toEqual({
      items: [{ itemType: 'MCP_SERVER_CONFIG', description: `Add MCP servers legacy from ${user}/.claude.json to ${config}`, cwd: null, details: { mcpServers: [{ name: 'legacy' }] } }],
      connectors: [],
    });

    // A client's own import, recorded, then both read back newest first.
    const recorded = await keel.request('externalAgentConfig/import/recordHistory', {
      providerId: 'desktop',
      itemTypeResults: [{ itemType: 'SESSIONS', successes: [{ itemType: 'SESSIONS', source: '/s/1.jsonl', title: 'Fix the build' }], failures: [] }],
    });
    expect(await keel.request('externalAgentConfig/import/readHistories', {})).toEqual({
      data: [
        {
          importId: recorded.importId,
          providerId: 'desktop',
          completedAtMs: expect.any(Number),
          successes: [{ itemType: 'SESSIONS', source: '/s/1.jsonl', target: null, cwd: null, title: 'Fix the build' }],
          failures: [],
        },
        {
          importId,
          providerId: 'tests',
          completedAtMs: expect.any(Number),
          successes: itemTypeResults.flatMap((result) => result.successes),
          failures: itemTypeResults.flatMap((result) => result.failures),
        },
      ],
      connectors: [],
    });
  });
});
