// thread/* requests and the thread, turn and item notifications (Codex v2).
//
// Params carry every stable field Codex defines, so a value Codex would reject is rejected here
// too; which of them Keel honours is the handlers' business. Unknown fields are stripped.
import * as z from 'zod';
import { AbsolutePath, emptyObject, JsonValue, UInt } from './common.js';
import { boundedKeys, boundedString, ConfigValue, limits } from './limits.js';
import {
  ApprovalsReviewer,
  AskForApproval,
  CollaborationMode,
  Personality,
  ReasoningEffort,
  SandboxMode,
  SandboxPolicy,
  SortDirection,
  Thread,
  ThreadItem,
  ThreadItemEntry,
  ThreadSortKey,
  ThreadSource,
  ThreadSourceKind,
  ThreadStartSource,
  ThreadStatus,
  ThreadTokenUsage,
  Turn,
  TurnError,
  TurnItemsView,
} from './thread-model.js';

const maxBytes = () =>
  z
    .number()
    .int()
    .positive()
    .nullish()
    .describe('Keel extension: byte budget for one page of results (the page ends early, with a cursor).');

/** Settings a thread keeps (in its log): each bounded, see limits.ts. */
const threadConfigFields = {
  model: boundedString(limits.identifier).nullish(),
  modelProvider: boundedString(limits.identifier).nullish(),
  serviceTier: boundedString(limits.identifier).nullish(),
  cwd: boundedString(limits.path).nullish(),
  approvalPolicy: AskForApproval.nullish(),
  approvalsReviewer: ApprovalsReviewer.nullish(),
  sandbox: SandboxMode.nullish(),
  config: boundedKeys(ConfigValue).nullish(),
  baseInstructions: boundedString(limits.instructions).nullish(),
  developerInstructions: boundedString(limits.instructions).nullish(),
};

const DynamicToolFunction = z.object({
  type: z.literal('function'),
  name: z.string(),
  description: z.string(),
  inputSchema: JsonValue,
  deferLoading: z.boolean().optional(),
});

/** Experimental: a client-provided tool the model may call (`item/tool/call` round-trips it). */
export const DynamicToolSpec = z.discriminatedUnion('type', [
  DynamicToolFunction,
  z.object({
    type: z.literal('namespace'),
    name: z.string(),
    description: z.string(),
    tools: z.array(DynamicToolFunction),
  }),
]);

export const ThreadStartParams = z.object({
  ...threadConfigFields,
  serviceName: boundedString(limits.identifier).nullish(),
  personality: Personality.nullish(),
  ephemeral: z.boolean().nullish(),
  sessionStartSource: ThreadStartSource.nullish(),
  threadSource: ThreadSource.nullish(),
  dynamicTools: z.array(DynamicToolSpec).nullish(),
});

export const ThreadResumeParams = z.object({
  threadId: z.string(),
  ...threadConfigFields,
  personality: Personality.nullish(),
  excludeTurns: z.boolean().optional(),
  afterSeq: z
    .number()
    .int()
    .nonnegative()
    .nullish()
    .describe(
      'Keel extension: resume from the last event this client saw. The notifications of every event after this `seq` follow the answer (from the event log, in order), then live ones, with no gap and no duplicate.',
    ),
});

export const ThreadForkParams = z.object({
  threadId: z.string(),
  lastTurnId: z.string().nullish(),
  beforeTurnId: z.string().nullish().describe('Fork before this turn, leaving it and every later turn out (edit or retry it in the fork); not with `lastTurnId`.'),
  ...threadConfigFields,
  ephemeral: z.boolean().optional(),
  threadSource: ThreadSource.nullish(),
  excludeTurns: z.boolean().optional(),
});

/** What a thread's model calls cost at list prices (Keel extension). */
export const ThreadCost = z.object({
  usd: z.number().nullable().describe("The thread's own model calls, in USD at list prices; null when a price is not known (never 0 for unknown)."),
  turns: z.array(z.object({ turnId: z.string(), usd: z.number().nullable() })).describe("Each turn's model calls, in turn order; null when a price is not known."),
});

const threadSessionFields = {
  thread: Thread,
  model: z.string(),
  modelProvider: z.string(),
  serviceTier: z.string().nullable(),
  disabledPluginIds: z.array(z.string()),
  cwd: AbsolutePath,
  instructionSources: z.array(z.string()),
  approvalPolicy: AskForApproval,
  approvalsReviewer: ApprovalsReviewer,
  sandbox: SandboxPolicy,
  reasoningEffort: ReasoningEffort.nullable(),
};

export const ThreadStartResponse = z.object(threadSessionFields);
export const ThreadResumeResponse = z.object({
  ...threadSessionFields,
  collaborationMode: CollaborationMode.nullable(),
  turnsBackwardsCursor: z.string().nullable(),
  itemsBackwardsCursor: z.string().nullable(),
  cost: ThreadCost.optional().describe("Keel extension: what the thread's and each turn's model calls cost at list prices, as thread/read's `cost`."),
});
export const ThreadForkResponse = z.object(threadSessionFields);

