// modelProvider/*: Keel's provider manifest and config.toml's providers, read and written.
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
  'modelProvider/default/set': clientRequest({
    typeName: 'ModelProviderDefaultSet',
    stability: 'stable',
    summary: 'Sets the default provider (`model_provider` in config.toml) for new threads; answers the provider list as modelProvider/list does.',
    params: P.ModelProviderDefaultSetParams,
    result: P.ModelProviderDefaultSetResponse,
    codexResult: 'v2/ModelProviderListResponse',
  }),
  'modelProvider/config/write': clientRequest({
    typeName: 'ModelProviderConfigWrite',
    stability: 'stable',
    summary: 'Creates or edits a custom provider (`[model_providers.<id>]` in config.toml: name, base URL, key variable) for new threads.',
    params: P.ModelProviderConfigWriteParams,
    result: P.ModelProviderConfigWriteResponse,
    codexResult: 'v2/ModelProviderConfigWriteResponse',
  }),
} as const;
