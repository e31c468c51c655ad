// modelProvider/* reads (Codex v2): the providers Keel knows (its manifest and config.toml's
// `[model_providers.*]`) and what the default one can do beyond text and tools.
import * as z from 'zod';
import { emptyObject } from './common.js';

export const ModelProviderListParams = emptyObject();

/** How a provider finds its key: Keel reads keys from environment variables (or none at all). */
export const GatewayAuth = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }),
  z.object({ mode: z.literal('environmentVariable'), envKey: z.string() }),
]);

export const ProviderSettings = z.discriminatedUnion('type', [
  z.object({ type: z.literal('openai') }),
  z.object({ type: z.literal('customGateway'), auth: GatewayAuth }),
]);

export const ModelProviderSummary = z.object({
  id: z.string(),
  name: z.string(),
  canEdit: z.boolean(),
  baseUrl: z.string().nullable(),
  settings: ProviderSettings,
});

export const ModelProviderListResponse = z.object({
  data: z.array(ModelProviderSummary),
  defaultProviderId: z.string(),
  canChangeDefault: z.boolean(),
});

export const ModelProviderCapabilitiesReadParams = emptyObject();
export const ModelProviderCapabilitiesReadResponse = z.object({ imageGeneration: z.boolean(), webSearch: z.boolean() });
