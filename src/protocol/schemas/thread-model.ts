// The thread data model: threads, turns, statuses, errors, token usage and the policy enums that
// thread/turn requests carry (Codex v2). Items and user input live in thread-items.ts and are
// re-exported here so callers have one import.
//
// Nullability on the types Keel sends follows the real server's wire (see thread-items.ts).
import * as z from 'zod';
import { AbsolutePath, UInt } from './common.js';
import { ReasoningEffort, ThreadItem } from './thread-items.js';

export * from './thread-items.js';

// `on-failure` (run sandboxed, ask to retry without the sandbox when it refuses) is the policy
// earlier Codex versions had; Keel keeps it.
export const AskForApproval = z.union([
  z.enum(['untrusted', 'on-failure', 'on-request', 'never']),
  z.object({
    granular: z.object({
      sandbox_approval: z.boolean(),
      rules: z.boolean(),
      mcp_elicitations: z.boolean(),
      request_permissions: z.boolean().optional(),
      skill_approval: z.boolean().optional(),
    }),
  }),
]);

export const ApprovalsReviewer = z.enum(['user', 'auto_review', 'guardian_subagent']);

export const SandboxMode = z.enum(['read-only', 'workspace-write', 'danger-full-access']);

export const NetworkAccess = z.enum(['restricted', 'enabled']);

// Codex fills the defaults when a field is absent; Keel's responses always send them.
export const SandboxPolicy = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dangerFullAccess') }),
  z.object({ type: z.literal('readOnly'), networkAccess: z.boolean().optional() }),
  z.object({ type: z.literal('externalSandbox'), networkAccess: NetworkAccess.optional() }),
  z.object({
    type: z.literal('workspaceWrite'),
    writableRoots: z.array(AbsolutePath).optional(),
    networkAccess: z.boolean().optional(),
    excludeTmpdirEnvVar: z.boolean().optional(),
    excludeSlashTmp: z.boolean().optional(),
  }),
]);

export const ReasoningSummary = z.enum(['auto', 'concise', 'detailed', 'none']);
export const Personality = z.enum(['none', 'friendly', 'pragmatic']);

export const ThreadSortKey = z.enum(['created_at', 'updated_at', 'recency_at', 'section_position']);
export const SortDirection = z.enum(['asc', 'desc']);
export const TurnItemsView = z.enum(['notLoaded', 'summary', 'full']);
export const ThreadHistoryMode = z.enum(['legacy', 'paginated']);

export const ThreadSourceKind = z.enum([
  'cli',
  'vscode',
  'exec',
  'appServer',
  'subAgent',
  'subAgentReview',
  'subAgentCompact',
  'subAgentThreadSpawn',
  'subAgentOther',
  'unknown',
]);

/** Free-form analytics classification of a thread (Codex leaves it an open string). */
export const ThreadSource = z.string();
export const ThreadStartSource = z.enum(['startup', 'clear']);

export const SubAgentSource = z.union([
  z.enum(['review', 'compact', 'memory_consolidation']),
  z.object({
    thread_spawn: z.object({
      parent_thread_id: z.string(),
      depth: z.number().int(),
      agent_path: z.string().nullish(),
      agent_nickname: z.string().nullish(),
      agent_role: z.string().nullish(),
    }),
  }),
  z.object({ other: z.string() }),
]);

export const SessionSource = z.union([
  z.enum(['cli', 'vscode', 'exec', 'appServer', 'unknown']),
  z.object({ custom: z.string() }),
  z.object({ subAgent: SubAgentSource }),
]);

export const GitInfo = z.object({
  sha: z.string().nullish(),
  branch: z.string().nullish(),
  originUrl: z.string().nullish(),
});

export const ThreadActiveFlag = z.enum(['waitingOnApproval', 'waitingOnUserInput']);

export const ThreadStatus = z.discriminatedUnion('type', [
  z.object({ type: z.literal('notLoaded') }),
  z.object({ type: z.literal('idle') }),
  z.object({ type: z.literal('systemError') }),
  z.object({ type: z.literal('active'), activeFlags: z.array(ThreadActiveFlag) }),
]);

const httpStatus = () => z.object({ httpStatusCode: UInt.nullable() });

