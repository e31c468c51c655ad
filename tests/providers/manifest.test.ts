import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInProviders, createProvider, promptCacheKeyTaken, unsendableIn } from '../../src/providers/manifest.js';
import type { ProviderConfig } from '../../src/providers/types.js';
import { startFakeModelServer, type FakeModelServer } from '../helpers/fake-model-server.js';
import { drain, errorSummary, modelRequest } from './collect.js';

describe('the provider manifest', () => {
  it('lists every built-in provider with its wire, base URL and key variable', () => {
    const summary = builtInProviders({}).map(({ id, wire, baseUrl, apiKeyEnv, apiKeyOptional, promptCacheKey }) => ({
      id,
      wire,
      baseUrl,
      apiKeyEnv,
      ...(apiKeyOptional ? { apiKeyOptional } : {}),
      ...(promptCacheKey ? { promptCacheKey } : {}),
    }));
    expect(summary).toEqual([
      { id: 'openai', wire: 'responses', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
      { id: 'anthropic', wire: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKeyEnv: 'ANTHROPIC_API_KEY' },
      { id: 'ollama', wire: 'chat', baseUrl: 'http://localhost:11434/v1', apiKeyEnv: null },
      { id: 'lmstudio', wire: 'chat', baseUrl: 'http://localhost:1234/v1', apiKeyEnv: null },
      { id: 'vllm', wire: 'chat', baseUrl: 'http://localhost:8000/v1', apiKeyEnv: 'VLLM_API_KEY', apiKeyOptional: true },
      { id: 'openrouter', wire: 'chat', baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' },
      { id: 'groq', wire: 'chat', baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY' },
      { id: 'deepseek', wire: 'chat', baseUrl: 'https://api.deepseek.com/v1', apiKeyEnv: 'DEEPSEEK_API_KEY' },
      { id: 'mistral', wire: 'chat', baseUrl: 'https://api.mistral.ai/v1', apiKeyEnv: 'MISTRAL_API_KEY', promptCacheKey: true },
      { id: 'together', wire: 'chat', baseUrl: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY' },
      { id: 'xai', wire: 'chat', baseUrl: 'https://api.x.ai/v1', apiKeyEnv: 'XAI_API_KEY' },
      { id: 'fireworks', wire: 'chat', baseUrl: 'https://api.fireworks.ai/inference/v1', apiKeyEnv: 'FIREWORKS_API_KEY' },
    ]);
  });

  it('takes the first-party base URLs from the environment', () => {
    const providers = builtInProviders({ OPENAI_BASE_URL: 'http://proxy/v1', ANTHROPIC_BASE_URL: 'http://proxy' });
    expect(providers.filter((p) => p.baseUrl?.startsWith('http://proxy')).map((p) => [p.id, p.baseUrl])).toEqual([
      ['openai', 'http://proxy/v1'],
      ['anthropic', 'http://proxy'],
    ]);
  });
});

describe('createProvider', () => {
  let fake: FakeModelServer;
  beforeEach(async () => {
    fake = await startFakeModelServer();
  });
  afterEach(async () => {
    try {
      fake.assertDone();
    } finally {
      await fake.close();
    }
  });

  const cut = { sse: [], cutAfter: 0 };
  const wires: Array<{ wire: ProviderConfig['wire']; base: string; route: string; auth: string }> = [
    { wire: 'responses', base: '/v1', route: '/v1/responses', auth: 'Bearer key-1' },
    { wire: 'chat', base: '/v1', route: '/v1/chat/completions', auth: 'Bearer key-1' },
    { wire: 'anthropic', base: '', route: '/v1/messages', auth: 'Bearer key-1' },
  ];

  it.each(wires)('a $wire config streams from $route, with its key and headers', async ({ wire, base, route, auth }) => {
    fake.script(route, [cut]);
    const config: ProviderConfig = { id: 'p', name: 'P', wire, baseUrl: `${fake.url}${base}`, apiKeyEnv: 'P_KEY', headers: { 'x-extra': 'yes' } };
    const provider = createProvider(config, { P_KEY: 'key-1' });
    expect(provider.id).toBe('p');
    await drain(provider);
    expect(fake.calls.map((call) => [call.path, call.headers.authorization, call.headers['x-extra']])).toEqual([[route, auth, 'yes']]);
  });

  it('a provider whose key is not set fails when used, naming the variable', async () => {
    const [openai] = builtInProviders({});
    const provider = createProvider(openai!, {});
    const { error } = await drain(provider);
    expect({ message: (error as Error).message, ...(errorSummary(error) as object) }).toEqual({
      message: 'OpenAI needs an API key: set the OPENAI_API_KEY environment variable',
      kind: 'unauthorized',
      httpStatus: null,
      retryAfterMs: null,
      retryable: false,
    });
    await expect(provider.listModels!(new AbortController().signal)).rejects.toBe(error);
  });

  it('the vLLM entry streams without its optional key', async () => {
    fake.script('/v1/chat/completions', [cut]);
    const vllm = builtInProviders({}).find((p) => p.id === 'vllm')!;
    await drain(createProvider({ ...vllm, baseUrl: `${fake.url}/v1` }, {}));
    expect(fake.calls.map((call) => [call.path, call.headers.authorization])).toEqual([['/v1/chat/completions', undefined]]);
  });

  it.each(wires)('a keyless $wire endpoint gets no Authorization header', async ({ wire, base, route }) => {
    fake.script(route, [cut]);
    await drain(createProvider({ id: 'local', name: 'Local', wire, baseUrl: `${fake.url}${base}`, apiKeyEnv: null }, {}));
    expect(fake.calls.map((call) => [call.path, call.headers.authorization, call.headers['x-api-key']])).toEqual([[route, undefined, undefined]]);
  });

  // Chat Completions servers may refuse a field they do not know: prompt_cache_key goes to the
  // endpoints documented to take it (the manifest's trait), or to OpenAI's own API; others get none.
  it.each<{ name: string; config: Partial<ProviderConfig>; sent: boolean }>([
    { name: 'a chat endpoint with the trait', config: { promptCacheKey: true }, sent: true },
    { name: 'a chat endpoint without it', config: {}, sent: false },
    { name: 'the built-in Mistral entry', config: { promptCacheKey: builtInProviders({}).find((p) => p.id === 'mistral')!.promptCacheKey }, sent: true },
  ])('prompt_cache_key on Chat Completions: $name → $sent', async ({ config, sent }) => {
    fake.script('/v1/chat/completions', [cut]);
    const provider = createProvider({ id: 'p', name: 'P', wire: 'chat', baseUrl: `${fake.url}/v1`, apiKeyEnv: null, ...config }, {});
    await drain(provider, modelRequest({ cacheKey: 'thread-1' }));
    expect((fake.calls[0]!.body as Record<string, unknown>).prompt_cache_key).toBe(sent ? 'thread-1' : undefined);
  });

  it("OpenAI's own API takes prompt_cache_key on Chat Completions too", () => {
    expect([promptCacheKeyTaken({ baseUrl: 'https://api.openai.com/v1' }), promptCacheKeyTaken({ baseUrl: 'https://openrouter.ai/api/v1' }), promptCacheKeyTaken({ baseUrl: 'https://api.openai.com.evil/v1' })]).toEqual([true, false, false]);
  });

  it('refuses the scripted wire, which the engine builds itself', () => {
    expect(() => createProvider({ id: 'scripted', name: 'Scripted', wire: 'scripted', baseUrl: null, apiKeyEnv: null }, {})).toThrow(
      'the scripted provider is built by the engine',
    );
  });
});

describe('SDK loading', () => {
  it('no provider module imports an SDK at load time (only `import type` and `await import`)', () => {
    const dir = path.join(import.meta.dirname, '../../src/providers');
    const eager = fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(openai|@anthropic-ai\/sdk)[^']*'/gm)].map(
          (match) => `${file}: ${match[0]}`,
        ),
      );
    expect(eager).toEqual([]);
  });
});

describe('a key or header HTTP cannot carry', () => {
  const says = (source: string, at: number) => `${source} contains a character that cannot be sent in an HTTP header (character ${at}); set it again without it`;
  it.each([
    ['sk-plain', null],
    ['sk-plain\n', null],
    ['  sk-plain\r\n', null],
    ['sk-latin-é', null],
    ['sk-…', says('OPENAI_API_KEY', 4)],
    ['sk-a\nb', says('OPENAI_API_KEY', 5)],
    ['sk-a\0b', says('OPENAI_API_KEY', 5)],
    ['🔑sk', says('OPENAI_API_KEY', 1)],
  ])('%j → %s', (value, expected) => {
    expect(unsendableIn('OPENAI_API_KEY', value)).toBe(expected);
  });

  it('a configured header is checked too, and the provider fails naming it', async () => {
    const provider = createProvider({ id: 'corp', name: 'Corp', wire: 'chat', baseUrl: 'http://127.0.0.1:9', apiKeyEnv: null, headers: { 'X-Team': 'équipe—1' } }, {});
    await expect(provider.listModels!(new AbortController().signal)).rejects.toMatchObject({ message: says('the X-Team header of model provider corp', 7), kind: 'unauthorized' });
  });
});
