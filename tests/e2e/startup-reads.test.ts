// The start-up reads over stdio. The conformance hook checks each answer against the official
// schema's result type (the method table's `codexResult`).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';

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
    expect(byId.local).toEqual(gateway('local', 'Local gateway', 'http://127.0.0.1:9/v1', 'LOCAL_KEY'));
    expect(byId.proxy).toEqual({ id: 'proxy', name: 'proxy', canEdit: false, baseUrl: null, settings: { type: 'customGateway', auth: { mode: 'none' } } });
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
