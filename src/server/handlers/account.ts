// account/*: the one account Keel knows is an OpenAI API key — signed in over the wire (stored in
// $KEEL_HOME/auth.json) or set in OPENAI_API_KEY. Any other provider's key can be stored the same
// way (Keel's `modelProvider` extension of the apiKey login), under the variable that provider
// reads. A key is written to the file and nowhere else: never into a result, a notification, a
// log line or an error message.
//
// Notification order follows Codex: login answers first, then `account/login/completed`, then
// `account/updated`; logout answers, then `account/updated` (sent whether or not a key was stored).
import { OPENAI_KEY_VARIABLE, type AuthStore } from '../../config/auth-store.js';
import type { ProviderSource } from '../../engine/provider-source.js';
import type { SettingsDefaults } from '../../engine/thread-settings.js';
import { DomainError, DomainErrors } from '../../kernel/errors.js';
import type { Env } from '../../providers/manifest.js';
import type { Handler } from '../dispatch.js';

export interface AccountServices {
  /** `$KEEL_HOME/auth.json`. */
  auth: Pick<AuthStore, 'saveKey' | 'remove' | 'filePath'>;
  /** The environment providers read keys from (the stored key filling OPENAI_API_KEY). */
  providerEnv(): Env;
  defaults(): SettingsDefaults;
  providers: Pick<ProviderSource, 'configs'>;
  /** Sends an account-level notification to every connection. */
  broadcast(method: string, params: unknown): void;
}

type AccountMethod =
  | 'account/read'
  | 'account/login/start'
  | 'account/login/cancel'
  | 'account/logout'
  | 'account/securitySetup/read'
  | 'account/gatewayOAuth/read'
  | 'account/gatewayOAuth/cancel';

const ALTERNATIVES =
  'Sign in with an OpenAI API key instead (account/login/start {"type": "apiKey", "apiKey": "…"}), set OPENAI_API_KEY, ' +
  "ANTHROPIC_API_KEY or another provider's key in Keel's environment, or configure a provider in $KEEL_HOME/config.toml.";

const LOGIN_NAMES: Record<string, string> = {
  chatgpt: 'ChatGPT login',
  chatgptDeviceCode: 'ChatGPT device-code login',
  chatgptAuthTokens: 'ChatGPT auth-token login',
  amazonBedrock: 'Amazon Bedrock login',
  amazonBedrockAccessKeys: 'Amazon Bedrock login',
};

function unsupportedLogin(type: string): DomainError {
  return DomainErrors.invalid(`${LOGIN_NAMES[type] ?? `${type} login`} is not supported by Keel. ${ALTERNATIVES}`);
}

/** Why a file operation on auth.json failed, without anything that could hold the key. */
function fileFailure(what: string, path: string, error: unknown): DomainError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return DomainErrors.unavailable(`failed to ${what} ${path}: ${code}`);
}

export function accountHandlers(services: AccountServices): { [M in AccountMethod]: Handler<M> } {
  const hasOpenAiKey = () => !!services.providerEnv().OPENAI_API_KEY;
  const accountUpdated = () => ({ authMode: hasOpenAiKey() ? ('apikey' as const) : null, planType: null });

  /** The variable a provider reads its key from: where its stored key goes. */
  const keyVariable = (id: string): string => {
    const provider = services.providers.configs().find((config) => config.id === id);
    if (provider === undefined) throw new DomainError('notFound', `unknown model provider: ${id}`);
    if (provider.apiKeyEnv === null) throw DomainErrors.invalid(`model provider ${id} takes no API key`, 'modelProvider');
    return provider.apiKeyEnv;
  };

  return {
    'account/read': () => ({
      account: hasOpenAiKey() ? { type: 'apiKey' as const } : null,
      userId: null,
      requiresOpenaiAuth: services.defaults().modelProvider === 'openai',
    }),

    'account/login/start': (params, { afterResponse }) => {
      if (params.type !== 'apiKey') throw unsupportedLogin(params.type);
      // A pasted key often carries a trailing newline, which no Authorization header accepts.
      const apiKey = params.apiKey.trim();
      if (apiKey === '') throw DomainErrors.invalid('must not be empty', 'apiKey');
      const variable = params.modelProvider == null ? OPENAI_KEY_VARIABLE : keyVariable(params.modelProvider);
      try {
        services.auth.saveKey(variable, apiKey);
      } catch (error) {
        throw fileFailure('save the API key to', services.auth.filePath, error);
      }
      afterResponse(() => {
        services.broadcast('account/login/completed', { loginId: null, success: true, error: null, onboardingEntrypoint: null });
        services.broadcast('account/updated', accountUpdated());
      });
      return { type: 'apiKey' as const };
    },

    'account/login/cancel': () => ({ status: 'notFound' as const }),

    'account/logout': (_params, { afterResponse }) => {
      try {
        services.auth.remove();
      } catch (error) {
        throw fileFailure('remove', services.auth.filePath, error);
      }
      afterResponse(() => services.broadcast('account/updated', accountUpdated()));
      return {};
    },

    'account/securitySetup/read': () => ({ notice: null }),

    'account/gatewayOAuth/read': (params) => {
      const id = params.modelProvider ?? services.defaults().modelProvider;
      const provider = services.providers.configs().find((config) => config.id === id);
      if (provider === undefined) throw new DomainError('notFound', `unknown model provider: ${id}`);
      return { providerId: provider.id, providerName: provider.name, required: false as const, supportsDeviceAuth: false as const, status: null, error: null };
    },

    'account/gatewayOAuth/cancel': () => ({}),
  };
}
