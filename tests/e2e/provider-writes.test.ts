// The writes of modelProvider/* and experimentalFeature/* against the real server: the default
// provider and a custom provider's table go to config.toml and the next thread uses them (its turn
// reaches the fake servers); feature flags are kept in `[features]` across a restart.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { runTurn, turnOf } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { anthropic, responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();
let running: KeelProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((keel) => keel.close()));
});

async function keelIn(home: string, env: Record<string, string | undefined> = {}): Promise<KeelProcess> {
  const keel = spawnKeel({ home, env: { OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined, ...env } });
  running.push(keel);
  await initialized(keel);
  return keel;
}

function homeWith(config: string): string {
  const home = makeTempHome();
  fs.writeFileSync(path.join(home, 'config.toml'), config);
  return home;
}

const configText = (home: string) => fs.readFileSync(path.join(home, 'config.toml'), 'utf8');

describe('modelProvider/default/set', () => {
  it('writes model_provider (dropping the old provider\'s model); the next thread runs on the new provider', async () => {
    const home = homeWith('model_provider = "openai"\nmodel = "gpt-5"\n');
    const keel = await keelIn(home, { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a', ANTHROPIC_BASE_URL: fake.url });
    const before = await keel.request('modelProvider/list', {});
    expect(before.defaultProviderId).toBe('openai');

    const answer = await keel.request('modelProvider/default/set', { providerId: 'anthropic' });
    expect(answer).toEqual({ ...before, defaultProviderId: 'anthropic' });
    expect(await keel.request('modelProvider/list', {})).toEqual(answer);
    expect(configText(home)).toBe('model_provider = "anthropic"\n');

    fake.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('hi')]) }]);
    const started = await keel.request('thread/start', {});
    expect({ modelProvider: started.modelProvider, model: started.model }).toEqual({ modelProvider: 'anthropic', model: 'claude-sonnet-4-5' });
    expect(turnOf(await runTurn(keel, started.thread.id, 'hi'))).toMatchObject({ status: 'completed' });
    expect(fake.calls.map((call) => call.path)).toEqual(['/v1/messages']);

    expect(await errorOf(keel.request('modelProvider/default/set', { providerId: 'nope' }))).toEqual({
      code: -32600,
      message: 'model provider not configured: nope',
      data: { type: 'modelProviderNotConfigured', modelProvider: 'nope' },
    });
    expect(configText(home)).toBe('model_provider = "anthropic"\n');
  });
});

describe('modelProvider/config/write', () => {
  it('creates a custom provider, edits it, and a thread on it uses its endpoint and the key stored for it', async () => {
    const home = makeTempHome();
    const keel = await keelIn(home);
    const provider = {
      id: 'local-gateway',
      name: 'Local Gateway',
      canEdit: true,
      baseUrl: `${fake.url}/v1`,
      settings: { type: 'customGateway', auth: { mode: 'environmentVariable', envKey: 'LOCAL_GW_KEY' } },
    };
    expect(await keel.request('modelProvider/config/write', { settings: { type: 'customGateway', name: 'Local Gateway', baseUrl: `${fake.url}/v1`, envKey: 'LOCAL_GW_KEY' } })).toEqual({ provider });
    expect(await keel.request('modelProvider/config/write', { settings: { type: 'customGateway', providerId: 'local-gateway', name: 'My Gateway' } })).toEqual({
      provider: { ...provider, name: 'My Gateway' },
    });
    expect(configText(home)).toBe(`[model_providers.local-gateway]\nname = "My Gateway"\nbase_url = "${fake.url}/v1"\nenv_key = "LOCAL_GW_KEY"\n`);
    expect((await keel.request('modelProvider/list', {})).data.filter((entry) => entry.canEdit)).toEqual([{ ...provider, name: 'My Gateway' }]);

    // Its key stored over the wire, then the provider made the default: a new thread's turn goes there.
    await keel.request('account/login/start', { type: 'apiKey', apiKey: 'sk-gateway', modelProvider: 'local-gateway' } as never);
    await keel.request('modelProvider/default/set', { providerId: 'local-gateway' });
    fake.script(wire.route, [{ sse: wire.stream([wire.message('via gateway')]) }]);
    const started = await keel.request('thread/start', { model: 'gpt-5' });
    expect(started.modelProvider).toBe('local-gateway');
    expect(turnOf(await runTurn(keel, started.thread.id, 'hi'))).toMatchObject({ status: 'completed' });
    expect(fake.calls.map((call) => [call.path, call.headers.authorization])).toEqual([['/v1/responses', 'Bearer sk-gateway']]);

    const refusals = await Promise.all([
      errorOf(keel.request('modelProvider/config/write', { settings: { type: 'customGateway', providerId: 'anthropic', baseUrl: 'http://x' } })),
      errorOf(keel.request('modelProvider/config/write', { settings: { type: 'customGateway', providerId: 'missing', name: 'x' } })),
      errorOf(keel.request('modelProvider/config/write', { settings: { type: 'customGateway', name: 'No URL' } })),
      errorOf(keel.request('modelProvider/config/write', { settings: { type: 'bedrock', providerId: 'amazon-bedrock', region: 'us-east-1' } } as never)),
    ]);
    const invalid = (field: string, message: string) => ({ code: -32602, message: `Invalid params: ${field}: ${message}`, data: { issues: [{ path: field, message }] } });
    expect(refusals).toEqual([
      invalid('settings.providerId', 'built-in provider anthropic cannot be edited; write a provider of your own (omit providerId)'),
      { code: -32600, message: "no provider missing in config.toml's [model_providers]" },
      invalid('settings.baseUrl', 'a custom provider needs a baseUrl'),
      invalid('settings.type', 'Amazon Bedrock providers are not available in Keel; configure an endpoint with {"type": "customGateway", "name", "baseUrl", "envKey"}'),
    ]);
  });
});

describe('experimentalFeature/enablement/set', () => {
  it('keeps the flags in config.toml [features]; experimentalFeature/list shows them, also after a restart', async () => {
    const home = makeTempHome();
    const keel = await keelIn(home);
    expect(await keel.request('experimentalFeature/list', {})).toEqual({ data: [], nextCursor: null });
    expect(await keel.request('experimentalFeature/enablement/set', { enablement: { unified_exec: true, apps: false } })).toEqual({ enablement: { unified_exec: true, apps: false } });
    expect(await keel.request('experimentalFeature/enablement/set', { enablement: {} })).toEqual({ enablement: {} });
    const flag = (name: string, enabled: boolean) => ({ name, stage: 'underDevelopment', displayName: null, description: null, announcement: null, enabled, defaultEnabled: false });
    const listed = { data: [flag('apps', false), flag('unified_exec', true)], nextCursor: null };
    expect(await keel.request('experimentalFeature/list', {})).toEqual(listed);
    expect(configText(home)).toBe('[features]\nunified_exec = true\napps = false\n');
    expect(await errorOf(keel.request('experimentalFeature/enablement/set', { enablement: { 'a.b': true } }))).toEqual({
      code: -32602,
      message: 'Invalid params: enablement: not a feature name: a.b (lower-case letters, digits and _)',
      data: { issues: [{ path: 'enablement', message: 'not a feature name: a.b (lower-case letters, digits and _)' }] },
    });
    await keel.close();

    const again = await keelIn(home);
    expect(await again.request('experimentalFeature/list', {})).toEqual(listed);
  });
});