export const ThreadListParams = z.object({
  cursor: z.string().nullish(),
  limit: UInt.nullish(),
  sortKey: ThreadSortKey.nullish(),
  sortDirection: SortDirection.nullish(),
  archived: z.boolean().nullish(),
  cwd: z.union([z.string(), z.array(z.string())]).nullish(),
  searchTerm: boundedString(limits.searchTerm).nullish(),
  modelProviders: z.array(z.string()).nullish(),
  sourceKinds: z.array(ThreadSourceKind).nullish(),
  originators: z.array(z.string()).nullish(),
  excludedThreadIds: z.array(z.string()).max(100).nullish().describe('Not these threads (at most 100), before the page is cut.'),
  includedThreadIds: z.array(z.string()).max(100).nullish().describe('Only these threads (at most 100; an empty list matches nothing); exclusions still apply.'),
  sectionId: z.string().nullish(),
  currentAccountOnly: z.boolean().optional(),
  useStateDbOnly: z.boolean().optional(),
  parentThreadId: z.string().nullish(),
  ancestorThreadId: z.string().nullish(),
  attachedToThreadId: z.string().nullish(),
  includeAttachedThreads: z.boolean().optional(),
  projectId: z.string().nullish(),
  maxBytes: maxBytes(),
});
export const ThreadListResponse = z.object({
  data: z.array(Thread),
  nextCursor: z.string().nullable(),
  backwardsCursor: z.string().nullable(),
});

export const ThreadLoadedListParams = z.object({ cursor: z.string().nullish(), limit: UInt.nullish() });
export const ThreadLoadedListResponse = z.object({ data: z.array(z.string()), nextCursor: z.string().nullable() });

export const ThreadReadParams = z.object({
  threadId: z.string(),
  includeTurns: z.boolean().optional(),
  maxBytes: maxBytes(),
  includeApprovals: z.boolean().nullish().describe('Keel extension: also answer with `approvals`, the thread\'s audit trail of what was asked and who decided.'),
});

/** One question Keel put to a client (or a remembered decision it applied): who allowed what. */
export const ApprovalRecord = z.object({
  turnId: z.string(),
  itemId: z.string(),
  kind: z.enum(['commandApproval', 'fileChangeApproval', 'mcpToolApproval', 'userInput']),
  subject: z.string().nullable().describe('The command as the model wrote it, the files (one per line), or the questions.'),
  reason: z.string().nullable(),
  requestedAtMs: z.number().int().nullable().describe('Null when nobody was asked (a remembered decision).'),
  decision: z.string().nullable().describe('As the client answered (`accept`, `acceptForSession`, `acceptWithExecpolicyAmendment: <prefix>`, `decline`, `cancel`), or what an unanswered request became; null while pending.'),
  decidedBy: z.enum(['client', 'timeout', 'turnEnded', 'noClient', 'session', 'rule']).nullable(),
  resolvedAtMs: z.number().int().nullable(),
});

export const ThreadReadResponse = z.object({
  thread: Thread,
  cost: ThreadCost.optional().describe("Keel extension: what the thread's and each turn's model calls cost at the model catalog's list prices, each call priced at its own model's."),
  approvals: z.array(ApprovalRecord).optional().describe('Keel extension, only with `includeApprovals`: every approval and question of the thread, oldest first.'),
  turnsBackwardsCursor: z
    .string()
    .nullish()
    .describe('Keel extension: with includeTurns, set when older turns did not fit the byte budget; page them with thread/turns/list.'),
});

export const ThreadTurnsListParams = z.object({
  threadId: z.string(),
  cursor: z.string().nullish(),
  limit: UInt.nullish(),
  sortDirection: SortDirection.nullish(),
  itemsView: TurnItemsView.nullish(),
  maxBytes: maxBytes(),
});
export const ThreadTurnsListResponse = z.object({
  data: z.array(Turn),
  nextCursor: z.string().nullable(),
  backwardsCursor: z.string().nullable(),
});

/** An opaque cursor string, or an anchor at a known item. */
export const ThreadItemsListCursor = z.union([
  z.string(),
  z.object({ type: z.literal('item'), itemId: z.string() }),
]);

export const ThreadItemsListParams = z.object({
  threadId: z.string(),
  turnId: z.string().nullish(),
  cursor: ThreadItemsListCursor.nullish(),
  limit: UInt.nullish(),
  sortDirection: SortDirection.nullish(),
  deferOutput: emptyObject().nullish(),
  maxBytes: maxBytes(),
});
export const ThreadItemsListResponse = z.object({
  data: z.array(ThreadItemEntry),
  nextCursor: z.string().nullable(),
  backwardsCursor: z.string().nullable(),
});

export const ThreadArchiveParams = z.object({ threadId: z.string() });
export const ThreadArchiveResponse = emptyObject();
export const ThreadUnarchiveParams = z.object({ threadId: z.string() });
export const ThreadUnarchiveResponse = z.object({ thread: Thread });
export const ThreadDeleteParams = z.object({ threadId: z.string() });
export const ThreadDeleteResponse = emptyObject();

