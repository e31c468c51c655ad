// model/list over stdio: the provider's own listing (through the real SDK against a fake
// /v1/models), enriched from Keel's catalog, cached; the catalog when the listing is empty or
// unreachable; ids a turn accepts as its model; and a model the provider is known not to serve
// fails the turn before any model call.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeModelServer, type FakeModelServer } from '../helpers/fake-model-server.js';
import fs from 'node:fs';
import path from 'node:path';
import { errorOf, initialized, makeTempHome, spawnKeel } from '../helpers/keel-process.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { builtInModels } from '../../src/providers/model-catalog.js';

let fake: FakeModelServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('model/list', () => {
  it("names a configured provider whose listing failed, and why, instead of showing it empty", async () => {
    fake = await startFakeModelServer();
    fake.script('/v1/models', [{ json: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }, status: 401 }]);
    const home = makeTempHome();
    fs.writeFileSync(path.join(home, 'config.toml'), ['[model_providers.gateway]', 'name = "Gateway"', `base_url = "${fake.url}/v1"`, 'env_key = "GATEWAY_KEY"', 'wire_api = "chat"', ''].join('\n'));
    const keel = spawnKeel({ home, env: { GATEWAY_KEY: 'wrong-key-123456', OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined } });
    await initialized(keel);
    expect(await keel.request('model/list', { modelProvider: 'gateway' })).toEqual({
      data: [],
      nextCursor: null,
      listingFailures: [{ modelProvider: 'gateway', message: '401 Incorrect API key provided' }],
    });
    fake.assertDone();
  });

  it('lists the default provider from its own listing, with catalog context windows, and caches it', async () => {
    fake = await startFakeModelServer();
    fake.script('/v1/models', [{ json: { object: 'list', data: [{ id: 'gpt-4.1', object: 'model', created: 1, owned_by: 'openai' }, { id: 'my-finetune', object: 'model', created: 2, owned_by: 'me' }] } }]);
    const keel = spawnKeel({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel);
    const listed = await keel.request('model/list', { modelProvider: 'openai' });
    expect(listed.nextCursor).toBeNull();
    expect(listed.data.map((m) => [m.id, m.model, m.modelProvider, m.contextWindow, m.isDefault])).toEqual([
      ['gpt-4.1', 'gpt-4.1', 'openai', expect.any(Number), false],
      ['my-finetune', 'my-finetune', 'openai', null, false],
    ]);
    expect(await keel.request('model/list', { modelProvider: 'openai', limit: 1 })).toEqual({ data: [listed.data[0]], nextCursor: expect.any(String), listingFailures: [] });
    fake.assertDone();

    // The listing is now known: a model it lacks is refused at thread/start, with the models it has.
    const refused = (path: string, message: string) => ({ code: -32602, message: `Invalid params: ${path}: ${message}`, data: { issues: [{ path, message }] } });
    expect(await errorOf(keel.request('thread/start', { modelProvider: 'openai', model: 'gpt-nonexistent' }))).toEqual(
      refused('model', 'model provider openai does not serve the model "gpt-nonexistent"; its models are gpt-4.1, my-finetune'),
    );
    // So is a turn/start or resume override naming it, and a provider Keel does not know.
    const { thread } = await keel.request('thread/start', { modelProvider: 'openai', model: 'my-finetune' });
    expect(await errorOf(keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }], model: 'gpt-nonexistent' }))).toEqual(
      refused('model', 'model provider openai does not serve the model "gpt-nonexistent"; its models are gpt-4.1, my-finetune'),
    );
    const unknown = await errorOf(keel.request('thread/resume', { threadId: thread.id, modelProvider: 'nowhere' }));
    expect(unknown).toEqual(
      refused('modelProvider', `unknown model provider "nowhere"; the providers are ${/the providers are (.*) \(or one/.exec(unknown.message)![1]} (or one configured under [model_providers.<id>] in config.toml)`),
    );
    expect(/the providers are (.*) \(or one/.exec(unknown.message)![1]!.split(', ').slice(0, 3)).toEqual(['scripted', 'openai', 'anthropic']);
    expect((await keel.request('thread/read', { threadId: thread.id })).thread).toMatchObject({ modelProvider: 'openai' });
    fake.assertDone();
  });

  it('without any key lists the scripted provider as the default', async () => {
    const keel = spawnKeel();
    await initialized(keel);
    const { data } = await keel.request('model/list', {});
    expect(data).toEqual([
      {
        id: 'scripted',
        model: 'scripted',
        displayName: 'Scripted (offline)',
        description: 'Scripted (offline), 1,000,000-token context',
        hidden: false,
        isDefault: true,
        defaultReasoningEffort: 'medium',
        supportedReasoningEfforts: ['low', 'medium', 'high'].map((e) => ({ reasoningEffort: e, description: `${e} reasoning effort` })),
        inputModalities: ['text', 'image'],
        modelProvider: 'scripted',
        contextWindow: 1_000_000,
        supportsTools: true,
      },
    ]);
  });

  it.each([
    ['empty', { json: { object: 'list', data: [] } }, []],
    ['unreachable', { json: { error: { message: 'down', type: 'server_error' } }, status: 503 }, [{ modelProvider: 'openai', message: '503 down' }]],
  ] as const)("shows Keel's catalog when the provider's listing is %s (saying why it failed), and a listed id runs as the turn's model", async (_case, listing, failures) => {
    fake = await startFakeModelServer();
    fake.script('/v1/models', [listing]);
    const keel = spawnKeel({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel);
    const { data, listingFailures } = await keel.request('model/list', { modelProvider: 'openai' }, 15_000);
    expect(data.map((m) => [m.id, m.model, m.modelProvider])).toEqual(builtInModels('openai').map((m) => [m.id, m.id, 'openai']));
    expect(listingFailures).toEqual(failures);
    expect(data.find((m) => m.id === 'gpt-5')).toMatchObject({ isDefault: true, displayName: 'GPT-5', contextWindow: 400_000 });
    fake.assertDone();

    fake.script(wire.route, [{ sse: wire.stream([wire.message('ok')]) }]);
    const { thread } = await keel.request('thread/start', { model: data[2]!.id });
    await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    expect((await keel.waitFor('turn/completed')).params).toMatchObject({ turn: { status: 'completed' } });
    expect((fake.calls.at(-1)!.body as { model: string }).model).toBe(data[2]!.id);
  });
});
