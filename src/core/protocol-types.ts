// The protocol shapes core builds; core depends on protocol types only, never on I/O.
import type { z } from 'zod';
import type * as M from '../protocol/schemas/thread-model.js';

export type Thread = z.output<typeof M.Thread>;
export type Turn = z.output<typeof M.Turn>;
export type TurnStatus = z.output<typeof M.TurnStatus>;
export type TurnError = z.output<typeof M.TurnError>;
export type ThreadItem = z.output<typeof M.ThreadItem>;
export type ThreadStatus = z.output<typeof M.ThreadStatus>;
export type ThreadTokenUsage = z.output<typeof M.ThreadTokenUsage>;
export type AskForApproval = z.output<typeof M.AskForApproval>;
export type SandboxPolicy = z.output<typeof M.SandboxPolicy>;
export type SandboxMode = z.output<typeof M.SandboxMode>;
export type ReasoningEffort = z.output<typeof M.ReasoningEffort>;
export type UserInput = z.output<typeof M.UserInput>;
export type DynamicToolSpec = z.output<typeof import('../protocol/schemas/thread-methods.js').DynamicToolSpec>;
export type { JsonValue } from '../protocol/schemas/common.js';
