// Reads a client makes while it sets itself up: named permission profiles, managed requirements,
// the Windows sandbox, which Keel has none of (each answer says so in Codex's shape), and other
// agents' setups to import (detect, import and its history: src/config/external-agents).
import * as z from 'zod';
import { alwaysEmpty, emptyObject, UInt } from './common.js';

const cursorAndLimit = { cursor: z.string().nullish(), limit: UInt.nullish() };

export const PermissionProfileListParams = z.object({ ...cursorAndLimit, cwd: z.string().nullish() });
export const PermissionProfileListResponse = z.object({
  data: alwaysEmpty('Keel has no named permission profiles; threads take a sandbox mode (`sandbox`, `sandboxPolicy`).'),
  nextCursor: z.null(),
});

export const ConfigRequirementsReadParams = emptyObject();
export const ConfigRequirementsReadResponse = z.object({
  requirements: z.null().describe('Keel reads no managed requirements (requirements.toml, MDM).'),
  supportsIndependentSpeedModes: z.null().describe('Keel has no speed modes to enforce.'),
});

export const WindowsSandboxReadinessParams = emptyObject();
export const WindowsSandboxReadinessResponse = z.object({
  status: z.literal('notConfigured').describe('Keel has no Windows sandbox.'),
});


export const ExternalAgentConfigDetectParams = z.object({
  includeHome: z.boolean().optional(),
  cwds: z.array(z.string()).nullish(),
  maxSessionAgeDays: UInt.nullish(),
  maxSessions: UInt.nullish(),
  source: z.string().nullish(),
  migrationSource: z.string().nullish(),
});
export const ExternalAgentConfigMigrationItemType = z.enum(['AGENTS_MD', 'CONFIG', 'SKILLS', 'PLUGINS', 'MCP_SERVER_CONFIG', 'SUBAGENTS', 'HOOKS', 'COMMANDS', 'MEMORY', 'SESSIONS']);
const Named = z.object({ name: z.string() });
/** What Keel detects lists the MCP servers or skills an item brings in; other kinds of details Keel never offers. */
export const MigrationDetails = z.object({ mcpServers: z.array(Named).optional(), skills: z.array(Named).optional() });
export const ExternalAgentConfigMigrationItem = z.object({
  itemType: ExternalAgentConfigMigrationItemType.describe('Keel offers AGENTS_MD, CONFIG, MCP_SERVER_CONFIG and SKILLS.'),
  description: z.string(),
  cwd: z.string().nullable().describe('null: the user\'s own setup (under $HOME); else the working directory whose repository it was found in.'),
  details: MigrationDetails.nullable(),
});
export const ExternalAgentConfigDetectResponse = z.object({
  items: z.array(ExternalAgentConfigMigrationItem),
  connectors: alwaysEmpty("Keel does not import other agents' sessions or their connectors."),
});

/** An item as a client sends it back (unknown detail kinds are ignored). */
const RequestedMigrationItem = z.object({
  itemType: ExternalAgentConfigMigrationItemType,
  description: z.string(),
  cwd: z.string().nullish(),
  details: z.looseObject({ mcpServers: z.array(Named).optional(), skills: z.array(Named).optional() }).nullish(),
});
export const ExternalAgentConfigImportParams = z.object({
  migrationItems: z.array(RequestedMigrationItem),
  source: z.string().nullish(),
  providerId: z.string().nullish(),
  migrationSource: z.string().nullish(),
});
export const ExternalAgentConfigImportResponse = z.object({ importId: z.string() });

export const ExternalAgentConfigImportItemTypeSuccess = z.object({
  itemType: ExternalAgentConfigMigrationItemType,
  source: z.string().nullable(),
  target: z.string().nullable(),
  cwd: z.string().nullable(),
  title: z.string().nullable(),
});
export const ExternalAgentConfigImportItemTypeFailure = z.object({
  itemType: ExternalAgentConfigMigrationItemType,
  failureStage: z.string().describe('`detect`: the item is not found now; `import`: one of its steps failed.'),
  message: z.string(),
  source: z.string().nullable(),
  cwd: z.string().nullable(),
  errorType: z.string().nullable(),
  subErrorType: z.string().nullable(),
});
export const ExternalAgentConfigImportTypeResult = z.object({
  itemType: ExternalAgentConfigMigrationItemType,
  successes: z.array(ExternalAgentConfigImportItemTypeSuccess),
  failures: z.array(ExternalAgentConfigImportItemTypeFailure),
});
export const ExternalAgentConfigImportCompletedNotification = z.object({ importId: z.string(), itemTypeResults: z.array(ExternalAgentConfigImportTypeResult) });

export const ExternalAgentConfigImportHistoryRecordParams = z.object({
  providerId: z.string(),
  itemTypeResults: z.array(
    z.object({
      itemType: ExternalAgentConfigMigrationItemType,
      successes: z.array(z.object({ itemType: ExternalAgentConfigMigrationItemType, source: z.string().nullish(), target: z.string().nullish(), cwd: z.string().nullish(), title: z.string().nullish() })),
      failures: z.array(
        z.object({
          itemType: ExternalAgentConfigMigrationItemType,
          failureStage: z.string(),
          message: z.string(),
          source: z.string().nullish(),
          cwd: z.string().nullish(),
          errorType: z.string().nullish(),
          subErrorType: z.string().nullish(),
        }),
      ),
    }),
  ),
});
export const ExternalAgentConfigImportHistoryRecordResponse = z.object({ importId: z.string() });

export const ExternalAgentConfigImportHistory = z.object({
  importId: z.string(),
  providerId: z.string().nullable(),
  completedAtMs: z.number().int(),
  successes: z.array(ExternalAgentConfigImportItemTypeSuccess),
  failures: z.array(ExternalAgentConfigImportItemTypeFailure),
});
export const ExternalAgentConfigImportHistoriesReadParams = emptyObject();
export const ExternalAgentConfigImportHistoriesReadResponse = z.object({
  data: z.array(ExternalAgentConfigImportHistory).describe('Newest first, from $KEEL_HOME/external-agent-imports.jsonl.'),
  connectors: alwaysEmpty("Keel does not import other agents' connectors."),
});
