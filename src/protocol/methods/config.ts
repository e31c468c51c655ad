// config/* requests: the layered config read, the user's config.toml edited.
import { clientRequest } from '../method-spec.js';
import * as C from '../schemas/config-methods.js';

export const configMethods = {
  'config/read': clientRequest({
    typeName: 'ConfigRead',
    stability: 'stable',
    summary: 'The effective configuration (Keel\'s defaults, `$KEEL_HOME/config.toml`, the `-c` flags), with the origin of each value and, on request, the layers.',
    params: C.ConfigReadParams,
    result: C.ConfigReadResponse,
    codexResult: 'v2/ConfigReadResponse',
  }),
  'config/value/write': clientRequest({
    typeName: 'ConfigValueWrite',
    stability: 'stable',
    summary: 'Sets (or with `null` removes) one dotted key of config.toml; atomic, guarded by `expectedVersion`.',
    params: C.ConfigValueWriteParams,
    result: C.ConfigValueWriteResponse,
    codexResult: 'v2/ConfigWriteResponse',
  }),
  'config/batchWrite': clientRequest({
    typeName: 'ConfigBatchWrite',
    stability: 'stable',
    summary: 'Applies several edits to config.toml in order, all or none; atomic, guarded by `expectedVersion`.',
    params: C.ConfigBatchWriteParams,
    result: C.ConfigBatchWriteResponse,
    codexResult: 'v2/ConfigWriteResponse',
  }),
} as const;
