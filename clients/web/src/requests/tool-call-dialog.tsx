// item/tool/call (a dynamic tool the client serves): the tool and its arguments, and the user
// plays the tool: a text result, success or failure. Any other server request: its JSON and an
// error reply, so nothing waits forever on a request this page does not know.
import { useState } from 'preact/hooks';
import type { DynamicToolCallParams, DynamicToolCallResponse } from '../../../../generated/protocol.js';
import type { DialogBodyProps, DialogKind } from './request-dialogs.js';

export const ToolCallDialog: DialogKind = {
  title: 'Tool call',
  body: (props: DialogBodyProps) => <ToolCallForm {...props} />,
};

function ToolCallForm({ request }: DialogBodyProps) {
  const params = request.params as DynamicToolCallParams;
  const [result, setResult] = useState('');
  const [success, setSuccess] = useState(true);
  return (
    <form
      class="request-form"
      onSubmit={(event) => {
        event.preventDefault();
        request.answer({ contentItems: [{ type: 'inputText', text: result }], success } satisfies DynamicToolCallResponse);
      }}
    >
      <p>
        Tool <code>{params.namespace ? `${params.namespace}.${params.tool}` : params.tool}</code>
      </p>
      <pre aria-label="Arguments">{JSON.stringify(params.arguments, null, 2)}</pre>
      <label class="question-text">
        Result
        <textarea rows={4} value={result} onInput={(event) => setResult((event.target as HTMLTextAreaElement).value)} />
      </label>
      <fieldset class="question">
        <legend>Outcome</legend>
        <label class="question-option">
          <input type="radio" name="tool-outcome" checked={success} onChange={() => setSuccess(true)} />
          Success
        </label>
        <label class="question-option">
          <input type="radio" name="tool-outcome" checked={!success} onChange={() => setSuccess(false)} />
          Failure
        </label>
      </fieldset>
      <div class="request-actions">
        <button type="submit">Send result</button>
      </div>
    </form>
  );
}

export const OtherRequestDialog: DialogKind = {
  title: 'Server request',
  body: ({ request }: DialogBodyProps) => (
    <>
      <pre aria-label="Request">{JSON.stringify(request.params, null, 2)}</pre>
      <div class="request-actions">
        <button type="button" onClick={() => request.fail(-32601, `the Inspector cannot answer ${request.method}`)}>
          Reply with error
        </button>
      </div>
    </>
  ),
};