export const ThreadUnsubscribeStatus = z.enum(['notLoaded', 'notSubscribed', 'unsubscribed']);
export const ThreadUnsubscribeParams = z.object({ threadId: z.string() });
export const ThreadUnsubscribeResponse = z.object({ status: ThreadUnsubscribeStatus });

export const ThreadSetNameParams = z.object({ threadId: z.string(), name: boundedString(limits.threadName) });
export const ThreadSetNameResponse = emptyObject();

export const ThreadCompactStartParams = z.object({ threadId: z.string() });
export const ThreadCompactStartResponse = emptyObject();

export const ThreadRevertParams = z.object({
  threadId: z.string(),
  beforeTurnId: z.string(),
  restoreFiles: z
    .boolean()
    .optional()
    .describe(
      "Keel extension: also put back the files the dropped turns' tools changed, each only if it is still as they left it; the answer lists every file in `files`.",
    ),
});
const RestoredFile = z.object({
  path: z.string(),
  status: z.enum(['restored', 'skipped', 'missing']),
  reason: z.string().optional(),
});
export const ThreadRevertResponse = z.object({
  thread: Thread,
  turnsBackwardsCursor: z.string().nullable(),
  itemsBackwardsCursor: z.string().nullable(),
  files: z
    .array(RestoredFile)
    .optional()
    .describe(
      'Keel extension, only with `restoreFiles`: one entry per changed file (its path before the dropped turns), sorted by path. `skipped`: it changed since, left as it is; `missing`: it is gone, nothing written.',
    ),
});

export const ThreadStartedNotification = z.object({ thread: Thread });
export const ThreadStatusChangedNotification = z.object({ threadId: z.string(), status: ThreadStatus });
export const ThreadArchivedNotification = z.object({ threadId: z.string() });
export const ThreadUnarchivedNotification = z.object({ threadId: z.string() });
export const ThreadDeletedNotification = z.object({ threadId: z.string() });
export const ThreadRevertedNotification = z.object({
  threadId: z.string(),
  beforeTurnId: z.string().describe('Keel extension: the first turn dropped; it and every later turn are gone.'),
});
export const PlanDeltaNotification = z.object({ threadId: z.string(), turnId: z.string(), itemId: z.string(), delta: z.string() });
export const ThreadInjectItemsParams = z.object({
  threadId: z.string(),
  items: z.array(JsonValue).describe('Responses API items to append to the history the model sees; Keel takes messages (role user, assistant, developer or system; content a string or input_text/output_text parts).'),
});
export const ThreadInjectItemsResponse = emptyObject();

/** What a thread runs with, as `thread/settings/updated` carries it (Codex's v2 ThreadSettings). */
export const ThreadSettingsWire = z.object({
  cwd: AbsolutePath,
  model: z.string(),
  modelProvider: z.string(),
  serviceTier: z.string().nullish(),
  approvalPolicy: AskForApproval,
  approvalsReviewer: ApprovalsReviewer,
  sandboxPolicy: SandboxPolicy,
  effort: ReasoningEffort.nullish(),
  collaborationMode: CollaborationMode,
});
export const ThreadSettingsUpdatedNotification = z.object({ threadId: z.string(), threadSettings: ThreadSettingsWire });

export const ThreadNameUpdatedNotification = z.object({ threadId: z.string(), threadName: z.string().nullable() });

export const TurnStartedNotification = z.object({ threadId: z.string(), turn: Turn });
export const TurnCompletedNotification = z.object({ threadId: z.string(), turn: Turn });

export const ItemStartedNotification = z.object({
  threadId: z.string(),
  turnId: z.string(),
  item: ThreadItem,
  startedAtMs: z.number().int(),
});
export const ItemCompletedNotification = z.object({
  threadId: z.string(),
  turnId: z.string(),
  item: ThreadItem,
  completedAtMs: z.number().int(),
  contentTokenCount: UInt.nullish(),
});

const itemKey = { threadId: z.string(), turnId: z.string(), itemId: z.string() };

export const AgentMessageDeltaNotification = z.object({ ...itemKey, delta: z.string() });
export const ReasoningSummaryTextDeltaNotification = z.object({
  ...itemKey,
  summaryIndex: z.number().int(),
  delta: z.string(),
});
export const ReasoningSummaryPartAddedNotification = z.object({ ...itemKey, summaryIndex: z.number().int() });
export const ReasoningTextDeltaNotification = z.object({
  ...itemKey,
  contentIndex: z.number().int(),
  delta: z.string(),
});
export const CommandExecutionOutputDeltaNotification = z.object({ ...itemKey, delta: z.string() });

export const ThreadTokenUsageUpdatedNotification = z.object({
  threadId: z.string(),
  turnId: z.string(),
  tokenUsage: ThreadTokenUsage,
});

export const ErrorNotification = z.object({
  threadId: z.string(),
  turnId: z.string(),
  error: TurnError,
  willRetry: z.boolean(),
});
