// Shared shapes that get their own name in schema/ and generated/ (beside the per-message
// Params/Response/Notification types the method table names).
import type { z } from 'zod';
import { JsonValue } from './schemas/common.js';
import { ServerDiagnosticsGauge, ServerDiagnosticsProcess } from './schemas/diagnostics.js';
import { ClientInfo, InitializeCapabilities } from './schemas/initialize.js';

export const namedTypes: Record<string, z.ZodType> = {
  JsonValue,
  ClientInfo,
  InitializeCapabilities,
  ServerDiagnosticsGauge,
  ServerDiagnosticsProcess,
};
