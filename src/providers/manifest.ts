// The providers Keel knows out of the box, and the factory that turns a provider's config into a
// ModelProvider for its wire. Creating a provider is cheap: no SDK is loaded until it streams.
import { createAnthropicProvider } from './anthropic.js';
import { createChatProvider } from './openai-chat.js';
import { createResponsesProvider } from './openai-responses.js';
import { ProviderError, type ModelProvider, type ProviderConfig } from './types.js';

export type Env = Readonly<Record<string, string | undefined>>;

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

const chat = (id: string, name: string, baseUrl: string, apiKeyEnv: string | null): ProviderConfig => ({
  id,
  name,
  wire: 'chat',
  baseUrl,
  apiKeyEnv,
});

/** The manifest. `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL` in `env` move the two first-party APIs. */
export function builtInProviders(env: Env = {}): ProviderConfig[] {
  return [
    { id: 'openai', name: 'OpenAI', wire: 'responses', baseUrl: env.OPENAI_BASE_URL || OPENAI_BASE_URL, apiKeyEnv: 'OPENAI_API_KEY' },
    {
      id: 'anthropic',
      name: 'Anthropic',
      wire: 'anthropic',
      baseUrl: env.ANTHROPIC_BASE_URL || ANTHROPIC_BASE_URL,
      apiKeyEnv: 'ANTHROPIC_API_KEY',
    },
    chat('ollama', 'Ollama', 'http://localhost:11434/v1', null),
    chat('lmstudio', 'LM Studio', 'http://localhost:1234/v1', null),
    { ...chat('vllm', 'vLLM', 'http://localhost:8000/v1', 'VLLM_API_KEY'), apiKeyOptional: true },
    chat('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY'),
    chat('groq', 'Groq', 'https://api.groq.com/openai/v1', 'GROQ_API_KEY'),
    chat('deepseek', 'DeepSeek', 'https://api.deepseek.com/v1', 'DEEPSEEK_API_KEY'),
    // https://docs.mistral.ai/studio-api/conversations/advanced/prompt-caching (Chat Completions)
    { ...chat('mistral', 'Mistral', 'https://api.mistral.ai/v1', 'MISTRAL_API_KEY'), promptCacheKey: true },
    chat('together', 'Together AI', 'https://api.together.xyz/v1', 'TOGETHER_API_KEY'),
    chat('xai', 'xAI', 'https://api.x.ai/v1', 'XAI_API_KEY'),
    chat('fireworks', 'Fireworks AI', 'https://api.fireworks.ai/inference/v1', 'FIREWORKS_API_KEY'),
  ];
}

/**
 * A provider for its wire. A required key missing from `env` does not fail here: the provider
 * fails when used, with an `unauthorized` error naming the variable to set.
 */
export function createProvider(config: ProviderConfig, env: Env): ModelProvider {
  const apiKey = config.apiKeyEnv === null ? '' : (env[config.apiKeyEnv] ?? '');
  if (config.apiKeyEnv !== null && apiKey === '' && !config.apiKeyOptional) {
    const message = `${config.name} needs an API key: set the ${config.apiKeyEnv} environment variable`;
    return unusable(config.id, new ProviderError(message, 'unauthorized', { retryable: false }));
  }
  // Checked here, or fetch fails with "Cannot convert argument to a ByteString" and no name.
  const unsendable = unsendableIn(config.apiKeyEnv ?? '', apiKey) ?? Object.entries(config.headers ?? {}).map(([name, value]) => unsendableIn(`the ${name} header of model provider ${config.id}`, value)).find((text) => text !== null);
  if (unsendable) return unusable(config.id, new ProviderError(unsendable, 'unauthorized', { retryable: false }));
  const common = { id: config.id, apiKey, ...(config.headers ? { headers: config.headers } : {}) };
  switch (config.wire) {
    case 'responses':
      return createResponsesProvider({ ...common, baseUrl: config.baseUrl ?? OPENAI_BASE_URL });
    case 'anthropic':
      return createAnthropicProvider({ ...common, baseUrl: config.baseUrl ?? ANTHROPIC_BASE_URL, ...(config.promptCache && { promptCache: config.promptCache }) });
    case 'chat':
      if (config.baseUrl === null) {
        return unusable(config.id, new ProviderError(`${config.name} has no base URL`, 'badRequest', { retryable: false }));
      }
      return createChatProvider({ ...common, baseUrl: config.baseUrl, promptCacheKey: promptCacheKeyTaken(config) });
    case 'scripted':
      throw new Error('the scripted provider is built by the engine (providers/scripted.ts), not from a config');
  }
}

/**
 * Whether a Chat Completions endpoint takes `prompt_cache_key`: the manifest says so (its
 * provider's documentation does), or it is OpenAI's own API. Unknown OpenAI-compatible servers may
 * refuse fields they do not know, so the default is no.
 */
export function promptCacheKeyTaken(config: Pick<ProviderConfig, 'baseUrl' | 'promptCacheKey'>): boolean {
  if (config.promptCacheKey !== undefined) return config.promptCacheKey;
  try {
    return new URL(config.baseUrl ?? '').hostname === new URL(OPENAI_BASE_URL).hostname;
  } catch {
    return false;
  }
}

/**
 * Why `value` (a key, a header) cannot go in an HTTP header, naming `source`; null when it can.
 * HTTP carries bytes: a character above U+00FF, a NUL or a line break inside cannot be sent
 * (whitespace around the value is trimmed by fetch, so a key ending in a newline still works).
 */
export function unsendableIn(source: string, value: string): string | null {
  const chars = [...value];
  const inside = (char: string) => !' \t\r\n'.includes(char);
  const first = chars.findIndex(inside);
  const last = chars.findLastIndex(inside);
  const at = chars.findIndex((char, i) => i >= first && i <= last && (char.codePointAt(0)! > 0xff || char === '\0' || char === '\r' || char === '\n'));
  if (at < 0) return null;
  return `${source} contains a character that cannot be sent in an HTTP header (character ${at + 1}); set it again without it`;
}

/** A provider that can only report why it cannot serve. */
function unusable(id: string, error: ProviderError): ModelProvider {
  return {
    id,
    toolFamily: 'generic',
    async *stream() {
      throw error;
    },
    listModels: () => Promise.reject(error),
  };
}
