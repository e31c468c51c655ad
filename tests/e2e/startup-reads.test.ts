// The start-up reads: every method Codex 0.169.0 answered with a result when sent `params: {}`
// right after initialize (its method sweep, vendored with the protocol) is answered by Keel too,
// in the same order, with Keel's own state — asserted whole. The conformance hook checks each
// answer against the official schema's result type (the method table's `codexResult`).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordedProtocolDir, transcriptsDirName } from '../../scripts/codex-protocol-path.js';
import { builtInDefaults, defaultKeys, defaultsOrigin, originsOf } from '../helpers/config-layers.js';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';

/** Methods the sweep recorded with outcome `result`, in the sweep's order (the handshake excluded). */
function sweptReads(): string[] {
  const sweep = fs.readFileSync(path.join(recordedProtocolDir, transcriptsDirName(), 'method-sweep.txt'), 'utf8');
  return sweep
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([, outcome]) => outcome === 'result')
    .map(([method]) => method!);
}

const gateway = (id: string, name: string, baseUrl: string, envKey: string | null) => ({
  id,
  name,
  canEdit: false,
  baseUrl,
  settings: { type: 'customGateway', auth: envKey === null ? { mode: 'none' } : { mode: 'environmentVariable', envKey } },
});

/** Keel's manifest as modelProvider/list shows it, in the manifest's order, with no base URL moved. */
const manifest = [
  { id: 'scripted', name: 'Scripted (offline)', canEdit: false, baseUrl: null, settings: { type: 'customGateway', auth: { mode: 'none' } } },
  { id: 'openai', name: 'OpenAI', canEdit: false, baseUrl: 'https://api.openai.com/v1', settings: { type: 'openai' } },
  gateway('anthropic', 'Anthropic', 'https://api.anthropic.com', 'ANTHROPIC_API_KEY'),
  gateway('ollama', 'Ollama', 'http://localhost:11434/v1', null),
  gateway('lmstudio', 'LM Studio', 'http://localhost:1234/v1', null),
  gateway('vllm', 'vLLM', 'http://localhost:8000/v1', 'VLLM_API_KEY'),
  gateway('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY'),
  gateway('groq', 'Groq', 'https://api.groq.com/openai/v1', 'GROQ_API_KEY'),
  gateway('deepseek', 'DeepSeek', 'https://api.deepseek.com/v1', 'DEEPSEEK_API_KEY'),
  gateway('mistral', 'Mistral', 'https://api.mistral.ai/v1', 'MISTRAL_API_KEY'),
  gateway('together', 'Together AI', 'https://api.together.xyz/v1', 'TOGETHER_API_KEY'),
  gateway('xai', 'xAI', 'https://api.x.ai/v1', 'XAI_API_KEY'),
  gateway('fireworks', 'Fireworks AI', 'https://api.fireworks.ai/inference/v1', 'FIREWORKS_API_KEY'),
];

