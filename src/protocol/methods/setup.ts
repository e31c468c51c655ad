// Reads a client makes while it sets itself up (most of these things Keel has not, and says so), and
// the import of other agents' setups.
import { clientRequest, serverNotification } from '../method-spec.js';
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
    summary: "What of Claude Code's and Codex's setup Keel can import (instructions, settings, MCP servers, skills), for the user (`includeHome`) and for the repositories of `cwds`; no sessions.",
    params: S.ExternalAgentConfigDetectParams,
    result: S.ExternalAgentConfigDetectResponse,
    codexResult: 'v2/ExternalAgentConfigDetectResponse',
  }),
  'externalAgentConfig/import': clientRequest({
    typeName: 'ExternalAgentConfigImport',
    stability: 'stable',
    summary: 'Imports detected items (found again, not taken from the request): done before the answer, then `externalAgentConfig/import/completed` with each step\'s outcome.',
    params: S.ExternalAgentConfigImportParams,
    result: S.ExternalAgentConfigImportResponse,
    codexResult: 'v2/ExternalAgentConfigImportResponse',
  }),
  'externalAgentConfig/import/recordHistory': clientRequest({
    typeName: 'ExternalAgentConfigImportHistoryRecord',
    stability: 'stable',
    summary: 'Records an import a client did itself in the import history.',
    params: S.ExternalAgentConfigImportHistoryRecordParams,
    result: S.ExternalAgentConfigImportHistoryRecordResponse,
    codexResult: 'v2/ExternalAgentConfigImportHistoryRecordResponse',
  }),
  'externalAgentConfig/import/completed': serverNotification({
    typeName: 'ExternalAgentConfigImportCompleted',
    stability: 'stable',
    summary: 'An import finished: its steps\' successes and failures by item type.',
    params: S.ExternalAgentConfigImportCompletedNotification,
  }),
  'externalAgentConfig/import/readHistories': clientRequest({
    typeName: 'ExternalAgentConfigImportHistoriesRead',
    stability: 'stable',
    summary: "Past imports of other agents' setups, Keel's and those clients recorded, newest first.",
    params: S.ExternalAgentConfigImportHistoriesReadParams,
    result: S.ExternalAgentConfigImportHistoriesReadResponse,
    codexResult: 'v2/ExternalAgentConfigImportHistoriesReadResponse',
  }),
} as const;
