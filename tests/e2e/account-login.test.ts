// Signing in over the wire with an OpenAI API key, as an IDE does against Codex: the key is stored
// in $KEEL_HOME/auth.json (0600; the home 0700 when Keel creates it), the notifications follow
// Codex's order, a turn sends the key to the provider, logout removes it — and the key never
// appears on stdout or stderr. Other login types answer a clear refusal naming the alternatives.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeModelServer, type FakeModelServer } from '../helpers/fake-model-server.js';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { anthropic as anthropicWire, responses as wire } from '../helpers/wire-streams.js';

const API_KEY = 'sk-test';

const ALTERNATIVES =
  'Sign in with an OpenAI API key instead (account/login/start {"type": "apiKey", "apiKey": "…"}), set OPENAI_API_KEY, ' +
  "ANTHROPIC_API_KEY or another provider's key in Keel's environment, or configure a provider in $KEEL_HOME/config.toml.";

let fake: FakeModelServer;
let dirs: string[] = [];
let keel: KeelProcess | undefined;
beforeEach(async () => {
  fake = await startFakeModelServer();
});
afterEach(async () => {
  await keel?.close();
  keel = undefined;
  try {
    fake.assertDone();
  } finally {
    await fake.close();
    dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  }
});

/** A Keel whose home does not exist yet (the database lives elsewhere), so the login creates it. */
function keelWithFreshHome(): { keel: KeelProcess; home: string } {
  const root = makeTempHome();
  dirs.push(root);
  const home = path.join(root, 'home');
  const started = spawnKeel({ home, env: { OPENAI_BASE_URL: `${fake.url}/v1`, KEEL_DB: path.join(root, 'keel.db'), LOG_LEVEL: 'trace' } });
  return { keel: started, home };
}

/** The messages that followed the response to request `id`, up to the next response. */
function after(client: KeelProcess, id: number | string) {
  const rest = client.messages.slice(client.messages.findIndex((m) => m.id === id && m.method === undefined) + 1);
  const next = rest.findIndex((m) => m.method === undefined);
  return next === -1 ? rest : rest.slice(0, next);
}

