// item/tool/requestUserInput: each question with its options as radio buttons, a free-text
// "Other" when the question allows it, a password field when the answer is secret.
import { useState } from 'preact/hooks';
import type { ToolRequestUserInputParams, ToolRequestUserInputResponse } from '../../../../generated/protocol.js';
import type { DialogBodyProps, DialogKind } from './request-dialogs.js';

type Question = ToolRequestUserInputParams['questions'][number];
const OTHER = '\u0000other';

export const QuestionsDialog: DialogKind = {
  title: 'Questions',
  body: (props: DialogBodyProps) => <QuestionsForm {...props} />,
};

function QuestionsForm({ request }: DialogBodyProps) {
  const params = request.params as ToolRequestUserInputParams;
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [other, setOther] = useState<Record<string, string>>({});
  const submit = (event: Event) => {
    event.preventDefault();
    const answers: ToolRequestUserInputResponse['answers'] = {};
    for (const question of params.questions) {
      const pick = chosen[question.id] ?? '';
      const answer = pick === OTHER || (question.options ?? []).length === 0 ? (other[question.id] ?? '') : pick;
      answers[question.id] = { answers: answer === '' ? [] : [answer] };
    }
    request.answer({ answers } satisfies ToolRequestUserInputResponse);
  };
  return (
    <form class="request-form" onSubmit={submit}>
      {params.questions.map((question) => (
        <QuestionField key={question.id} question={question} chosen={chosen[question.id]} other={other[question.id] ?? ''} choose={(value) => setChosen({ ...chosen, [question.id]: value })} type={(value) => setOther({ ...other, [question.id]: value })} />
      ))}
      <div class="request-actions">
        <button type="submit">Submit</button>
      </div>
    </form>
  );
}

function QuestionField({ question, chosen, other, choose, type }: { question: Question; chosen: string | undefined; other: string; choose: (value: string) => void; type: (value: string) => void }) {
  const options = question.options ?? [];
  const name = `question-${question.id}`;
  const freeText = options.length === 0 || (question.isOther === true && chosen === OTHER);
  return (
    <fieldset class="question">
      <legend>{question.header}</legend>
      <p>{question.question}</p>
      {options.map((option) => (
        <label key={option.label} class="question-option">
          <input type="radio" name={name} value={option.label} checked={chosen === option.label} onChange={() => choose(option.label)} />
          {option.label}
          {option.description && <span class="question-description"> — {option.description}</span>}
        </label>
      ))}
      {options.length > 0 && question.isOther === true && (
        <label class="question-option">
          <input type="radio" name={name} value={OTHER} checked={chosen === OTHER} onChange={() => choose(OTHER)} />
          Other
        </label>
      )}
      {freeText && (
        <label class="question-text">
          {options.length === 0 ? 'Answer' : 'Other answer'}
          <input type={question.isSecret === true ? 'password' : 'text'} value={other} onInput={(event) => type((event.target as HTMLInputElement).value)} />
        </label>
      )}
    </fieldset>
  );
}
