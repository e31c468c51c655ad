// Where the turn engine gets providers: the scripted provider built in, the manifest's providers
// and custom endpoints from config — each created on first use and kept.
import type { ModelProvider } from '../providers/types.js';
import { createScriptedProvider, loadScript, SCRIPTED_MODEL, type Script } from '../providers/scripted.js';
import { ProviderError } from '../providers/types.js';

export interface ProviderSource {
  provider(id: string): Promise<ModelProvider>;
  contextWindow(providerId: string, model: string): number | null;
  unservedModel(providerId: string, model: string): string | null;
}

export interface ProviderSourceOptions {
  /** Path of a script for the scripted provider; null answers every turn with the echo demo. */
  scriptPath: string | null;
}

export function createProviderSource(options: ProviderSourceOptions): ProviderSource {
  const made = new Map<string, Promise<ModelProvider>>();
  const build = async (id: string): Promise<ModelProvider> => {
    if (id === 'scripted') {
      const script: Script | null = options.scriptPath ? loadScript(options.scriptPath) : null;
      return createScriptedProvider(script);
    }
    throw new ProviderError(`unknown model provider: ${id}`, 'badRequest', { retryable: false });
  };
  return {
    provider(id) {
      let provider = made.get(id);
      if (provider === undefined) {
        provider = build(id);
        made.set(id, provider);
        provider.catch(() => made.delete(id));
      }
      return provider;
    },
    contextWindow: (providerId) => (providerId === 'scripted' ? 1_000_000 : null),
    unservedModel: (providerId, model) =>
      providerId === 'scripted' && model !== SCRIPTED_MODEL ? `the scripted provider serves only the model "${SCRIPTED_MODEL}", not "${model}"` : null,
  };
}
