// Whether a thread may be set to a model: thread/start, and resume, fork and turn/start overrides
// that name a model or a provider. A provider Keel does not know is refused, with the providers it
// knows; a model its provider is known not to serve is refused, with the models it serves. What a
// provider serves is known for the scripted provider and for a provider whose model list Keel has
// fetched (model/list fetches it); a provider whose listing is not known — not fetched yet, or an
// OpenAI-compatible endpoint that lists nothing — takes any model, and the provider itself answers
// for it at the first model call (`modelNotFound`).
import { DomainErrors } from '../kernel/errors.js';
import type { ProviderSource } from './provider-source.js';

export function modelChecker(providers: Pick<ProviderSource, 'configs' | 'servedModels'>): (modelProvider: string, model: string) => void {
  return (modelProvider, model) => {
    const served = providers.servedModels(modelProvider);
    if (served === undefined) {
      const known = providers.configs().map((c) => c.id);
      throw DomainErrors.invalid(`unknown model provider "${modelProvider}"; the providers are ${known.join(', ')} (or one configured under [model_providers.<id>] in config.toml)`, 'modelProvider');
    }
    if (served === null || served.includes(model)) return;
    throw DomainErrors.invalid(`model provider ${modelProvider} does not serve the model "${model}"; its models are ${served.join(', ')}`, 'model');
  };
}
