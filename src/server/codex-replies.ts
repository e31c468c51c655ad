// The client's replies to Codex server requests, read into the engine's answers with the protocol's
// schemas. A reply that is an error or does not parse is the client saying no: `decline`, or null
// where the question has no decline (client tools, user input). A module of its own, loaded when
// the first reply arrives (session.ts): the reply schemas are sizeable zod, and building them on
// every start-up, before `initialize` is answered, cost cold start ~20 ms.
import type { AnswerOf, QuestionKind, QuestionOf } from '../engine/questions.js';
import {
  CommandExecutionRequestApprovalResponse,
  DynamicToolCallResponse,
  FileChangeRequestApprovalResponse,
  McpServerElicitationRequestResponse,
  ToolRequestUserInputResponse,
} from '../protocol/schemas/server-requests.js';

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
