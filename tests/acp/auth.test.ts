// ACP authentication as Keel really does it: an API key in the environment for each provider it is
// set up to use. initialize lists the set-up providers whose key is missing; authenticate answers
// truthfully (ok with the key, ACP's auth-required error naming the variable without it).
// The initialize answer, auth methods included, is checked against ACP's published schema with
// every other line Keel writes, after each test (acp-agent.ts), which also stops the agents.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAcpAgent, type AcpAgent } from '../helpers/acp-agent.js';

/** A Keel home whose config.toml sets up Anthropic as the default provider and a custom one keyed by CUSTOM_KEY. */
function homeWithProviders(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-auth-'));
  const config = ['model_provider = "anthropic"', '[model_providers.custom]', 'name = "Custom"', 'base_url = "http://127.0.0.1:9/v1"', 'env_key = "CUSTOM_KEY"', 'wire_api = "responses"'];
  fs.writeFileSync(path.join(home, 'config.toml'), config.join('\n') + '\n');
  return home;
}

async function agent(options: Parameters<typeof startAcpAgent>[0]): Promise<{ keel: AcpAgent; authMethods: unknown }> {
  const keel = await startAcpAgent(options);
  const { authMethods } = await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
  expect(keel.problems).toEqual([]);
  return { keel, authMethods };
}

const method = (provider: string, name: string, variable: string) => ({
  id: `api-key:${provider}`,
  name: `${name} API key`,
  description: `Set ${variable} in the environment the editor starts \`keel acp\` with (Zed: agent_servers.<name>.env), then restart the agent.`,
});

describe('ACP authentication', () => {
  it('needs none on the scripted model alone', async () => {
    const { keel, authMethods } = await agent({});
    expect(authMethods).toEqual([]);
    await expect(keel.context.request('authenticate', { methodId: 'chatgpt' })).rejects.toMatchObject({ code: -32602, message: 'Invalid params: methodId: Keel has no auth method "chatgpt" (it has: none)' });
  });

  it('lists each set-up provider without its key, and authenticate names the variable to set', async () => {
    const { keel, authMethods } = await agent({ home: homeWithProviders() });
    expect(authMethods).toEqual([method('anthropic', 'Anthropic', 'ANTHROPIC_API_KEY'), method('custom', 'Custom', 'CUSTOM_KEY')]);
    await expect(keel.context.request('authenticate', { methodId: 'api-key:custom' })).rejects.toMatchObject({
      code: -32000,
      message: 'Custom needs an API key: CUSTOM_KEY is not set. Set it in the environment keel acp starts with, then restart the agent.',
      data: { variable: 'CUSTOM_KEY' },
    });
  });

  it('with the keys set: no method is needed, and authenticate with a provider\'s method is ok', async () => {
    const { keel, authMethods } = await agent({ home: homeWithProviders(), env: { ANTHROPIC_API_KEY: 'a', CUSTOM_KEY: 'c' } });
    expect(authMethods).toEqual([]);
    expect(await keel.context.request('authenticate', { methodId: 'api-key:custom' })).toEqual({});
    expect(await keel.context.request('authenticate', { methodId: 'api-key:anthropic' })).toEqual({});
    await expect(keel.context.request('authenticate', { methodId: 'api-key:gemini' })).rejects.toMatchObject({
      code: -32602,
      message: 'Invalid params: methodId: Keel has no auth method "api-key:gemini" (it has: api-key:anthropic, api-key:custom)',
    });
  });
});
