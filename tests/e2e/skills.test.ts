// Skills (SKILL.md) over stdio: found in a repository's .agents/.codex/.claude skills folders (from
// the cwd up to the repository root), in $KEEL_HOME/skills and in extra roots; listed with their
// metadata and the files that failed; turned off and on with skills/config/write (kept in
// config.toml); and offered to the model, which reads a skill's body with its own tools.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses } from '../helpers/wire-streams.js';

const FIXTURE = path.resolve(__dirname, '../fixtures/skills-repo');
const fake = useFakeModelServer();

let keel: KeelProcess | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await keel?.close();
  keel = undefined;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Keel's home with one user skill, a user home ($HOME) with one in ~/.agents/skills, and the fixture repository copied next to them as a git repository. */
function setup() {
  const home = fs.realpathSync(makeTempHome());
  dirs.push(home);
  const user = path.join(home, 'user');
  fs.mkdirSync(path.join(user, '.agents', 'skills', 'shell-tips'), { recursive: true });
  fs.writeFileSync(path.join(user, '.agents', 'skills', 'shell-tips', 'SKILL.md'), "---\nname: shell-tips\ndescription: 'Quoting and pipes that work in sh and bash.'\n---\n");
  const repo = path.join(home, 'repo');
  fs.cpSync(FIXTURE, repo, { recursive: true });
  fs.mkdirSync(path.join(repo, '.git'));
  const userSkill = path.join(home, 'skills', 'commit-message');
  fs.mkdirSync(userSkill, { recursive: true });
  fs.writeFileSync(path.join(userSkill, 'SKILL.md'), '---\nname: commit-message\ndescription: Writes a commit message for the staged change.\n---\nSay what and why.\n');
  return { home, repo, user };
}

const releaseNotes = (repo: string, enabled = true) => ({
  name: 'release-notes',
  description: 'Writes the release notes for a version from the merged changes. Use when the user asks for release notes or a changelog entry.',
  shortDescription: null,
  interface: null,
  dependencies: null,
  path: path.join(repo, '.agents/skills/release-notes/SKILL.md'),
  scope: 'repo',
  enabled,
});
const sqlStyle = (repo: string, enabled = true) => ({
  name: 'sql-style',
  description: 'Formats and reviews SQL the way this project writes it. Use when writing or changing a query or a migration.',
  shortDescription: 'Project SQL style',
  interface: null,
  dependencies: null,
  path: path.join(repo, '.claude/skills/sql-style/SKILL.md'),
  scope: 'repo',
  enabled,
});
const commitMessage = (home: string, enabled = true) => ({
  name: 'commit-message',
  description: 'Writes a commit message for the staged change.',
  shortDescription: null,
  interface: null,
  dependencies: null,
  path: path.join(home, 'skills/commit-message/SKILL.md'),
  scope: 'user',
  enabled,
});
const shellTips = (user: string, enabled = true) => ({
  name: 'shell-tips',
  description: 'Quoting and pipes that work in sh and bash.',
  shortDescription: null,
  interface: null,
  dependencies: null,
  path: path.join(user, '.agents/skills/shell-tips/SKILL.md'),
  scope: 'user',
  enabled,
});
const brokenError = (repo: string) => ({ path: path.join(repo, '.codex/skills/broken/SKILL.md'), message: 'missing field `description`' });

