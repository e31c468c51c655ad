// Where the turn engine and model/list get providers: the built-in scripted provider, the
// manifest's providers, and custom endpoints from config.toml — each created on first use and
// kept while its configuration is unchanged.
import crypto from 'node:crypto';
import type { ResolvedProvider } from '../config/config-store.js';
import { builtInProviders, createProvider, type Env } from '../providers/manifest.js';
import { builtInModels, knownModel } from '../providers/model-catalog.js';
import { createScriptedProvider, loadScript, SCRIPTED_MODEL, SCRIPTED_MODEL_INFO, type Script } from '../providers/scripted.js';
import { ProviderError, type ModelInfo, type ModelProvider, type ProviderConfig } from '../providers/types.js';

export interface ProviderSource {
  /** Every provider Keel can use: built in and configured. */
  configs(): ProviderConfig[];
  provider(id: string): Promise<ModelProvider>;
  /** The provider's models: its own listing when it has a non-empty one (cached), else the built-in catalog; never throws. */
  models(id: string, signal: AbortSignal): Promise<ModelInfo[]>;
  /** The same, with why the provider's own listing failed when it did (then `models` is the catalog's). */
  modelListing(id: string, signal: AbortSignal): Promise<ModelListing>;
  contextWindow(providerId: string, model: string): number | null;
  unservedModel(providerId: string, model: string): string | null;
  /** The models a provider is known to serve — the scripted one's, or a listing fetched from the provider; null when not known (it may serve any). Undefined for no such provider. */
  servedModels(providerId: string): string[] | null | undefined;
}

export interface ModelListing {
  models: ModelInfo[];
  /** Why the provider's listing failed (its error, or the time limit); null when it listed or has no listing. */
  failure: string | null;
}

export interface ProviderSourceOptions {
  /** Path of a script for the scripted provider; null answers every turn with the echo demo. */
  scriptPath: string | null;
  /** Where keys and base URLs come from, read on each use: a key stored after start-up takes effect. */
  env: () => Env;
  /** Custom providers from config.toml (`[model_providers.<id>]`), read on each use. */
  custom: () => Record<string, ResolvedProvider>;
}

const SCRIPTED_CONFIG: ProviderConfig = { id: 'scripted', name: 'Scripted (offline)', wire: 'scripted', baseUrl: null, apiKeyEnv: null };

function customConfig(provider: ResolvedProvider): ProviderConfig {
  return {
    id: provider.id,
    name: provider.name,
    wire: provider.wireApi,
    baseUrl: provider.baseUrl,
    apiKeyEnv: provider.envKey,
    ...tuning(provider),
  };
}

/** What a `[model_providers.<id>]` table sets beside the endpoint: headers and the prompt cache. */
function tuning(provider: ResolvedProvider): Pick<ProviderConfig, 'headers' | 'promptCache'> {
  return {
    ...(Object.keys(provider.httpHeaders).length > 0 ? { headers: provider.httpHeaders } : {}),
    ...(provider.promptCache !== null ? { promptCache: provider.promptCache } : {}),
  };
}

/**
 * A configured provider: a table naming no endpoint under a built-in's id (`[model_providers.anthropic]`
 * with only `prompt_cache`) tunes the built-in; any other replaces it (or is a provider of its own).
 */
function configured(custom: ResolvedProvider, builtIn: ProviderConfig | undefined): ProviderConfig {
  if (builtIn === undefined || !custom.settingsOnly) return customConfig(custom);
  const { headers, promptCache } = tuning(custom);
  return { ...builtIn, ...(headers && { headers: { ...builtIn.headers, ...headers } }), ...(promptCache && { promptCache }) };
}

function keyDigest(apiKey: string | undefined): string {
  return apiKey ? crypto.createHash('sha256').update(apiKey).digest('hex').slice(0, 16) : '';
}

/** An empty listing says nothing about what a provider serves (see `unservedModel`): show the catalog. */
/** Why a listing failed, in words: the time limit or the caller's cancel when the signal ended it. */
function listingFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason = signal.reason as Error | undefined;
    return reason?.name === 'TimeoutError' ? 'the model listing took too long' : 'the model listing was cancelled';
  }
  return error instanceof Error ? error.message : String(error);
}

