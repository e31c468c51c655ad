// modelProvider/*: Keel's providers as Codex's summaries — the manifest, config.toml's custom
// providers and the offline scripted one — the hosted tools of the default provider, and the two
// writes: the default provider (`model_provider`) and a custom provider's table
// (`[model_providers.<id>]`), both config.toml edits that new threads see (the config is read afresh).
import type { z } from 'zod';
import type { ConfigEdit, ConfigStore } from '../../config/config-store.js';
import type { ProviderSource } from '../../engine/provider-source.js';
import type { SettingsDefaults } from '../../engine/thread-settings.js';
import { DomainError, DomainErrors } from '../../kernel/errors.js';
import { RpcErrors } from '../../protocol/errors.js';
import type { ModelProviderSummary } from '../../protocol/schemas/provider-methods.js';
import type { ParamsOf } from '../../protocol/wire-types.js';
import { builtInProviders } from '../../providers/manifest.js';
import type { ProviderConfig } from '../../providers/types.js';
import type { Handler } from '../dispatch.js';

type Summary = z.output<typeof ModelProviderSummary>;
type GatewayPatch = Extract<ParamsOf<'modelProvider/config/write'>['settings'], { type: 'customGateway' }>;

/** Ids config.toml cannot take over through modelProvider/config/write: the manifest's and the scripted one. */
const BUILT_IN = new Set(['scripted', ...builtInProviders().map((config) => config.id)]);

/** A base URL as shown to clients: null when it carries credentials or a query (which may hold a key). */
export function displayableUrl(baseUrl: string | null): string | null {
  if (baseUrl === null) return null;
  try {
    const url = new URL(baseUrl);
    return url.username || url.password || url.search ? null : baseUrl;
  } catch {
    return null;
  }
}

function summary(config: ProviderConfig, custom: boolean): Summary {
  const settings: Summary['settings'] =
    config.id === 'openai' && !custom
      ? { type: 'openai' }
      : { type: 'customGateway', auth: config.apiKeyEnv === null ? { mode: 'none' } : { mode: 'environmentVariable', envKey: config.apiKeyEnv } };
  // A provider of config.toml's own is edited with modelProvider/config/write; built-in ones are not.
  return { id: config.id, name: config.name, canEdit: custom && !BUILT_IN.has(config.id), baseUrl: displayableUrl(config.baseUrl), settings };
}

export interface ModelProviderServices {
  config: Pick<ConfigStore, 'resolved' | 'write'>;
  providers: Pick<ProviderSource, 'configs'>;
  defaults(): SettingsDefaults;
}

/** An id for a new provider from its name: lower-case letters, digits and `-`, not one taken. */
function newProviderId(name: string, taken: (id: string) => boolean): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'custom';
  let id = base;
  for (let n = 2; taken(id); n++) id = `${base}-${n}`;
  return id;
}

export function modelProviderHandlers(services: ModelProviderServices): {
  'modelProvider/list': Handler<'modelProvider/list'>;
  'modelProvider/capabilities/read': Handler<'modelProvider/capabilities/read'>;
  'modelProvider/default/set': Handler<'modelProvider/default/set'>;
  'modelProvider/config/write': Handler<'modelProvider/config/write'>;
} {
  const customIds = () => new Set(Object.keys(services.config.resolved().modelProviders));
  const list = () => {
    const custom = customIds();
    return {
      data: services.providers.configs().map((config) => summary(config, custom.has(config.id))),
      defaultProviderId: services.defaults().modelProvider,
      // `model_provider` in config.toml, which modelProvider/default/set (or config/value/write) sets.
      canChangeDefault: true,
    };
  };

  /** The `[model_providers.<id>]` a patch edits, or the id a new one gets. */
  const targetOf = (patch: GatewayPatch): { id: string; isNew: boolean } => {
    const custom = customIds();
    if (patch.providerId == null) {
      if (patch.name === undefined || patch.name.trim() === '') throw DomainErrors.invalid('a new provider needs a name', 'settings.name');
      return { id: newProviderId(patch.name, (id) => custom.has(id) || BUILT_IN.has(id)), isNew: true };
    }
    const id = patch.providerId;
    if (BUILT_IN.has(id)) throw DomainErrors.invalid(`built-in provider ${id} cannot be edited; write a provider of your own (omit providerId)`, 'settings.providerId');
    if (!custom.has(id)) throw new DomainError('notFound', `no provider ${id} in config.toml's [model_providers]`);
    return { id, isNew: false };
  };

  return {
    'modelProvider/list': list,
    // Keel gives models no hosted tools: no image generation, no web search, on any provider.
    'modelProvider/capabilities/read': () => ({ imageGeneration: false, webSearch: false }),

    'modelProvider/default/set': ({ providerId }) => {
      if (!services.providers.configs().some((config) => config.id === providerId)) throw RpcErrors.modelProviderNotConfigured(providerId);
      const edits: ConfigEdit[] = [{ keyPath: 'model_provider', value: providerId, mergeStrategy: 'replace' }];
      // A `model` in the file names the old provider's model: the new provider starts on its own default.
      if (services.defaults().modelProvider !== providerId && services.config.resolved().model !== null) edits.push({ keyPath: 'model', value: null, mergeStrategy: 'replace' });
      services.config.write(edits);
      return list();
    },

    'modelProvider/config/write': ({ settings }) => {
      if (settings.type !== 'customGateway') {
        const what = settings.type === 'bedrock' ? 'Amazon Bedrock' : 'Google Cloud (Vertex AI)';
        throw DomainErrors.invalid(`${what} providers are not available in Keel; configure an endpoint with {"type": "customGateway", "name", "baseUrl", "envKey"}`, 'settings.type');
      }
      const { id, isNew } = targetOf(settings);
      if (settings.baseUrl === null || (isNew && settings.baseUrl === undefined)) throw DomainErrors.invalid('a custom provider needs a baseUrl', 'settings.baseUrl');
      const at = (key: string) => `model_providers.${id}.${key}`;
      const edits: ConfigEdit[] = [];
      if (settings.name !== undefined) edits.push({ keyPath: at('name'), value: settings.name, mergeStrategy: 'replace' });
      if (settings.baseUrl !== undefined) edits.push({ keyPath: at('base_url'), value: settings.baseUrl, mergeStrategy: 'replace' });
      if (settings.envKey !== undefined) edits.push({ keyPath: at('env_key'), value: settings.envKey, mergeStrategy: 'replace' });
      services.config.write(edits);
      const written = services.providers.configs().find((config) => config.id === id);
      if (written === undefined) throw new DomainError('unavailable', `provider ${id} was written to config.toml but Keel does not read it back`);
      return { provider: summary(written, true) };
    },
  };
}
