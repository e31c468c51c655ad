import { clientRequest } from '../method-spec.js';
import { ModelListParams, ModelListResponse } from '../schemas/model-methods.js';

export const modelMethods = {
  'model/list': clientRequest({
    typeName: 'ModelList',
    stability: 'stable',
    summary: "Models of the configured providers (their own listing when they have one, else Keel's catalog), with context windows and capabilities.",
    params: ModelListParams,
    result: ModelListResponse,
    codexResult: 'v2/ModelListResponse',
  }),
} as const;
