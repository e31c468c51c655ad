// account/*: the one account Keel knows is an OpenAI API key — signed in over the wire (stored in
// $KEEL_HOME/auth.json) or set in OPENAI_API_KEY. The key is written to the file and nowhere else:
// never into a result, a notification, a log line or an error message.
//
// Notification order follows Codex: login answers first, then `account/login/completed`, then
// `account/updated`; logout answers, then `account/updated` (sent whether or not a key was stored).
import type { Keel } from '../open-keel.js';
import { DomainError, DomainErrors } from '../../kernel/errors.js';
import type { Handler } from '../dispatch.js';

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

export function accountHandlers(keel: Keel): { [M in AccountMethod]: Handler<M> } {
  const hasOpenAiKey = () => !!keel.providerEnv().OPENAI_API_KEY;
  const accountUpdated = () => ({ authMode: hasOpenAiKey() ? ('apikey' as const) : null, planType: null });

  return {
    'account/read': () => ({
      account: hasOpenAiKey() ? { type: 'apiKey' as const } : null,
      userId: null,
      requiresOpenaiAuth: keel.defaults().modelProvider === 'openai',
    }),

    'account/login/start': (params, { afterResponse }) => {
      if (params.type !== 'apiKey') throw unsupportedLogin(params.type);
      // A pasted key often carries a trailing newline, which no Authorization header accepts.
      const apiKey = params.apiKey.trim();
      if (apiKey === '') throw DomainErrors.invalid('must not be empty', 'apiKey');
      try {
        keel.auth.saveOpenAiKey(apiKey);
      } catch (error) {
        throw fileFailure('save the API key to', keel.auth.filePath, error);
      }
      afterResponse(() => {
        keel.broadcast('account/login/completed', { loginId: null, success: true, error: null, onboardingEntrypoint: null });
        keel.broadcast('account/updated', accountUpdated());
      });
      return { type: 'apiKey' as const };
    },

    'account/login/cancel': () => ({ status: 'notFound' as const }),

    'account/logout': (_params, { afterResponse }) => {
      try {
        keel.auth.remove();
      } catch (error) {
        throw fileFailure('remove', keel.auth.filePath, error);
      }
      afterResponse(() => keel.broadcast('account/updated', accountUpdated()));
      return {};
    },

    'account/securitySetup/read': () => ({ notice: null }),

    'account/gatewayOAuth/read': (params) => {
      const id = params.modelProvider ?? keel.defaults().modelProvider;
      const provider = keel.providers.configs().find((config) => config.id === id);
      if (provider === undefined) throw new DomainError('notFound', `unknown model provider: ${id}`);
      return { providerId: provider.id, providerName: provider.name, required: false as const, supportsDeviceAuth: false as const, status: null, error: null };
    },

    'account/gatewayOAuth/cancel': () => ({}),
  };
}