describe('skills', () => {
  it('lists the repository skills from a subdirectory, then the user skill, with the broken file as an error', async () => {
    const { home, repo, user } = setup();
    keel = spawnKeel({ home, cwd: repo, env: { HOME: user } });
    await initialized(keel);
    const src = path.join(repo, 'src');
    expect(await keel.request('skills/list', { cwds: [src, home] })).toEqual({
      data: [
        { cwd: src, skills: [releaseNotes(repo), sqlStyle(repo), commitMessage(home), shellTips(user)], errors: [brokenError(repo)] },
        { cwd: home, skills: [commitMessage(home), shellTips(user)], errors: [] },
      ],
    });
    // No cwds: Keel's own (the process's) working directory.
    expect(await keel.request('skills/list', {})).toEqual({ data: [{ cwd: repo, skills: [releaseNotes(repo), sqlStyle(repo), commitMessage(home), shellTips(user)], errors: [brokenError(repo)] }] });
  });

  it('skills/config/write turns a skill off by name and on by path, kept in config.toml and shown by skills/list', async () => {
    const { home, repo, user } = setup();
    keel = spawnKeel({ home, cwd: repo, env: { HOME: user } });
    await initialized(keel);
    expect(await keel.request('skills/config/write', { name: 'sql-style', enabled: false })).toEqual({ effectiveEnabled: false });
    expect(await keel.request('skills/config/write', { path: commitMessage(home).path, enabled: false })).toEqual({ effectiveEnabled: false });
    expect(await keel.request('skills/list', { cwds: [repo] })).toEqual({
      data: [{ cwd: repo, skills: [releaseNotes(repo), sqlStyle(repo, false), commitMessage(home, false), shellTips(user)], errors: [brokenError(repo)] }],
    });
    // A path entry decides for that file over the name entry.
    expect(await keel.request('skills/config/write', { path: sqlStyle(repo).path, enabled: true })).toEqual({ effectiveEnabled: true });
    expect(await keel.request('skills/list', { cwds: [repo] })).toEqual({
      data: [{ cwd: repo, skills: [releaseNotes(repo), sqlStyle(repo, true), commitMessage(home, false), shellTips(user)], errors: [brokenError(repo)] }],
    });
    expect(await keel.request('config/read', {})).toMatchObject({
      config: {
        skills: {
          config: [
            { name: 'sql-style', enabled: false },
            { path: commitMessage(home).path, enabled: false },
            { path: sqlStyle(repo).path, enabled: true },
          ],
        },
      },
    });
    expect(fs.readFileSync(path.join(home, 'config.toml'), 'utf8')).toContain('[[skills.config]]');
    // Exactly one selector.
    expect(await errorOf(keel.request('skills/config/write', { enabled: true }))).toEqual({
      code: -32602,
      message: 'Invalid params: path: give exactly one of `path` and `name`',
      data: { issues: [{ path: 'path', message: 'give exactly one of `path` and `name`' }] },
    });
  });

  it('skills/extraRoots/set adds skills from other directories (replacing the previous set); a relative root is refused', async () => {
    const { home, repo, user } = setup();
    const extra = path.join(home, 'shared-skills');
    fs.mkdirSync(path.join(extra, 'team', 'review'), { recursive: true });
    fs.writeFileSync(path.join(extra, 'team', 'review', 'SKILL.md'), '---\nname: review\ndescription: "Reviews a change: correctness first, then style."\n---\n');
    fs.mkdirSync(path.join(extra, '.hidden', 'skip'), { recursive: true });
    fs.writeFileSync(path.join(extra, '.hidden', 'skip', 'SKILL.md'), '---\nname: hidden\ndescription: never found\n---\n');
    keel = spawnKeel({ home, cwd: repo, env: { HOME: user } });
    await initialized(keel);
    expect(await keel.request('skills/list', { cwds: [home] })).toEqual({ data: [{ cwd: home, skills: [commitMessage(home), shellTips(user)], errors: [] }] });
    expect(await keel.request('skills/extraRoots/set', { extraRoots: [extra] })).toEqual({});
    const review = { name: 'review', description: 'Reviews a change: correctness first, then style.', shortDescription: null, interface: null, dependencies: null, path: path.join(extra, 'team/review/SKILL.md'), scope: 'user', enabled: true };
    expect(await keel.request('skills/list', { cwds: [home] })).toEqual({ data: [{ cwd: home, skills: [commitMessage(home), shellTips(user), review], errors: [] }] });
    expect(await keel.request('skills/extraRoots/set', { extraRoots: [] })).toEqual({});
    expect(await keel.request('skills/list', { cwds: [home] })).toEqual({ data: [{ cwd: home, skills: [commitMessage(home), shellTips(user)], errors: [] }] });
    expect(await errorOf(keel.request('skills/extraRoots/set', { extraRoots: ['relative/skills'] }))).toEqual({
      code: -32602,
      message: 'Invalid params: extraRoots: not an absolute path: relative/skills',
      data: { issues: [{ path: 'extraRoots', message: 'not an absolute path: relative/skills' }] },
    });
  });

  it('forceReload rescans: a skill added after the first list appears only then', async () => {
    const { home, repo, user } = setup();
    keel = spawnKeel({ home, cwd: repo, env: { HOME: user } });
    await initialized(keel);
    expect(await keel.request('skills/list', { cwds: [home] })).toEqual({ data: [{ cwd: home, skills: [commitMessage(home), shellTips(user)], errors: [] }] });
    fs.mkdirSync(path.join(home, 'skills', 'late'));
    fs.writeFileSync(path.join(home, 'skills', 'late', 'SKILL.md'), 'no front matter\n');
    expect(await keel.request('skills/list', { cwds: [home] })).toEqual({ data: [{ cwd: home, skills: [commitMessage(home), shellTips(user)], errors: [] }] });
    expect(await keel.request('skills/list', { cwds: [home], forceReload: true })).toEqual({
      data: [{ cwd: home, skills: [commitMessage(home), shellTips(user)], errors: [{ path: path.join(home, 'skills/late/SKILL.md'), message: 'missing YAML front matter delimited by ---' }] }],
    });
  });

  it('the model is told the enabled skills, reads one with its shell, and the next request carries the body', async () => {
    const { home, repo, user } = setup();
    const skillPath = releaseNotes(repo).path;
    const body = fs.readFileSync(skillPath, 'utf8');
    fake.script(responses.route, [
      { sse: responses.stream([responses.functionCall('call_1', 'exec_command', JSON.stringify({ cmd: `cat ${skillPath}`, login: false, yield_time_ms: 30_000 }))]) },
      { sse: responses.stream([responses.message('Release notes written.')]) },
    ]);
    keel = spawnKeel({ home, cwd: repo, env: { HOME: user, OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel);
    // The skill in Keel's home is off: the model is not told of it.
    await keel.request('skills/config/write', { name: 'commit-message', enabled: false });
    const { thread } = await keel.request('thread/start', { cwd: repo, approvalPolicy: 'never', sandbox: 'danger-full-access' });
    await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'Write the release notes for 1.2.0.' }] });
    await keel.waitFor('turn/completed', 30_000);

    const first = fake.calls[0]!.body as { input: Array<{ role?: string; content?: Array<{ text: string }> }> };
    const skillsMessage = first.input.filter((entry) => entry.role === 'user').map((entry) => entry.content![0]!.text).find((text) => text.startsWith('## Skills\n'));
    expect(skillsMessage!.split('\n').filter((line) => line.startsWith('- ') && line.includes('(file: '))).toEqual([
      `- release-notes: ${releaseNotes(repo).description} (file: ${skillPath})`,
      `- sql-style: ${sqlStyle(repo).description} (file: ${sqlStyle(repo).path})`,
      `- shell-tips: ${shellTips(user).description} (file: ${shellTips(user).path})`,
    ]);
    // The skills come after the AGENTS.md files and before the environment.
    const texts = first.input.map((entry) => entry.content?.[0]?.text ?? '');
    expect(texts.findIndex((text) => text.startsWith('## Skills\n'))).toBe(texts.findIndex((text) => text.startsWith('<environment_context>')) - 1);

    const output = (conversationBody(fake.calls[1]!).input as Array<Record<string, unknown>>).find((entry) => entry.type === 'function_call_output');
    expect(output).toEqual({ type: 'function_call_output', call_id: 'call_1', output: expect.stringContaining(body.trim()) });
  });

  it("a skill the user names in their input goes to the model whole (a file not named SKILL.md is not read)", async () => {
    const { home, repo, user } = setup();
    const skillPath = sqlStyle(repo).path;
    fake.script(responses.route, [{ sse: responses.stream([responses.message('Done.')]) }]);
    keel = spawnKeel({ home, cwd: repo, env: { HOME: user, OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', { cwd: repo, approvalPolicy: 'never', sandbox: 'read-only' });
    const input = [
      { type: 'text', text: 'Tidy the report query.' },
      { type: 'skill', name: 'sql-style', path: skillPath },
      { type: 'skill', name: 'readme', path: path.join(repo, 'src/README.md') },
    ];
    await keel.request('turn/start', { threadId: thread.id, input: input as never });
    await keel.waitFor('turn/completed', 30_000);
    const text = (t: string) => ({ type: 'input_text', text: t });
    expect(conversationBody(fake.calls[0]!).input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          text('Tidy the report query.'),
          text(`<skill>\n<name>sql-style</name>\n<path>${skillPath}</path>\n${fs.readFileSync(skillPath, 'utf8').trim()}\n</skill>`),
          text(`@readme (${path.join(repo, 'src/README.md')}): not a SKILL.md, so not read`),
        ],
      },
    ]);
  });
});
