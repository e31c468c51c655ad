// Every message both ways, as it crossed the wire. (Filters and copy as JSONL: to come.)
import type { InspectorModel } from '../model/inspector-model.js';

export function RawLog({ model }: { model: InspectorModel }) {
  return (
    <ol class="raw-log" aria-label="Messages">
      {model.log.slice(-200).map((entry, index) => (
        <li key={index} data-direction={entry.direction} data-method={entry.message.method ?? ''}>
          <code>{JSON.stringify(entry.message)}</code>
        </li>
      ))}
    </ol>
  );
}
