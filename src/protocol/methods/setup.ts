// Reads a client makes while it sets itself up; Keel has none of these things and says so.
import { clientRequest } from '../method-spec.js';
import * as S from '../schemas/setup-methods.js';

export const setupMethods = {
  'permissionProfile/list': clientRequest({
    typeName: 'PermissionProfileList',
    stability: 'stable',
    summary: 'Named permission profiles: none (Keel takes sandbox modes instead).',
    params: S.PermissionProfileListParams,
    result: S.PermissionProfileListResponse,
    codexResult: 'v2/PermissionProfileListResponse',
  }),
  'configRequirements/read': clientRequest({
    typeName: 'ConfigRequirementsRead',
    stability: 'stable',
    summary: 'Managed config requirements: none (Keel reads no requirements.toml or MDM).',
    params: S.ConfigRequirementsReadParams,
    result: S.ConfigRequirementsReadResponse,
    codexResult: 'v2/ConfigRequirementsReadResponse',
  }),
  'windowsSandbox/readiness': clientRequest({
    typeName: 'WindowsSandboxReadiness',
    stability: 'stable',
    summary: 'Windows sandbox readiness: `notConfigured` (Keel has no Windows sandbox).',
    params: S.WindowsSandboxReadinessParams,
    result: S.WindowsSandboxReadinessResponse,
    codexResult: 'v2/WindowsSandboxReadinessResponse',
  }),
  'externalAgentConfig/detect': clientRequest({
    typeName: 'ExternalAgentConfigDetect',
    stability: 'stable',
    summary: "Other agents' configs and sessions to import: none (Keel has no importer).",
    params: S.ExternalAgentConfigDetectParams,
    result: S.ExternalAgentConfigDetectResponse,
    codexResult: 'v2/ExternalAgentConfigDetectResponse',
  }),
  'externalAgentConfig/import/readHistories': clientRequest({
    typeName: 'ExternalAgentConfigImportHistoriesRead',
    stability: 'stable',
    summary: 'Past imports of other agents\' configs: none.',
    params: S.ExternalAgentConfigImportHistoriesReadParams,
    result: S.ExternalAgentConfigImportHistoriesReadResponse,
    codexResult: 'v2/ExternalAgentConfigImportHistoriesReadResponse',
  }),
  'threadSection/list': clientRequest({
    typeName: 'ThreadSectionList',
    stability: 'stable',
    summary: 'Thread sections (user-named groups of threads): none.',
    params: S.ThreadSectionListParams,
    result: S.ThreadSectionListResponse,
    codexResult: 'v2/ThreadSectionListResponse',
  }),
} as const;
