// The engine's questions (engine/questions.ts) as Codex server requests. The params are built field
// by field in Codex's order: what goes on the wire is byte for byte what Codex clients expect. The
// replies are read back in codex-replies.ts.
import type { Question, QuestionOf } from '../engine/questions.js';
import type { ServerRequestMethod } from '../protocol/method-table.js';
import type { ParamsOf } from '../protocol/wire-types.js';
import type { z } from 'zod';
import type { CommandExecutionApprovalDecision as DecisionSchema } from '../protocol/schemas/server-requests.js';

type CommandExecutionApprovalDecision = z.output<typeof DecisionSchema>;

export type CodexRequest = { [M in ServerRequestMethod]: { method: M; params: ParamsOf<M> } }[ServerRequestMethod];

/** An engine decision as Codex's CommandExecutionApprovalDecision. */
function wireDecision(decision: QuestionOf<'commandApproval'>['offered'][number]): CommandExecutionApprovalDecision {
  if (typeof decision === 'string') return decision;
  if ('acceptWithRule' in decision) return { acceptWithExecpolicyAmendment: { execpolicy_amendment: decision.acceptWithRule } };
  return { applyNetworkPolicyAmendment: { network_policy_amendment: decision.networkRule } };
}

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
          availableDecisions: question.offered.map(wireDecision),
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
