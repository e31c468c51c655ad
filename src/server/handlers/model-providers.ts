// modelProvider/*: Keel's providers as Codex's summaries — the manifest, config.toml's custom
// providers and the offline scripted one — and the hosted tools of the default provider.
import type { z } from 'zod';
import type { ConfigStore } from '../../config/config-store.js';
import type { ProviderSource } from '../../engine/provider-source.js';
import type { SettingsDefaults } from '../../engine/thread-settings.js';
import type { ModelProviderSummary } from '../../protocol/schemas/provider-methods.js';
import type { ProviderConfig } from '../../providers/types.js';
import type { Handler } from '../dispatch.js';

type Summary = z.output<typeof ModelProviderSummary>;

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
  // Codex edits a provider through modelProvider/config/write, which Keel does not serve.
  return { id: config.id, name: config.name, canEdit: false, baseUrl: displayableUrl(config.baseUrl), settings };
}

export interface ModelProviderServices {
  config: Pick<ConfigStore, 'resolved'>;
  providers: Pick<ProviderSource, 'configs'>;
  defaults(): SettingsDefaults;
}

export function modelProviderHandlers(services: ModelProviderServices): {
  'modelProvider/list': Handler<'modelProvider/list'>;
  'modelProvider/capabilities/read': Handler<'modelProvider/capabilities/read'>;
} {
  return {
    'modelProvider/list': () => {
      const custom = new Set(Object.keys(services.config.resolved().modelProviders));
      return {
        data: services.providers.configs().map((config) => summary(config, custom.has(config.id))),
        defaultProviderId: services.defaults().modelProvider,
        // `model_provider` in config.toml, which config/value/write can set.
        canChangeDefault: true,
      };
    },
    // Keel gives models no hosted tools: no image generation, no web search, on any provider.
    'modelProvider/capabilities/read': () => ({ imageGeneration: false, webSearch: false }),
  };
}
