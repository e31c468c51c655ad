// `keel doctor` run as a user runs it, against real homes: a healthy one (a real store, a fake
// provider answering its model listing, the MCP fixture server) passes with every check ok; no
// bubblewrap on PATH, an unreachable provider and a home others can read each fail, saying how to
// fix it; --json prints one object, the text one line per check.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/usage.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { pathWithout } from '../helpers/host-path.js';
import { initialized, keelEntry, makeTempHome, spawnKeel } from '../helpers/keel-process.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';

const fake = useFakeModelServer();
const repoRoot = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(repoRoot, 'tests', 'fixtures', 'mcp', 'fixture-server.mjs');
const bwrap = execFileSync('sh', ['-c', 'command -v bwrap'], { encoding: 'utf8' }).trim();
const listing = { json: { object: 'list', data: [{ id: 'gpt-4.1', object: 'model', created: 1, owned_by: 'openai' }, { id: 'my-finetune', object: 'model', created: 2, owned_by: 'me' }] } };

interface Doctored {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `keel doctor …` with a hermetic environment over this one (no host provider variables). */
function doctor(home: string, args: string[], env: Record<string, string> = {}): Promise<Doctored> {
  const base = { ...process.env };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'KEEL_SCRIPT', 'KEEL_DB']) delete base[name];
  const child = spawn(process.execPath, [keelEntry, 'doctor', ...args], { env: { ...base, KEEL_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A home Keel made (0700), with config.toml (0600) and a store holding one thread. */
async function healthyHome(config: string[]): Promise<string> {
  const home = makeTempHome();
  fs.writeFileSync(path.join(home, 'config.toml'), config.join('\n') + '\n', { mode: 0o600 });
  const keel = spawnKeel({ home });
  await initialized(keel);
  await keel.request('thread/start', { cwd: home });
  expect(await keel.close()).toBe(0);
  return home;
}

const fixtureServer = ['[mcp_servers.fixture]', `command = ${JSON.stringify(process.execPath)}`, `args = [${JSON.stringify(FIXTURE)}]`];

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('keel doctor', () => {
  it('a healthy home with a fake provider and an MCP server: every check ok, exit 0 (--json)', async () => {
    const home = await healthyHome(['model = "gpt-4.1"', ...fixtureServer]);
    fake.script('/v1/models', [listing]);
    const run = await doctor(home, ['--json'], { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      checks: [
        { name: 'node', status: 'ok', detail: `Node.js ${process.versions.node}`, fix: null },
        { name: 'bubblewrap', status: 'ok', detail: `${bwrap} makes its namespaces here: commands of read-only and workspace-write threads are sandboxed`, fix: null },
        { name: 'ripgrep', status: 'ok', detail: expect.stringMatching(/^\/\S+\/rg \(ripgrep \d+\.\d+\.\d+.*\)$/), fix: null },
        { name: 'home', status: 'ok', detail: `${home}: 0700, its keys, config, rules and database private to you`, fix: null },
        { name: 'config', status: 'ok', detail: path.join(home, 'config.toml'), fix: null },
        { name: 'store', status: 'ok', detail: `${home}/keel.db: schema version ${SCHEMA_VERSION}, quick_check ok, 1 thread, WAL 0 KiB`, fix: null },
        { name: 'provider openai', status: 'ok', detail: `${fake.url}/v1: key accepted, 2 models listed (gpt-4.1, my-finetune)`, fix: null },
        { name: 'mcp fixture', status: 'ok', detail: expect.stringMatching(new RegExp(`^${process.execPath} ${FIXTURE}: started, \\d+ tools \\(echo, add, slow, `)), fix: null },
      ],
    });
    expect(fake.calls.map((call) => [call.method, call.path, call.headers.authorization])).toEqual([['GET', '/v1/models', 'Bearer test-key']]);
  });

  it('no bwrap on PATH: the bubblewrap check fails with the fix; one line per check, exit 1', async () => {
    const home = await healthyHome(['model = "gpt-4.1"']);
    fake.script('/v1/models', [listing]);
    const run = await doctor(home, [], { PATH: pathWithout('bwrap'), OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.map((line) => line.slice(0, 6).trimEnd())).toEqual(['ok', 'fail', '', 'ok', 'ok', 'ok', 'ok', 'ok', '']);
    expect(lines.slice(1, 3)).toEqual([
      'fail  bubblewrap       bubblewrap (bwrap) was not found on PATH: sandboxed commands are asked to run without the sandbox (refused under approval policy never)',
      '      fix: install it (Debian/Ubuntu: apt-get install bubblewrap), or run the thread with sandbox "danger-full-access"',
    ]);
  });

  it('an unreachable provider fails, naming the endpoint and why', async () => {
    const home = await healthyHome(['model = "gpt-4.1"']);
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1`;
    const run = await doctor(home, ['--json'], { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: url });
    expect(run.code).toBe(1);
    const { ok, checks } = JSON.parse(run.stdout) as { ok: boolean; checks: Array<{ name: string; status: string }> };
    expect(ok).toBe(false);
    expect(checks.filter((check) => check.status !== 'ok')).toEqual([
      {
        name: 'provider openai',
        status: 'fail',
        detail: `${url} is unreachable: connect ECONNREFUSED 127.0.0.1:${port}`,
        fix: `check that ${url} is reachable from here (is the server running? network, proxy) and is the provider's API base URL (OPENAI_BASE_URL)`,
      },
    ]);
  });

  it('an endpoint that answers but is no model API fails on its listing', async () => {
    const home = await healthyHome(['model_provider = "local"', 'model = "m"', '[model_providers.local]', `base_url = "${fake.url}/v1"`, 'wire_api = "chat"']);
    fake.script('/v1/models', [{ raw: '<html>not here</html>', status: 404, headers: { 'content-type': 'text/html' } }]);
    const run = await doctor(home, ['--json']);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { checks: unknown[] }).checks.at(-1)).toEqual({
      name: 'provider local',
      status: 'fail',
      detail: expect.stringMatching(new RegExp(`^${fake.url}/v1 answers, but did not list its models: `)),
      fix: `check that ${fake.url}/v1 is reachable from here (is the server running? network, proxy) and is the provider's API base URL (base_url in [model_providers.local] of config.toml)`,
    });
  });

  it('a provider key missing fails with what to set', async () => {
    const home = await healthyHome(['model_provider = "anthropic"', 'model = "claude-sonnet-4-5"']);
    const run = await doctor(home, ['--json']);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { checks: unknown[] }).checks.at(-1)).toEqual({ name: 'provider anthropic', status: 'fail', detail: 'no API key: ANTHROPIC_API_KEY is not set', fix: 'export ANTHROPIC_API_KEY=…' });
  });

  it('--help prints its help; a wrong option its usage, exit 2', async () => {
    const home = makeTempHome();
    expect(await doctor(home, ['--help'])).toEqual({ code: 0, stdout: helpText('doctor'), stderr: '' });
    expect(await doctor(home, ['--fix'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'keel: unknown option --fix\nusage: keel doctor [--json] [-c key=value]... [--db PATH]\nrun `keel doctor --help` for more\n',
    });
  });

  it('a home others can read fails with the chmod that fixes it; after it, the check passes', async () => {
    const home = await healthyHome(['model = "gpt-4.1"']);
    fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: 'test-key' }), { mode: 0o644 });
    fs.chmodSync(path.join(home, 'auth.json'), 0o644);
    fs.chmodSync(path.join(home, 'config.toml'), 0o640);
    fs.chmodSync(home, 0o755);
    fake.script('/v1/models', [listing, listing]);
    const env = { OPENAI_BASE_URL: `${fake.url}/v1` };
    const run = await doctor(home, ['--json'], env);
    expect(run.code).toBe(1);
    const homeCheck = (JSON.parse(run.stdout) as { checks: Array<{ name: string; fix: string }> }).checks.find((check) => check.name === 'home')!;
    expect(homeCheck).toEqual({
      name: 'home',
      status: 'fail',
      detail: `other users can reach Keel's private files: ${home} is 755 (want 700); ${home}/auth.json is 644 (want 600); ${home}/config.toml is 640 (want 600)`,
      fix: `chmod 700 ${home} && chmod 600 ${home}/auth.json ${home}/config.toml`,
    });
    execFileSync('sh', ['-c', homeCheck.fix]);
    expect(await doctor(home, [], env)).toMatchObject({ code: 0, stderr: '' });
  });
});
