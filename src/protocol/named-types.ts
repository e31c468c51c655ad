// Shared shapes that get their own name in schema/ and generated/ (beside the per-message
// Params/Response/Notification types the method table names), so messages refer to one
// definition instead of repeating it.
import type { z } from 'zod';
import { RateLimitSnapshot, RateLimitWindow } from './schemas/account.js';
import { JsonValue } from './schemas/common.js';
import { ServerDiagnosticsGauge, ServerDiagnosticsProcess } from './schemas/diagnostics.js';
import { ClientInfo, InitializeCapabilities } from './schemas/initialize.js';
import { ConfigValue } from './schemas/limits.js';
import { Model } from './schemas/model-methods.js';
import * as M from './schemas/thread-model.js';

export const namedTypes: Record<string, z.ZodType> = {
  JsonValue,
  ConfigValue,
  ClientInfo,
  InitializeCapabilities,
  ServerDiagnosticsGauge,
  ServerDiagnosticsProcess,
  Thread: M.Thread,
  Turn: M.Turn,
  TurnStatus: M.TurnStatus,
  TurnError: M.TurnError,
  CodexErrorInfo: M.CodexErrorInfo,
  ThreadStatus: M.ThreadStatus,
  ThreadItem: M.ThreadItem,
  ThreadItemEntry: M.ThreadItemEntry,
  UserInput: M.UserInput,
  AskForApproval: M.AskForApproval,
  SandboxMode: M.SandboxMode,
  SandboxPolicy: M.SandboxPolicy,
  ReasoningEffort: M.ReasoningEffort,
  ThreadTokenUsage: M.ThreadTokenUsage,
  TokenUsageBreakdown: M.TokenUsageBreakdown,
  GitInfo: M.GitInfo,
  Model,
  RateLimitSnapshot,
  RateLimitWindow,
};
