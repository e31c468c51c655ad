// One message of the raw log: time, direction, kind, method, thread and a summary on one line;
// clicking it (or Enter) unfolds the message's JSON.
import { useState } from 'preact/hooks';
import type { LogRow } from './log-rows.js';

export function LogRowView({ row }: { row: LogRow }) {
  const [open, setOpen] = useState(false);
  const { entry } = row;
  const outgoing = entry.direction === 'out';
  return (
    <li data-method={row.method} data-direction={entry.direction} data-kind={row.kind} class={`log-row log-${row.kind.replace(' ', '-')}`}>
      <button type="button" class="log-line" aria-expanded={open} onClick={() => setOpen(!open)}>
        <time dateTime={new Date(entry.atMs).toISOString()}>{clock(entry.atMs)}</time>
        <span class="log-direction">
          <span aria-hidden="true">{outgoing ? '→' : '←'}</span>
          <span class="visually-hidden">{outgoing ? 'out' : 'in'}</span>
        </span>
        <span class="log-kind">{row.kind}</span>
        <span class="log-method">{row.method}</span>
        {row.threadId !== null && (
          <span class="log-thread" title={row.threadId}>
            thread …{row.threadId.slice(-12)}
          </span>
        )}
        <span class="log-summary">{row.summary}</span>
      </button>
      {open && <pre class="log-json">{JSON.stringify(entry.message, null, 2)}</pre>}
    </li>
  );
}

/** HH:MM:SS.mmm, local time. */
function clock(atMs: number): string {
  const at = new Date(atMs);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}
