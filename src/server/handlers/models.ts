// model/list: the models of every provider Keel can use right now (the default one, configured
// ones, and those whose API key is set or stored), listed in parallel, each bounded in time. A
// provider whose listing is empty or fails shows Keel's catalog (ProviderSource.modelListing); one
// whose listing failed is named in `listingFailures` with why, so an empty or catalog-only list is
// never a silent failure.
import type { z } from 'zod';
import type { ProviderSource } from '../../engine/provider-source.js';
import type { SettingsDefaults } from '../../engine/thread-settings.js';
import type { Model } from '../../protocol/schemas/model-methods.js';
import type { Env } from '../../providers/manifest.js';
import type { ModelInfo, ProviderConfig } from '../../providers/types.js';
import { decodeCursor, encodeCursor } from '../../kernel/cursor.js';
import { secrets } from '../../kernel/redact.js';
import type { Handler } from '../dispatch.js';

const LIST_TIMEOUT_MS = 5_000;
const EFFORTS = ['low', 'medium', 'high'] as const;

export interface ModelListDeps {
  providers: ProviderSource;
  defaults: () => SettingsDefaults;
  /** Where provider keys are found: the environment, with a stored key filling OPENAI_API_KEY. */
  env: () => Env;
  /** Providers named in config.toml. */
  configured: () => string[];
}

function usable(config: ProviderConfig, deps: ModelListDeps, defaultProvider: string): boolean {
  if (config.id === defaultProvider || deps.configured().includes(config.id)) return true;
  return config.apiKeyEnv !== null && !!deps.env()[config.apiKeyEnv];
}

function toModel(info: ModelInfo, config: ProviderConfig, defaults: SettingsDefaults): z.output<typeof Model> {
  const window = info.contextWindow === null ? '' : `, ${info.contextWindow.toLocaleString('en-US')}-token context`;
  const via = info.displayName === config.name ? info.displayName : `${info.displayName} via ${config.name}`;
  return {
    // As in Codex, `id` is the model id itself: what thread/start.model and turn/start.model take.
    id: info.id,
    model: info.id,
    displayName: info.displayName,
    description: `${via}${window}`,
    hidden: false,
    isDefault: config.id === defaults.modelProvider && info.id === defaults.model,
    defaultReasoningEffort: info.supportsReasoning ? 'medium' : 'none',
    supportedReasoningEfforts: info.supportsReasoning ? EFFORTS.map((effort) => ({ reasoningEffort: effort, description: `${effort} reasoning effort` })) : [],
    inputModalities: info.supportsImages ? ['text', 'image'] : ['text'],
    modelProvider: config.id,
    contextWindow: info.contextWindow,
    supportsTools: info.supportsTools,
  };
}

const isOffset = (p: unknown): p is number => typeof p === 'number' && Number.isSafeInteger(p) && p >= 0;

export function modelList(deps: ModelListDeps): Handler<'model/list'> {
  return async (params, { signal }) => {
    const defaults = deps.defaults();
    const configs = deps.providers.configs().filter((c) => (params.modelProvider ? c.id === params.modelProvider : usable(c, deps, defaults.modelProvider)));
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(LIST_TIMEOUT_MS)]);
    const listings = await Promise.all(configs.map(async (config) => ({ config, ...(await deps.providers.modelListing(config.id, bounded)) })));
    const all = listings.flatMap(({ config, models }) => models.map((info) => toModel(info, config, defaults)));
    const listingFailures = listings
      .filter((listing) => listing.failure !== null)
      .map(({ config, failure }) => ({ modelProvider: config.id, message: secrets.redact(failure!) }));
    const start = params.cursor ? decodeCursor(params.cursor, 'models', isOffset) : 0;
    const limit = params.limit ? Math.min(params.limit, 1000) : 100;
    const data = all.slice(start, start + limit);
    const next = start + data.length;
    return { data, nextCursor: next < all.length ? encodeCursor('models', next) : null, listingFailures };
  };
}
