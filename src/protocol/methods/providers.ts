// modelProvider/* reads: Keel's provider manifest and config.toml's providers.
import { clientRequest } from '../method-spec.js';
import * as P from '../schemas/provider-methods.js';

export const providerMethods = {
  'modelProvider/list': clientRequest({
    typeName: 'ModelProviderList',
    stability: 'stable',
    summary: "Every provider Keel knows (built in and from config.toml), how each finds its key, and the default one.",
    params: P.ModelProviderListParams,
    result: P.ModelProviderListResponse,
    codexResult: 'v2/ModelProviderListResponse',
  }),
  'modelProvider/capabilities/read': clientRequest({
    typeName: 'ModelProviderCapabilitiesRead',
    stability: 'stable',
    summary: 'Hosted tools of the default provider Keel can use: neither image generation nor web search.',
    params: P.ModelProviderCapabilitiesReadParams,
    result: P.ModelProviderCapabilitiesReadResponse,
    codexResult: 'v2/ModelProviderCapabilitiesReadResponse',
  }),
} as const;
