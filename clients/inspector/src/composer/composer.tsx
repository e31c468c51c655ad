// The composer: a message for the open thread (turn/start). (Model, effort, approval and sandbox choices, steer and interrupt: to come.)
import { useState } from 'preact/hooks';
import type { InspectorModel } from '../model/inspector-model.js';

export function Composer({ model }: { model: InspectorModel }) {
  const [text, setText] = useState('');
  const threadId = model.selectedThreadId;
  const send = async (event: Event) => {
    event.preventDefault();
    if (threadId === null || text.trim() === '') return;
    setText('');
    await model.request('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] });
  };
  return (
    <form class="composer" aria-label="Composer" onSubmit={send}>
      <label for="composer-message">Message</label>
      <textarea id="composer-message" value={text} onInput={(event) => setText((event.target as HTMLTextAreaElement).value)} disabled={threadId === null} />
      <button type="submit" disabled={threadId === null}>
        Send
      </button>
    </form>
  );
}