let keel: KeelProcess | undefined;
const temps: string[] = [];
/** A fresh directory, removed once the test's Keel has exited. */
const tempDir = () => {
  const dir = fs.realpathSync(makeTempHome());
  temps.push(dir);
  return dir;
};
afterEach(async () => {
  await keel?.close();
  keel = undefined;
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('start-up reads', () => {
  it("answers every read Codex answers with {}, in the sweep's order, with Keel's state", async () => {
    const cwd = tempDir();
    keel = spawnKeel({ cwd });
    await initialized(keel);
    const answers: Record<string, unknown> = {};
    for (const method of sweptReads()) answers[method] = await keel.request(method as never, {} as never);

    const threadId = (answers['thread/start'] as { thread: { id: string } }).thread.id;
    expect(answers).toEqual({
      // Served before the start-up reads, and tested in their own files: here, the gist.
      'thread/start': expect.objectContaining({ cwd, modelProvider: 'scripted', model: 'scripted' }),
      'thread/list': expect.objectContaining({ nextCursor: null }),
      'thread/loaded/list': { data: [threadId], nextCursor: null },
      'model/list': { data: [expect.objectContaining({ id: 'scripted', model: 'scripted', isDefault: true })], nextCursor: null, listingFailures: [] },
      // No file, no flags: Keel's own defaults, each with its origin.
      'config/read': { config: builtInDefaults, origins: originsOf(defaultKeys(), defaultsOrigin()), layers: null },
      // The start-up reads, whole.
      'threadSection/list': { data: [], nextCursor: null },
      'skills/list': { data: [{ cwd, skills: [], errors: [] }] },
      'hooks/list': { data: [{ cwd, hooks: [], warnings: [], errors: [] }] },
      'marketplace/upgrade': { selectedMarketplaces: [], upgradedRoots: [], errors: [] },
      'plugin/list': { marketplaces: [], marketplaceLoadErrors: [], featuredPluginIds: [] },
      'plugin/installed': { marketplaces: [], marketplaceLoadErrors: [] },
      'plugin/reconcile': { changedPlugins: [], failedRemotePluginIds: [], failedMaterializationRemotePluginIds: [] },
      'app/list': { data: [], nextCursor: null },
      'app/installed': { apps: [] },
      'account/gatewayOAuth/read': { providerId: 'scripted', providerName: 'Scripted (offline)', required: false, supportsDeviceAuth: false, status: null, error: null },
      'account/gatewayOAuth/cancel': {},
      'modelProvider/list': { data: manifest, defaultProviderId: 'scripted', canChangeDefault: true },
      'modelProvider/capabilities/read': { imageGeneration: false, webSearch: false },
      'experimentalFeature/list': { data: [], nextCursor: null },
      'permissionProfile/list': { data: [], nextCursor: null },
      'config/mcpServer/reload': {},
      'mcpServerStatus/list': { data: [], nextCursor: null },
      'windowsSandbox/readiness': { status: 'notConfigured' },
      'account/logout': {},
      'account/securitySetup/read': { notice: null },
      'externalAgentConfig/detect': { items: [], connectors: [] },
      'externalAgentConfig/import/readHistories': { data: [], connectors: [] },
      'configRequirements/read': { requirements: null, supportsIndependentSpeedModes: null },
      'account/read': { account: null, userId: null, requiresOpenaiAuth: false },
    });
    // Logout with nothing stored still reports the account, as Codex does.
    expect((await keel.waitFor('account/updated')).params).toEqual({ authMode: null, planType: null });
  });

  it('lists config.toml providers beside the manifest, never showing a URL that may carry a secret', async () => {
    const home = tempDir();
    fs.writeFileSync(
      path.join(home, 'config.toml'),
      [
        'model_provider = "local"',
        'model = "qwen3-coder"',
        '[model_providers.local]',
        'name = "Local gateway"',
        'base_url = "http://127.0.0.1:9/v1"',
        'env_key = "LOCAL_KEY"',
        '[model_providers.proxy]',
        'base_url = "https://user:pass@proxy.example/v1"',
        '[model_providers.openai]',
        'base_url = "https://gateway.example/v1?api-key=x"',
      ].join('\n') + '\n',
    );
    keel = spawnKeel({ home });
    await initialized(keel);
    const { data, ...rest } = await keel.request('modelProvider/list', {});
    expect(rest).toEqual({ defaultProviderId: 'local', canChangeDefault: true });
    const byId = Object.fromEntries(data.map((p) => [p.id, p]));
    // config.toml's own providers are editable (modelProvider/config/write); a built-in one it replaces is not.
    expect(byId.local).toEqual({ ...gateway('local', 'Local gateway', 'http://127.0.0.1:9/v1', 'LOCAL_KEY'), canEdit: true });
    expect(byId.proxy).toEqual({ id: 'proxy', name: 'proxy', canEdit: true, baseUrl: null, settings: { type: 'customGateway', auth: { mode: 'none' } } });
    // config.toml's own `openai` replaces the built-in one: it is a gateway now.
    expect(byId.openai).toEqual({ id: 'openai', name: 'openai', canEdit: false, baseUrl: null, settings: { type: 'customGateway', auth: { mode: 'none' } } });
    expect(data.map((p) => p.id)).toEqual([...manifest.map((p) => p.id), 'local', 'proxy']);
    expect(await keel.request('account/gatewayOAuth/read', {})).toEqual({
      providerId: 'local', providerName: 'Local gateway', required: false, supportsDeviceAuth: false, status: null, error: null,
    });
    expect(await keel.request('account/gatewayOAuth/read', { modelProvider: 'anthropic' })).toMatchObject({ providerId: 'anthropic', providerName: 'Anthropic' });
    expect(await errorOf(keel.request('account/gatewayOAuth/read', { modelProvider: 'nope' }))).toEqual({ code: -32600, message: 'unknown model provider: nope' });
  });

  it("reads what a request names: a thread's cwd, an unknown marketplace, a cursor Keel never issued", async () => {
    const cwd = tempDir();
    keel = spawnKeel();
    await initialized(keel);
    const { thread } = await keel.request('thread/start', { cwd });
    expect(await keel.request('hooks/list', { threadId: thread.id })).toEqual({ data: [{ cwd, hooks: [], warnings: [], errors: [] }] });
    expect(await keel.request('skills/list', { cwds: ['/a', '/b'] })).toEqual({ data: [{ cwd: '/a', skills: [], errors: [] }, { cwd: '/b', skills: [], errors: [] }] });
    expect(await errorOf(keel.request('hooks/list', { threadId: 'missing' }))).toEqual({ code: -32600, message: 'thread not found: missing' });
    expect(await errorOf(keel.request('marketplace/upgrade', { marketplaceName: 'official' }))).toEqual({
      code: -32600,
      message: 'marketplace not found: official (Keel has no plugin marketplaces)',
    });
    for (const method of ['app/list', 'mcpServerStatus/list', 'permissionProfile/list', 'experimentalFeature/list', 'threadSection/list'] as const) {
      expect(await errorOf(keel.request(method, { cursor: 'abc' }))).toEqual({
        code: -32602,
        message: 'Invalid params: cursor: invalid cursor: abc',
        data: { issues: [{ path: 'cursor', message: 'invalid cursor: abc' }] },
      });
    }
    expect(await keel.request('account/login/cancel', { loginId: 'anything' })).toEqual({ status: 'notFound' });
  });
});
