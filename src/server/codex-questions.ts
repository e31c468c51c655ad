// The engine's questions (engine/questions.ts) as Codex server requests. The params are built field
// by field in Codex's order: what goes on the wire is byte for byte what Codex clients expect. The
// replies are read back in codex-replies.ts.
import type { Question } from '../engine/questions.js';
import type { ServerRequestMethod } from '../protocol/method-table.js';
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
