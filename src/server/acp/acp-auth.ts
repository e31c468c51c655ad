// ACP authentication as Keel can really do it: its providers read API keys from the environment
// Keel starts with (OPENAI_API_KEY also from auth.json), so the only "method" is that key. Each
// provider Keel is set up to use (the default one and config.toml's) that needs a key and has none
// is offered as an `agent` method (ACP v1 has no env-var method type); `authenticate` checks the
// key is there now and, when it is not, says which variable to set. There is no sign-in to fake.
import type { AuthMethod } from '@agentclientprotocol/sdk';
import { RpcError, RpcErrors } from '../../protocol/errors.js';
import type { ProviderConfig } from '../../providers/types.js';
import type { ProviderSetup } from '../provider-setup.js';

/** What the auth methods are read from: the provider setup (before the services) or Keel itself. */
type Providers = Pick<ProviderSetup, 'defaults' | 'config' | 'providers' | 'providerEnv'>;

const METHOD_PREFIX = 'api-key:';
/** ACP's "authentication required" error code. */
const AUTH_REQUIRED = -32000;

/** The providers Keel is set up to use: the default one and those config.toml names. */
function setUpProviders(keel: Providers): ProviderConfig[] {
  const wanted = new Set([keel.defaults().modelProvider, ...Object.keys(keel.config.resolved().modelProviders)]);
  return keel.providers.configs().filter((config) => wanted.has(config.id));
}

const needsKey = (config: ProviderConfig): config is ProviderConfig & { apiKeyEnv: string } => config.apiKeyEnv !== null && !config.apiKeyOptional;
const hasKey = (keel: Providers, variable: string): boolean => !!keel.providerEnv()[variable];

/** The set-up providers whose key is missing, each as a method naming its variable. */
export function authMethods(keel: Providers): AuthMethod[] {
  return setUpProviders(keel)
    .filter((config) => needsKey(config) && !hasKey(keel, config.apiKeyEnv))
    .map((config) => ({
      id: `${METHOD_PREFIX}${config.id}`,
      name: `${config.name} API key`,
      description: `Set ${config.apiKeyEnv} in the environment the editor starts \`keel acp\` with (Zed: agent_servers.<name>.env), then restart the agent.`,
    }));
}

/** Ok when the method's key is present; else ACP's auth-required error naming the variable. */
export function authenticate(keel: Providers, methodId: string): Record<string, never> {
  const providerId = methodId.startsWith(METHOD_PREFIX) ? methodId.slice(METHOD_PREFIX.length) : null;
  const config = providerId === null ? undefined : setUpProviders(keel).find((candidate) => candidate.id === providerId);
  if (config === undefined) {
    const offered = setUpProviders(keel).filter(needsKey).map((candidate) => `${METHOD_PREFIX}${candidate.id}`);
    throw RpcErrors.invalidParams(`methodId: Keel has no auth method ${JSON.stringify(methodId)} (it has: ${offered.join(', ') || 'none'})`);
  }
  if (!needsKey(config) || hasKey(keel, config.apiKeyEnv)) return {};
  throw new RpcError(AUTH_REQUIRED, `${config.name} needs an API key: ${config.apiKeyEnv} is not set. Set it in the environment keel acp starts with, then restart the agent.`, { variable: config.apiKeyEnv });
}
