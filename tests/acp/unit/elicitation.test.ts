// The model's questions as ACP forms alone (acp-elicitation.ts): a question's property by its kind
// (choices with or without Other, free text, secret), the tool-call scope, and every reply read back
// into the engine's answer — tables, no process.
import { describe, expect, it } from 'vitest';
import { userInputAnswer, userInputElicitation } from '../../../src/server/acp/acp-elicitation.js';
import type { QuestionOf, UserQuestion } from '../../../src/engine/questions.js';

const ask = (...questions: UserQuestion[]): QuestionOf<'userInput'> => ({ kind: 'userInput', threadId: 't', turnId: 'u', itemId: 'call_1', questions });
const pick: UserQuestion = { id: 'pick', header: 'Pick', question: 'Which?', isOther: false, options: [{ label: 'A', description: 'first' }, { label: 'B', description: 'second' }] };
const open: UserQuestion = { ...pick, id: 'open', isOther: true };
const words: UserQuestion = { id: 'name', header: 'Name', question: 'Its name?', isOther: true };
const NOTE = 'Secret: ACP forms have no password field, so the editor may show what you type.';

describe('userInputElicitation: each question a required property of one form', () => {
  it.each<[string, UserQuestion, object]>([
    ['choices only: a titled single-select', pick, { pick: { type: 'string', title: 'Pick', description: 'Which?', oneOf: [{ const: 'A', title: 'A', description: 'first' }, { const: 'B', title: 'B', description: 'second' }] } }],
    [
      'choices and Other: an Other choice and a free-text property beside it',
      open,
      {
        open: { type: 'string', title: 'Pick', description: 'Which?', oneOf: [{ const: 'A', title: 'A', description: 'first' }, { const: 'B', title: 'B', description: 'second' }, { const: '__other__', title: 'Other', description: 'Write your own answer below' }] },
        'open.other': { type: 'string', title: 'Pick: your answer', description: 'When you chose Other' },
      },
    ],
    ['no choices: a plain string', words, { name: { type: 'string', title: 'Name', description: 'Its name?' } }],
    ['a secret: a plain string saying it is not hidden', { ...words, isSecret: true }, { name: { type: 'string', title: 'Name', description: `Its name? (${NOTE})` } }],
    [
      'a secret with choices: its free text says so too',
      { ...open, isSecret: true },
      {
        open: { type: 'string', title: 'Pick', description: `Which? (${NOTE})`, oneOf: [{ const: 'A', title: 'A', description: 'first' }, { const: 'B', title: 'B', description: 'second' }, { const: '__other__', title: 'Other', description: 'Write your own answer below' }] },
        'open.other': { type: 'string', title: 'Pick: your answer', description: `When you chose Other. ${NOTE}` },
      },
    ],
  ])('%s', (_name, question, properties) => {
    expect(userInputElicitation('s', ask(question))).toEqual({ mode: 'form', sessionId: 's', message: question.question, requestedSchema: { type: 'object', properties, required: [question.id] } });
  });

  it('is scoped to the tool call when the editor has been shown it', () => {
    expect(userInputElicitation('s', ask(words), 'call_1')).toMatchObject({ sessionId: 's', toolCallId: 'call_1' });
  });
});

describe('userInputAnswer: the reply as the engine\'s answer', () => {
  it.each<[string, UserQuestion[], unknown, unknown]>([
    ['a choice', [pick], { action: 'accept', content: { pick: 'B' } }, { answers: { pick: { answers: ['B'] } } }],
    ['Other with the user\'s words', [open], { action: 'accept', content: { open: '__other__', 'open.other': 'C' } }, { answers: { open: { answers: ['C'] } } }],
    ['a choice ignores words written beside it', [open], { action: 'accept', content: { open: 'A', 'open.other': 'C' } }, { answers: { open: { answers: ['A'] } } }],
    ['no choice but words: the words', [open], { action: 'accept', content: { 'open.other': 'C' } }, { answers: { open: { answers: ['C'] } } }],
    ['free text', [words], { action: 'accept', content: { name: 'Keel' } }, { answers: { name: { answers: ['Keel'] } } }],
    ['left empty: no answers for it', [words, pick], { action: 'accept', content: { name: '', pick: 'A' } }, { answers: { name: { answers: [] }, pick: { answers: ['A'] } } }],
    ['accepted without content: no answers', [words], { action: 'accept' }, { answers: { name: { answers: [] } } }],
    ['a value that is no choice: malformed', [pick], { action: 'accept', content: { pick: 'Z' } }, null],
    ['Other where the question has none: malformed', [pick], { action: 'accept', content: { pick: '__other__' } }, null],
    ['a value of the wrong type: malformed', [words], { action: 'accept', content: { name: 3 } }, null],
    ['decline', [pick], { action: 'decline' }, null],
    ['cancel', [pick], { action: 'cancel' }, null],
    ['an action Keel does not know', [pick], { action: '_later' }, null],
    ['an error reply', [pick], null, null],
  ])('%s', (_name, questions, reply, answer) => {
    expect(userInputAnswer(ask(...questions), reply)).toEqual(answer);
  });
});
