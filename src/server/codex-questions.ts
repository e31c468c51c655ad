// The engine's questions (engine/questions.ts) as Codex server requests, and the client's replies
// read back into the engine's answers with the protocol's schemas. The params are built field by
// field in Codex's order: what goes on the wire is byte for byte what Codex clients expect. A reply
// that is an error or does not parse is the client saying no: `decline`, or null where the
// question has no decline (client tools, user input).
import type { AnswerOf, Question, QuestionKind, QuestionOf } from '../engine/questions.js';
import type { ServerRequestMethod } from '../protocol/method-table.js';
import {
  CommandExecutionRequestApprovalResponse,
  DynamicToolCallResponse,
  FileChangeRequestApprovalResponse,
  McpServerElicitationRequestResponse,
  ToolRequestUserInputResponse,
} from '../protocol/schemas/server-requests.js';
import type { ParamsOf } from '../protocol/wire-types.js';

export type CodexRequest = { [M in ServerRequestMethod]: { method: M; params: ParamsOf<M> } }[ServerRequestMethod];

export function codexRequest(question: Question): CodexRequest {
  switch (question.kind) {
    case 'commandApproval':
      return {
        method: 'item/commandExecution/requestApproval',
        params: {
          threadId: question.threadId,
          turnId: question.turnId,
          itemId: question.itemId,
          kind: 'command',
          startedAtMs: question.startedAtMs,
          approvalId: null,
          environmentId: null,
          reason: question.reason,
          command: question.command,
          cwd: question.cwd,
          commandActions: question.actions,
          proposedExecpolicyAmendment: question.proposedRule,
        },
      };
    case 'fileChangeApproval':
      return {
        method: 'item/fileChange/requestApproval',
        params: { threadId: question.threadId, turnId: question.turnId, itemId: question.itemId, startedAtMs: question.startedAtMs, reason: question.reason, grantRoot: null },
      };
    case 'mcpToolApproval':
      // An elicitation with an empty form: the client shows the message with accept / decline / cancel.
      return {
        method: 'mcpServer/elicitation/request',
        params: { threadId: question.threadId, turnId: question.turnId, serverName: question.server, mode: 'form', message: question.message, requestedSchema: { type: 'object', properties: {} }, _meta: null },
      };
    case 'userInput':
      return {
        method: 'item/tool/requestUserInput',
        params: { threadId: question.threadId, turnId: question.turnId, itemId: question.itemId, questions: question.questions, isBlocking: true, autoResolutionMs: null },
      };
    case 'clientToolCall':
      return {
        method: 'item/tool/call',
        params: { threadId: question.threadId, turnId: question.turnId, callId: question.callId, namespace: question.namespace, tool: question.tool, arguments: question.input as never },
      };
  }
}

const readers: { [K in QuestionKind]: (raw: unknown) => AnswerOf<K> } = {
  commandApproval: (raw) => {
    const decision = CommandExecutionRequestApprovalResponse.safeParse(raw).data?.decision ?? 'decline';
    if (typeof decision === 'string') return decision;
    if ('acceptWithExecpolicyAmendment' in decision) return { acceptWithRule: decision.acceptWithExecpolicyAmendment.execpolicy_amendment };
    return { networkRule: decision.applyNetworkPolicyAmendment.network_policy_amendment };
  },
  fileChangeApproval: (raw) => FileChangeRequestApprovalResponse.safeParse(raw).data?.decision ?? 'decline',
  mcpToolApproval: (raw) => McpServerElicitationRequestResponse.safeParse(raw).data?.action ?? 'decline',
  userInput: (raw) => ToolRequestUserInputResponse.safeParse(raw).data ?? null,
  clientToolCall: (raw) => DynamicToolCallResponse.safeParse(raw).data ?? null,
};

/** The client's reply (`{ error }` for an error reply) as the engine's answer to `question`. */
export function codexAnswer<K extends QuestionKind>(question: QuestionOf<K>, raw: unknown): AnswerOf<K> {
  return (readers[question.kind] as (raw: unknown) => AnswerOf<K>)(raw);
}
