// Keel's built-in defaults as config keys (config/read's packagedDefaults layer): the provider
// follows the API keys in the environment, the model follows the provider in effect.
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ConfigStore, type ResolvedConfig } from '../../src/config/config-store.js';
import { configDefaults } from '../../src/engine/run-defaults.js';

const empty = new ConfigStore(path.join(os.tmpdir(), 'keel-no-such-home', String(process.pid))).resolved();
const keel = { max_turn_iterations: 50, stream_idle_timeout_ms: 300_000, turn_timeout_ms: 3_600_000, max_retries: 4, client_stall_timeout_ms: 60_000, client_output_limit_bytes: 67_108_864, approval_timeout_ms: 600_000, thread_idle_unload_ms: 60_000, turns_without_clients: 'continue' };
const fixed = { approval_policy: 'on-request', sandbox_mode: 'read-only', keel };

const table: Array<[name: string, config: Partial<ResolvedConfig>, env: NodeJS.ProcessEnv, defaults: object]> = [
  ['no key, nothing configured', {}, {}, { model_provider: 'scripted', model: 'scripted', ...fixed }],
  ['an OpenAI key', {}, { OPENAI_API_KEY: 'k' }, { model_provider: 'openai', model: 'gpt-5', ...fixed }],
  ['an Anthropic key', {}, { ANTHROPIC_API_KEY: 'k' }, { model_provider: 'anthropic', model: 'claude-sonnet-4-5', ...fixed }],
  ['a configured provider keeps the key-based default, the model follows it', { modelProvider: 'anthropic' }, { OPENAI_API_KEY: 'k' }, { model_provider: 'openai', model: 'claude-sonnet-4-5', ...fixed }],
  ['a provider with no known model', { modelProvider: 'local' }, {}, { model_provider: 'scripted', ...fixed }],
];

it.each(table)('%s', (_name, config, env, defaults) => {
  expect(configDefaults({ ...empty, ...config }, env)).toEqual(defaults);
});