const orCatalog = (id: string, listed: ModelInfo[]): ModelInfo[] => (listed.length > 0 ? listed : builtInModels(id));

export function createProviderSource(options: ProviderSourceOptions): ProviderSource {
  const made = new Map<string, { key: string; provider: ModelProvider }>();
  const listings = new Map<string, ModelInfo[]>();
  const configs = (): ProviderConfig[] => {
    const byId = new Map<string, ProviderConfig>([[SCRIPTED_CONFIG.id, SCRIPTED_CONFIG]]);
    for (const config of builtInProviders(options.env())) byId.set(config.id, config);
    for (const custom of Object.values(options.custom())) byId.set(custom.id, configured(custom, byId.get(custom.id)));
    return [...byId.values()];
  };
  const configOf = (id: string): ProviderConfig => {
    const config = configs().find((c) => c.id === id);
    if (config === undefined) throw new ProviderError(`unknown model provider: ${id} (configure it under [model_providers.${id}] in config.toml)`, 'badRequest', { retryable: false });
    return config;
  };
  const provider = async (id: string): Promise<ModelProvider> => {
    const config = configOf(id);
    const env = options.env();
    // A new key (signed in, or changed in the environment) makes a new provider; only a digest of
    // it is kept here.
    const key = `${JSON.stringify(config)}#${keyDigest(config.apiKeyEnv === null ? undefined : env[config.apiKeyEnv])}`;
    const cached = made.get(id);
    if (cached?.key === key) return cached.provider;
    let created: ModelProvider;
    if (config.wire === 'scripted') {
      const script: Script | null = options.scriptPath ? loadScript(options.scriptPath) : null;
      created = createScriptedProvider(script);
    } else created = createProvider(config, env);
    made.set(id, { key, provider: created });
    listings.delete(id);
    return created;
  };
  const modelListing = async (id: string, signal: AbortSignal): Promise<ModelListing> => {
    const cached = listings.get(id);
    if (cached) return { models: orCatalog(id, cached), failure: null };
    let models: ModelInfo[];
    try {
      const instance = await provider(id);
      models = instance.listModels ? await instance.listModels(signal) : builtInModels(id);
    } catch (error) {
      // A provider that cannot list (offline, no key, a script that does not load) still has
      // the catalog's models; why it could not is kept for model/list to say.
      return { models: builtInModels(id), failure: listingFailure(error, signal) };
    }
    listings.set(id, models);
    return { models: orCatalog(id, models), failure: null };
  };
  const known = (providerId: string): ModelInfo[] | undefined => listings.get(providerId) ?? (providerId === 'scripted' ? [SCRIPTED_MODEL_INFO] : undefined);
  return {
    configs,
    provider,
    async models(id, signal) {
      return (await modelListing(id, signal)).models;
    },
    modelListing,
    contextWindow(providerId, model) {
      // The catalog knows a model wherever it is served: gpt-5 on a custom endpoint has gpt-5's window.
      return known(providerId)?.find((m) => m.id === model)?.contextWindow ?? knownModel(providerId, model)?.contextWindow ?? null;
    },
    servedModels(providerId) {
      if (!configs().some((c) => c.id === providerId)) return undefined;
      if (providerId === 'scripted') return [SCRIPTED_MODEL];
      const listing = listings.get(providerId);
      return listing === undefined || listing.length === 0 ? null : listing.map((m) => m.id);
    },
    unservedModel(providerId, model) {
      if (providerId === 'scripted') {
        return model === SCRIPTED_MODEL ? null : `the scripted provider serves only the model "${SCRIPTED_MODEL}", not "${model}"`;
      }
      // Only a listing fetched from the provider itself is authoritative about what it serves.
      const listing = listings.get(providerId);
      if (listing === undefined || listing.length === 0 || listing.some((m) => m.id === model)) return null;
      return `model provider ${providerId} does not serve the model "${model}" (its model list has ${listing.length} models)`;
    },
  };
}
