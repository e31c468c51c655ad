// The engine's questions as ACP permission requests, and the client's reply back into the
// engine's answers: allow once → accept, allow always → accept for the session (Keel's prefix rule
// when the question proposes one), reject → decline, a cancelled prompt → cancel. The model's
// questions to the user are a form (`elicitation/create`, acp-elicitation.ts) for an editor that
// offers forms; questions ACP has no request for (those, for an editor without forms; client tools)
// are answered "no" at once.
import type { PermissionOption, RequestPermissionRequest, RequestPermissionResponse, ToolCallUpdate } from '@agentclientprotocol/sdk';
import type { ThreadItem } from '../../core/protocol-types.js';
import type { AnswerOf, QuestionKind, QuestionOf } from '../../engine/questions.js';
import { toolCall } from './acp-tool-calls.js';

const OPTIONS: PermissionOption[] = [
  { optionId: 'allow_once', name: 'Allow', kind: 'allow_once' },
  { optionId: 'allow_always', name: 'Always allow', kind: 'allow_always' },
  { optionId: 'reject_once', name: 'Reject', kind: 'reject_once' },
];

/**
 * The permission request for `question`, or null when ACP has none for its kind. `started`: the
 * item the question is about, as it started just before the question (Keel announces it first):
 * what is known of the call then — a file change's diffs, a command's kind and locations.
 */
export function permissionRequest(sessionId: string, question: QuestionOf<QuestionKind>, started?: ThreadItem): RequestPermissionRequest | null {
  const subject = subjectOf(question);
  if (subject === null) return null;
  const known = started === undefined ? null : toolCall(started);
  // The call as the editor already shows it (title, kind, locations, diffs), else the question's
  // words; the question adds what it asks about (the command as asked, its reason) to the raw input.
  const { rawOutput: _output, ...shown } = known ?? { toolCallId: subject.toolCallId };
  const fallback: ToolCallUpdate = { kind: question.kind === 'commandApproval' ? 'execute' : 'edit', title: 'Edit files', ...subject };
  const call: ToolCallUpdate = { ...fallback, ...shown, status: 'pending', rawInput: { ...known?.rawInput, ...(subject.rawInput as Record<string, unknown>) } };
  // A command offers "always" only where Keel does (not for a retry outside the sandbox).
  const always = question.kind !== 'commandApproval' || question.offered.some((decision) => decision === 'acceptForSession' || typeof decision === 'object');
  return { sessionId, toolCall: call, options: always ? OPTIONS : OPTIONS.filter((option) => option.kind !== 'allow_always') };
}

function subjectOf(question: QuestionOf<QuestionKind>): ToolCallUpdate | null {
  switch (question.kind) {
    case 'commandApproval':
      return { toolCallId: question.itemId, title: question.command, status: 'pending', rawInput: { command: question.command, cwd: question.cwd, reason: question.reason } };
    case 'fileChangeApproval':
      // The files and their diffs come from the started item; the kind too (edit, delete, move).
      return { toolCallId: question.itemId, status: 'pending', rawInput: { reason: question.reason } };
    case 'mcpToolApproval':
      return { toolCallId: question.itemId, title: `${question.server}: ${question.tool}`, kind: 'other', status: 'pending', rawInput: { message: question.message } };
    default:
      return null;
  }
}

/** The answer the engine takes for the client's reply (an error reply or an unknown option is a no). */
export function answerOf<K extends QuestionKind>(question: QuestionOf<K>, reply: RequestPermissionResponse | null): AnswerOf<K> {
  const outcome = reply?.outcome;
  const option = outcome?.outcome === 'selected' ? outcome.optionId : null;
  switch (question.kind) {
    case 'commandApproval': {
      const { offered } = question as QuestionOf<'commandApproval'>;
      if (option === 'allow_once') return 'accept' as AnswerOf<K>;
      // "Always": for the session where offered, else the proposed prefix rule.
      if (option === 'allow_always') return (offered.find((decision) => decision === 'acceptForSession') ?? offered.find((decision) => typeof decision === 'object') ?? 'accept') as AnswerOf<K>;
      return (outcome?.outcome === 'cancelled' ? 'cancel' : 'decline') as AnswerOf<K>;
    }
    case 'fileChangeApproval':
      if (option === 'allow_once') return 'accept' as AnswerOf<K>;
      if (option === 'allow_always') return 'acceptForSession' as AnswerOf<K>;
      return (outcome?.outcome === 'cancelled' ? 'cancel' : 'decline') as AnswerOf<K>;
    case 'mcpToolApproval':
      if (option === 'allow_once' || option === 'allow_always') return 'accept' as AnswerOf<K>;
      return (outcome?.outcome === 'cancelled' ? 'cancel' : 'decline') as AnswerOf<K>;
    default:
      return unanswerable(question.kind) as AnswerOf<K>;
  }
}

/** What the engine takes as "no" for a question ACP cannot ask. */
export function unanswerable(kind: QuestionKind): AnswerOf<QuestionKind> {
  return kind === 'userInput' || kind === 'clientToolCall' ? null : 'decline';
}
