// Reads a client makes while it sets itself up: named permission profiles, managed requirements,
// the Windows sandbox, other agents' configs to import, and thread
// sections. Keel has none of these things; each answer says so in Codex's shape.
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
export const ExternalAgentConfigDetectResponse = z.object({
  items: alwaysEmpty("Keel does not import other agents' configs."),
  connectors: alwaysEmpty("Keel does not import other agents' sessions."),
});

export const ExternalAgentConfigImportHistoriesReadParams = emptyObject();
export const ExternalAgentConfigImportHistoriesReadResponse = z.object({
  data: alwaysEmpty('Keel has never imported anything.'),
  connectors: alwaysEmpty('Keel has never imported anything.'),
});

export const ThreadSectionListParams = z.object(cursorAndLimit);
export const ThreadSectionListResponse = z.object({ data: alwaysEmpty('Keel has no thread sections.'), nextCursor: z.null() });