describe('account/login/start {type: "apiKey"}', () => {
  it('stores the key, reports the account, sends the key on a turn, and logout removes it', async () => {
    const started = keelWithFreshHome();
    keel = started.keel;
    const authFile = path.join(started.home, 'auth.json');
    await initialized(keel);
    expect(await keel.request('account/read', {})).toEqual({ account: null, userId: null, requiresOpenaiAuth: false });

    expect(await keel.requestRaw({ id: 'login', method: 'account/login/start', params: { type: 'apiKey', apiKey: `${API_KEY}\n` } })).toEqual({
      id: 'login',
      result: { type: 'apiKey' },
    });
    await keel.waitFor('account/updated');
    expect(after(keel, 'login').map(({ method, params }) => ({ method, params }))).toEqual([
      { method: 'account/login/completed', params: { loginId: null, success: true, error: null, onboardingEntrypoint: null } },
      { method: 'account/updated', params: { authMode: 'apikey', planType: null } },
    ]);
    expect(JSON.parse(fs.readFileSync(authFile, 'utf8'))).toEqual({ OPENAI_API_KEY: API_KEY });
    expect(fs.statSync(authFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(started.home).mode & 0o777).toBe(0o700);

    // The stored key stands in for OPENAI_API_KEY: openai becomes the default provider.
    expect(await keel.request('account/read', {})).toEqual({ account: { type: 'apiKey' }, userId: null, requiresOpenaiAuth: true });
    expect(await keel.request('modelProvider/list', {})).toMatchObject({ defaultProviderId: 'openai' });
    fake.script(wire.route, [{ sse: wire.stream([wire.message('signed in')]) }]);
    const { thread, modelProvider, model } = await keel.request('thread/start', {});
    expect({ modelProvider, model }).toEqual({ modelProvider: 'openai', model: 'gpt-5' });
    await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    expect((await keel.waitFor('turn/completed')).params).toMatchObject({ turn: { status: 'completed', error: null } });
    expect(fake.calls.map((call) => [call.path, call.headers.authorization])).toEqual([['/v1/responses', `Bearer ${API_KEY}`]]);

    expect(await keel.requestRaw({ id: 'logout', method: 'account/logout' })).toEqual({ id: 'logout', result: {} });
    await keel.waitFor((m) => m.method === 'account/updated' && (m.params as { authMode: unknown }).authMode === null);
    expect(after(keel, 'logout').map(({ method, params }) => ({ method, params }))).toEqual([{ method: 'account/updated', params: { authMode: null, planType: null } }]);
    expect(fs.existsSync(authFile)).toBe(false);
    expect(await keel.request('account/read', {})).toEqual({ account: null, userId: null, requiresOpenaiAuth: false });

    await keel.close();
    expect(keel.stderr).not.toContain(API_KEY);
    expect(keel.messages.map((m) => JSON.stringify(m)).join('\n')).not.toContain(API_KEY);
  });

  it("stores another provider's key (modelProvider, Keel extension) beside OpenAI's, and a turn on that provider sends it", async () => {
    const root = makeTempHome();
    dirs.push(root);
    const home = path.join(root, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    fs.writeFileSync(path.join(home, 'config.toml'), 'model_provider = "anthropic"\nmodel = "claude-sonnet-4-5"\n');
    keel = spawnKeel({ home, env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: undefined, OPENAI_API_KEY: undefined, LOG_LEVEL: 'trace' } });
    await initialized(keel);
    const authFile = path.join(home, 'auth.json');
    const ANTHROPIC_KEY = 'sk-ant-stored-over-the-wire';

    expect(await keel.request('account/login/start', { type: 'apiKey', apiKey: API_KEY })).toEqual({ type: 'apiKey' });
    expect(await keel.requestRaw({ id: 'ant', method: 'account/login/start', params: { type: 'apiKey', apiKey: ` ${ANTHROPIC_KEY}\n`, modelProvider: 'anthropic' } })).toEqual({
      id: 'ant',
      result: { type: 'apiKey' },
    });
    await keel.waitFor((m) => m.method === 'account/updated' && after(keel!, 'ant').some((n) => n === m));
    expect(after(keel, 'ant').map(({ method, params }) => ({ method, params }))).toEqual([
      { method: 'account/login/completed', params: { loginId: null, success: true, error: null, onboardingEntrypoint: null } },
      { method: 'account/updated', params: { authMode: 'apikey', planType: null } },
    ]);
    expect(JSON.parse(fs.readFileSync(authFile, 'utf8'))).toEqual({ OPENAI_API_KEY: API_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY });
    expect(fs.statSync(authFile).mode & 0o777).toBe(0o600);

    fake.script(anthropicWire.route, [{ sse: anthropicWire.stream([anthropicWire.text('signed in')]) }]);
    const { thread, modelProvider } = await keel.request('thread/start', {});
    expect(modelProvider).toBe('anthropic');
    await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    expect((await keel.waitFor('turn/completed')).params).toMatchObject({ turn: { status: 'completed', error: null } });
    expect(fake.calls.map((call) => [call.path, call.headers.authorization])).toEqual([['/v1/messages', `Bearer ${ANTHROPIC_KEY}`]]);

    expect(await errorOf(keel.request('account/login/start', { type: 'apiKey', apiKey: 'k', modelProvider: 'nope' } as never))).toEqual({ code: -32600, message: 'unknown model provider: nope' });
    expect(await errorOf(keel.request('account/login/start', { type: 'apiKey', apiKey: 'k', modelProvider: 'scripted' } as never))).toEqual({
      code: -32602,
      message: 'Invalid params: modelProvider: model provider scripted takes no API key',
      data: { issues: [{ path: 'modelProvider', message: 'model provider scripted takes no API key' }] },
    });
    await keel.close();
    expect(keel.stderr).not.toContain(ANTHROPIC_KEY);
    expect(keel.messages.map((m) => JSON.stringify(m)).join('\n')).not.toContain(ANTHROPIC_KEY);
  });

  it('refuses an empty key, storing nothing', async () => {
    const started = keelWithFreshHome();
    keel = started.keel;
    await initialized(keel);
    expect(await errorOf(keel.request('account/login/start', { type: 'apiKey', apiKey: '  ' }))).toEqual({
      code: -32602,
      message: 'Invalid params: apiKey: must not be empty',
      data: { issues: [{ path: 'apiKey', message: 'must not be empty' }] },
    });
    expect(fs.existsSync(path.join(started.home, 'auth.json'))).toBe(false);
  });

  it('a key in OPENAI_API_KEY is the account too, wins over a stored one, and outlives logout', async () => {
    const home = makeTempHome();
    dirs.push(home);
    fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: 'sk-stored' }), { mode: 0o600 });
    keel = spawnKeel({ home, env: { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel);
    fake.script(wire.route, [{ sse: wire.stream([wire.message('ok')]) }]);
    const { thread } = await keel.request('thread/start', {});
    await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    await keel.waitFor('turn/completed');
    expect(fake.calls[0]!.headers.authorization).toBe('Bearer sk-env');
    await keel.request('account/logout', undefined as never);
    expect((await keel.waitFor('account/updated')).params).toEqual({ authMode: 'apikey', planType: null });
    expect(fs.existsSync(path.join(home, 'auth.json'))).toBe(false);
    expect(await keel.request('account/read', {})).toEqual({ account: { type: 'apiKey' }, userId: null, requiresOpenaiAuth: true });
  });
});

describe('other login types', () => {
  it.each([
    [{ type: 'chatgpt' }, 'ChatGPT login'],
    [{ type: 'chatgptDeviceCode' }, 'ChatGPT device-code login'],
    [{ type: 'chatgptAuthTokens', accessToken: 'jwt-secret', chatgptAccountId: 'acct' }, 'ChatGPT auth-token login'],
    [{ type: 'amazonBedrock', apiKey: 'bedrock-secret', region: 'us-east-1' }, 'Amazon Bedrock login'],
    [{ type: 'amazonBedrockAccessKeys', accessKeyId: 'AKIA', secretAccessKey: 'aws-secret', region: 'us-east-1' }, 'Amazon Bedrock login'],
  ] as const)('%j is refused, naming the alternatives', async (params, name) => {
    const started = keelWithFreshHome();
    keel = started.keel;
    await initialized(keel);
    expect(await errorOf(keel.request('account/login/start', params))).toEqual({ code: -32600, message: `${name} is not supported by Keel. ${ALTERNATIVES}` });
    expect(await keel.request('account/read', {})).toEqual({ account: null, userId: null, requiresOpenaiAuth: false });
    expect(fs.existsSync(started.home) && fs.readdirSync(started.home).includes('auth.json')).toBe(false);
    await keel.close();
    expect(keel.stderr + keel.messages.map((m) => JSON.stringify(m)).join('\n')).not.toMatch(/secret/);
  });
});
