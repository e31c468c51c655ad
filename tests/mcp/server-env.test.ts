// What an MCP server Keel starts inherits: a few basic variables (PATH, HOME…), what its config
// sets in `env`, and the variables its `env_vars` names — never Keel's keys otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager } from '../../src/mcp/index.js';
import { fixtureConfig } from './mcp-fixtures.js';

const HELD = { OPENAI_API_KEY: 'sk-openai-0123456789', ANTHROPIC_API_KEY: 'sk-ant-0123456789', FOO_TOKEN: 'tok-0123456789', MY_SECRET: 'shh-0123456789' };
let manager: McpManager | undefined;
const saved = { ...process.env };
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
  for (const name of Object.keys(HELD)) if (saved[name] === undefined) delete process.env[name];
  Object.assign(process.env, saved);
});

async function serverEnv(env: Record<string, string> = {}, envVars: string[] = []): Promise<Record<string, string>> {
  Object.assign(process.env, HELD);
  const config = fixtureConfig('envy', { env });
  const envFile = path.join(path.dirname(config.pidFile), 'env.json');
  const transport = config.transport as Extract<typeof config.transport, { type: 'stdio' }>;
  transport.env.FIXTURE_ENV_FILE = envFile;
  transport.envVars = envVars;
  manager = new McpManager([config]);
  manager.ensureStarted(['envy']);
  await manager.waitForReady('envy', 10_000);
  return JSON.parse(fs.readFileSync(envFile, 'utf8')) as Record<string, string>;
}

describe("an MCP server's environment", () => {
  it('holds none of Keel\'s keys by default, and the basics', async () => {
    const env = await serverEnv();
    for (const name of Object.keys(HELD)) expect(env[name], name).toBeUndefined();
    expect(env.PATH).toBe(process.env.PATH);
  });

  it('gets what its config names: `env` values and `env_vars` passed on', async () => {
    const env = await serverEnv({ GIVEN_TOKEN: 'given' }, ['FOO_TOKEN']);
    expect({ GIVEN_TOKEN: env.GIVEN_TOKEN, FOO_TOKEN: env.FOO_TOKEN, OPENAI_API_KEY: env.OPENAI_API_KEY }).toEqual({ GIVEN_TOKEN: 'given', FOO_TOKEN: HELD.FOO_TOKEN, OPENAI_API_KEY: undefined });
  });
});