// Codex's schema ends with an open `string | object` arm for forward compatibility; Keel only
// sends the named variants.
export const CodexErrorInfo = z.union([
  z.enum([
    'contextWindowExceeded',
    'sessionBudgetExceeded',
    'usageLimitExceeded',
    'rateLimitExceeded',
    'flexUnavailable',
    'serverOverloaded',
    'modelNotFound',
    'policyCapacityUnavailable',
    'cyberPolicy',
    'misalignmentPolicyViolation',
    'tooManyDenials',
    'internalServerError',
    'unauthorized',
    'badRequest',
    'threadRollbackFailed',
    'sandboxError',
    'other',
    'inferenceHookDenied',
    'bioPolicy',
  ]),
  z.object({ httpConnectionFailed: httpStatus() }),
  z.object({ responseStreamConnectionFailed: httpStatus() }),
  z.object({ responseStreamDisconnected: httpStatus() }),
  z.object({ responseTooManyFailedAttempts: httpStatus() }),
  z.object({ activeTurnNotSteerable: z.object({ turnKind: z.enum(['review', 'compact']) }) }),
]);

export const MisalignmentErrorDetails = z.object({
  errorType: z.string().nullish(),
  detailedExplanation: z.string().nullish(),
  reviewTarget: z.string().nullish(),
  steer: z.object({ message: z.string() }).nullish(),
});

export const TurnError = z.object({
  message: z.string(),
  codexErrorInfo: CodexErrorInfo.nullable(),
  additionalDetails: z.string().nullable(),
  misalignment: MisalignmentErrorDetails.nullish(),
});

export const TurnStatus = z.enum(['completed', 'interrupted', 'failed', 'inProgress']);

/** Unix seconds. */
const UnixSeconds = z.number().int();

export const Turn = z.object({
  id: z.string(),
  items: z.array(ThreadItem),
  itemsView: TurnItemsView,
  status: TurnStatus,
  error: TurnError.nullable(),
  startedAt: UnixSeconds.nullable(),
  completedAt: UnixSeconds.nullable(),
  durationMs: z.number().int().nullable(),
  rootTurnId: z.string().nullish(),
});

// Subagent and analytics fields (parentThreadId, agent*, threadSource, originator) are optional:
// Keel has no subagents and clients read an absent field as null.
export const Thread = z.object({
  id: z.string(),
  sessionId: z.string(),
  forkedFromId: z.string().nullable(),
  parentThreadId: z.string().nullish(),
  preview: z.string(),
  ephemeral: z.boolean(),
  model: z.string().nullable(),
  modelProvider: z.string(),
  reasoningEffort: ReasoningEffort.nullable(),
  createdAt: UnixSeconds,
  updatedAt: UnixSeconds,
  recencyAt: UnixSeconds.nullish(),
  status: ThreadStatus,
  path: z.string().nullable(),
  cwd: AbsolutePath,
  cliVersion: z.string(),
  source: SessionSource,
  threadSource: ThreadSource.nullish(),
  originator: z.string().nullish(),
  agentNickname: z.string().nullish(),
  agentRole: z.string().nullish(),
  gitInfo: GitInfo.nullable(),
  name: z.string().nullable(),
  projectId: z.string().nullable(),
  historyMode: ThreadHistoryMode.optional(),
  turns: z.array(Turn),
});

export const TokenUsageBreakdown = z.object({
  totalTokens: z.number().int(),
  inputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  cacheWriteInputTokens: z.number().int().optional(),
  outputTokens: z.number().int(),
  reasoningOutputTokens: z.number().int(),
});

export const ThreadTokenUsage = z.object({
  total: TokenUsageBreakdown,
  last: TokenUsageBreakdown,
  modelContextWindow: z.number().int().nullable(),
});

/** One item with its turn and timing, as `thread/items/list` pages them. */
export const ThreadItemEntry = z.object({
  turnId: z.string(),
  item: ThreadItem,
  startedAtMs: z.number().int().nullable(),
  completedAtMs: z.number().int().nullable(),
});

export const CollaborationMode = z.object({
  mode: z.enum(['plan', 'default']),
  settings: z.object({
    model: z.string(),
    reasoning_effort: ReasoningEffort.nullish(),
    developer_instructions: z.string().nullish(),
  }),
});

export type Thread = z.infer<typeof Thread>;
export type Turn = z.infer<typeof Turn>;
export type TurnError = z.infer<typeof TurnError>;
export type ThreadStatus = z.infer<typeof ThreadStatus>;
export type CodexErrorInfo = z.infer<typeof CodexErrorInfo>;
export type SandboxPolicy = z.infer<typeof SandboxPolicy>;
export type AskForApproval = z.infer<typeof AskForApproval>;
export type ThreadTokenUsage = z.infer<typeof ThreadTokenUsage>;
