// Which models Keel can reach and with what keys: config.toml (with the command line's overrides),
// auth.json's stored key, the environment, and the provider source built from them. The one place
// this is composed — openKeel builds the rest of Keel on it, and `keel acp` builds it first, alone,
// so that `initialize` can say which providers miss their key without waiting for the store to open.
import path from 'node:path';
import { AuthStore, withStoredKeys } from '../config/auth-store.js';
import type { ConfigOverride } from '../config/config-overrides.js';
import { ConfigStore } from '../config/config-store.js';
import { createProviderSource, type ProviderSource } from '../engine/provider-source.js';
import { configDefaults, settingsDefaults } from '../engine/run-defaults.js';
import type { SettingsDefaults } from '../engine/thread-settings.js';
import { PROVIDER_KEY_VARIABLES, secrets } from '../kernel/redact.js';
import type { Log } from '../log.js';
import type { Env } from '../providers/manifest.js';

export interface ProviderSetupOptions {
  home: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  logger: Log;
  configOverrides?: readonly ConfigOverride[];
  /** The Keel program, named as the file of the built-in defaults in `config/read`; default `process.argv[1]`. */
  programPath?: string;
}

export interface ProviderSetup {
  /** `$KEEL_HOME/auth.json`: the OpenAI API key signed in over the wire. */
  auth: AuthStore;
  config: ConfigStore;
  /** The environment providers read keys from: the process's, with the stored key filling OPENAI_API_KEY when it is unset. */
  providerEnv(): Env;
  providers: ProviderSource;
  /** The settings a thread starts with when a request names none (model, provider, policies, cwd). */
  defaults(): SettingsDefaults;
}

export function providerSetup(options: ProviderSetupOptions): ProviderSetup {
  const { logger, env } = options;
  const auth = new AuthStore(options.home, { onProblem: (message) => logger.warn(message) });
  // A stored key counts as if OPENAI_API_KEY were set: providers use it, and it makes openai the
  // default provider when config.toml names none (run-defaults.ts).
  // Each key a provider may use is learnt as a secret (kernel/redact.ts) when it is read.
  const providerEnv = () => {
    const resolved = config.resolved();
    const mcpTokens = resolved.mcpServers.map((server) => (server.transport.type === 'http' ? server.transport.bearerTokenEnvVar : null));
    secrets.rememberEnv(env, [...PROVIDER_KEY_VARIABLES, ...Object.values(resolved.modelProviders).map((provider) => provider.envKey), ...mcpTokens]);
    return withStoredKeys(env, auth.keys());
  };
  const config = new ConfigStore(options.home, {
    onProblems: ({ filePath, warnings, loadError }) => logger.warn({ file: filePath, warnings, loadError }, 'config.toml: invalid values are ignored'),
    overrides: options.configOverrides,
    defaults: { file: options.programPath ?? path.resolve(process.argv[1] ?? ''), values: (resolved) => configDefaults(resolved, providerEnv()) },
  });
  const providers = createProviderSource({ scriptPath: env.KEEL_SCRIPT || null, env: providerEnv, custom: () => config.resolved().modelProviders });
  return { auth, config, providerEnv, providers, defaults: () => settingsDefaults(config.resolved(), providerEnv(), options.cwd) };
}
