// The model's questions to the user (`request_user_input`, the engine's userInput question) as ACP's
// `elicitation/create` in form mode, for a client that offers it (`clientCapabilities.elicitation.form`),
// and the client's reply back into the engine's answer. Each of Keel's questions is one property of
// the form, keyed by its id and required, as Keel's are: its choices a single-select `oneOf` (label
// as value and title, the description beside it), with an "Other" choice and a free-text property
// beside it where the question takes the user's own words; a question without choices a plain string.
// ACP's string formats have no password: a secret question is a plain string whose description says
// that the editor may show what is typed.
import type { CreateElicitationRequest, ElicitationPropertySchema, EnumOption } from '@agentclientprotocol/sdk';
import type { AnswerOf, QuestionOf, UserQuestion } from '../../engine/questions.js';

/** The value of the "Other" choice (a label of the model's that happens to be the same is taken as that label). */
export const OTHER_CHOICE = '__other__';
const SECRET_NOTE = 'Secret: ACP forms have no password field, so the editor may show what you type.';

/** The free-text property beside a question with choices, where the user writes their own answer. */
export const otherProperty = (questionId: string): string => `${questionId}.other`;

/**
 * The form that asks `question`, scoped to its session, and to its tool call when the editor has
 * been shown that call (`shownCallId`): request_user_input's call is recorded once answered, so its
 * questions come before the call and the form is the session's.
 */
export function userInputElicitation(sessionId: string, question: QuestionOf<'userInput'>, shownCallId?: string): CreateElicitationRequest {
  const properties: Record<string, ElicitationPropertySchema> = {};
  for (const asked of question.questions) Object.assign(properties, propertiesOf(asked));
  return {
    mode: 'form',
    sessionId,
    ...(shownCallId !== undefined && { toolCallId: shownCallId }),
    // The questions as the audit trail's subject has them: the form's own words say what each asks.
    message: question.questions.map((asked) => asked.question).join('\n'),
    requestedSchema: { type: 'object', properties, required: question.questions.map((asked) => asked.id) },
  };
}

function propertiesOf(asked: UserQuestion): Record<string, ElicitationPropertySchema> {
  const description = asked.isSecret === true ? `${asked.question} (${SECRET_NOTE})` : asked.question;
  const options = asked.options ?? [];
  if (options.length === 0) return { [asked.id]: { type: 'string', title: asked.header, description } };
  const choices: EnumOption[] = options.map((option) => ({ const: option.label, title: option.label, description: option.description }));
  if (asked.isOther !== true) return { [asked.id]: { type: 'string', title: asked.header, description, oneOf: choices } };
  return {
    [asked.id]: { type: 'string', title: asked.header, description, oneOf: [...choices, { const: OTHER_CHOICE, title: 'Other', description: 'Write your own answer below' }] },
    [otherProperty(asked.id)]: { type: 'string', title: `${asked.header}: your answer`, description: asked.isSecret === true ? `When you chose Other. ${SECRET_NOTE}` : 'When you chose Other' },
  };
}

/**
 * The engine's answer for the client's reply: accept → each question's answers (its choice's label,
 * or the user's own words); decline, cancel, an error reply or content of the wrong shape → null, the
 * userInput question's "no", as an error reply is on the app-server (codex-replies.ts). A question
 * left unanswered in an accepted form has no answers.
 */
export function userInputAnswer(question: QuestionOf<'userInput'>, reply: unknown): AnswerOf<'userInput'> {
  const { action, content } = (reply ?? {}) as { action?: unknown; content?: unknown };
  if (action !== 'accept') return null;
  const values = (typeof content === 'object' && content !== null ? content : {}) as Record<string, unknown>;
  const answers: Record<string, { answers: string[] }> = {};
  for (const asked of question.questions) {
    const given = answersOf(asked, values[asked.id], values[otherProperty(asked.id)]);
    if (given === null) return null;
    answers[asked.id] = { answers: given };
  }
  return { answers };
}

function answersOf(asked: UserQuestion, value: unknown, other: unknown): string[] | null {
  if (value !== undefined && typeof value !== 'string') return null;
  if (other !== undefined && typeof other !== 'string') return null;
  const ownWords = typeof other === 'string' && other.trim() !== '' ? [other] : [];
  const options = asked.options ?? [];
  if (options.length === 0) return value === undefined || value === '' ? [] : [value];
  if (value !== undefined && options.some((option) => option.label === value)) return [value];
  // No choice made counts as Other: the user's words, if any, are the answer.
  if (value === undefined || (value === OTHER_CHOICE && asked.isOther === true)) return ownWords;
  return null;
}
