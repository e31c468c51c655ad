// What Keel asks the client during a turn (server → client requests) and the answers it takes:
// approvals for commands and file changes, client-side (dynamic) tool calls, and questions to the
// user. Shapes are Codex's (v2); answers are parsed liberally (unknown fields ignored).
import * as z from 'zod';
import { JsonValue, RequestId } from './common.js';
import { CommandAction, DynamicToolCallOutputContentItem } from './thread-items.js';

const itemKey = { threadId: z.string(), turnId: z.string(), itemId: z.string() };

export const CommandExecutionApprovalKind = z.enum(['command', 'writeStdin', 'humanCommand']);

export const CommandExecutionApprovalDecision = z.union([
  z.enum(['accept', 'acceptForSession', 'decline', 'cancel']),
  z.object({ acceptWithExecpolicyAmendment: z.object({ execpolicy_amendment: z.array(z.string()) }) }),
  z.object({ applyNetworkPolicyAmendment: z.object({ network_policy_amendment: z.object({ host: z.string(), action: z.string() }) }) }),
]);

export const CommandExecutionRequestApprovalParams = z.object({
  ...itemKey,
  kind: CommandExecutionApprovalKind,
  startedAtMs: z.number().int(),
  approvalId: z.string().nullish(),
  environmentId: z.string().nullable(),
  reason: z.string().nullish().describe('Why the command needs approval: the model\'s justification for an escalated run, or the sandbox failure a retry would get around.'),
  command: z.string().nullish(),
  cwd: z.string().nullish(),
  commandActions: z.array(CommandAction).nullish(),
  proposedExecpolicyAmendment: z.array(z.string()).nullish().describe('A command prefix the client may allow from now on (`acceptWithExecpolicyAmendment`).'),
  availableDecisions: z.array(CommandExecutionApprovalDecision).nullish().describe('Ordered list of decisions the client may present for this prompt; an answer outside it is refused (the command is not run).'),
});

export const CommandExecutionRequestApprovalResponse = z.object({ decision: CommandExecutionApprovalDecision });

export const FileChangeApprovalDecision = z.enum(['accept', 'acceptForSession', 'decline', 'cancel']);

export const FileChangeRequestApprovalParams = z.object({
  ...itemKey,
  startedAtMs: z.number().int(),
  reason: z.string().nullish(),
  grantRoot: z.string().nullish(),
});

export const FileChangeRequestApprovalResponse = z.object({ decision: FileChangeApprovalDecision });

export const DynamicToolCallParams = z.object({
  threadId: z.string(),
  turnId: z.string(),
  callId: z.string(),
  namespace: z.string().nullable(),
  tool: z.string(),
  arguments: JsonValue,
});

export const DynamicToolCallResponse = z.object({ contentItems: z.array(DynamicToolCallOutputContentItem), success: z.boolean() });

export const ToolRequestUserInputOption = z.object({ label: z.string(), description: z.string() });

export const ToolRequestUserInputQuestion = z.object({
  id: z.string(),
  header: z.string(),
  question: z.string(),
  isOther: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  options: z.array(ToolRequestUserInputOption).nullish(),
});

export const ToolRequestUserInputParams = z.object({
  ...itemKey,
  questions: z.array(ToolRequestUserInputQuestion),
  isBlocking: z.boolean(),
  autoResolutionMs: z.number().int().nullable(),
});

export const ToolRequestUserInputAnswer = z.object({ answers: z.array(z.string()) });

export const ToolRequestUserInputResponse = z.object({ answers: z.record(z.string(), ToolRequestUserInputAnswer) });

export const ServerRequestResolvedNotification = z.object({ threadId: z.string(), requestId: RequestId });

export const ConfigWarningNotification = z.object({ summary: z.string(), details: z.string().nullable() });

/**
 * A question to the user on behalf of an MCP tool call (Keel asks approval this way, in `form`
 * mode with an empty form: the client shows the message with accept / decline / cancel).
 */
export const McpServerElicitationRequestParams = z.object({
  threadId: z.string(),
  turnId: z.string().nullable(),
  serverName: z.string(),
  mode: z.literal('form'),
  message: z.string(),
  requestedSchema: z.object({ type: z.literal('object'), properties: z.record(z.string(), JsonValue), required: z.array(z.string()).nullish() }),
  _meta: JsonValue.nullable(),
});

export const McpServerElicitationRequestResponse = z.object({
  action: z.enum(['accept', 'decline', 'cancel']),
  content: JsonValue.nullish(),
  _meta: JsonValue.nullish(),
});
