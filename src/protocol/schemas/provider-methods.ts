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

export const ModelProviderDefaultSetParams = z.object({
  providerId: z.string().describe('A provider of modelProvider/list: `model_provider` in config.toml, for new threads and unscoped model lists.'),
});

/** Codex's customGateway patch: the one kind of provider Keel configures (an endpoint, its key's variable). */
const CustomGatewayPatch = z.object({
  type: z.literal('customGateway'),
  providerId: z.string().nullish().describe('The `[model_providers.<id>]` to edit; omitted or null: a new one, its id made from `name`.'),
  name: z.string().optional(),
  baseUrl: z.string().nullish().describe('null clears it.'),
  envKey: z.string().nullish().describe('The environment variable (or stored key, account/login/start) holding its API key; null: none.'),
});

export const ModelProviderConfigWriteParams = z.object({
  settings: z.discriminatedUnion('type', [
    CustomGatewayPatch,
    z.looseObject({ type: z.literal('bedrock') }).describe('Refused: Keel has no Bedrock provider.'),
    z.looseObject({ type: z.literal('gcp') }).describe('Refused: Keel has no Vertex AI provider.'),
  ]),
});

export const ModelProviderConfigWriteResponse = z.object({ provider: ModelProviderSummary });

export const ModelProviderDefaultSetResponse = ModelProviderListResponse.describe(
  "The providers after the change, as modelProvider/list answers them (Codex 0.171.0's schema names no response type of its own).",
);
