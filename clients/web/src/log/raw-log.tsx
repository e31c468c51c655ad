// Every message both ways, as it crossed the wire, newest at the bottom: filters by method, thread
// and direction, a row per message that expands to its JSON, and the filtered messages as JSONL
// (copied, or downloaded). Only the last RENDER_LIMIT matching rows are drawn, so a long session
// stays fast; the count and the export always cover every matching message.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { InspectorModel } from '../model/inspector-model.js';
import { useModel } from '../model/use-model.js';
import { useRemembered } from '../console/remembered.js';
import { filterRows, LogIndex, NO_FILTER, threadIdsOf, toJsonl, type LogFilter, type LogRow } from './log-rows.js';
import { LogRowView } from './log-row.js';
import './raw-log.css';

export const RENDER_LIMIT = 500;
const indexes = new WeakMap<InspectorModel, LogIndex>();

export function RawLog({ model }: { model: InspectorModel }) {
  useModel(model);
  const [filter, setFilter] = useRemembered<LogFilter>(model, 'log.filter', NO_FILTER);
  const [copyStatus, setCopyStatus] = useState('');
  let index = indexes.get(model);
  if (index === undefined) indexes.set(model, (index = new LogIndex()));
  const rows = index.describe(model.log);
  const shown = filterRows(rows, filter);
  const drawn = shown.slice(-RENDER_LIMIT);
  const threadIds = threadIdsOf(rows);
  const scroller = useStickToBottom(drawn[drawn.length - 1]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(toJsonl(shown));
      setCopyStatus(`Copied ${shown.length} messages`);
    } catch (error) {
      setCopyStatus(`Copy failed: ${(error as Error).message}`);
    }
  };

  return (
    <div class="raw-log-view">
      <div class="raw-log-filters">
        <div>
          <label for="log-filter-method">Filter by method</label>
          <input id="log-filter-method" type="text" value={filter.method} onInput={(event) => setFilter({ ...filter, method: event.currentTarget.value })} />
        </div>
        <div>
          <label for="log-filter-thread">Filter by thread</label>
          <select id="log-filter-thread" value={filter.threadId ?? ''} onChange={(event) => setFilter({ ...filter, threadId: event.currentTarget.value || null })}>
            <option value="">all</option>
            {threadIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="log-filter-direction">Direction</label>
          <select id="log-filter-direction" value={filter.direction} onChange={(event) => setFilter({ ...filter, direction: event.currentTarget.value as LogFilter['direction'] })}>
            <option value="all">all</option>
            <option value="in">in</option>
            <option value="out">out</option>
          </select>
        </div>
      </div>
      <div class="raw-log-actions">
        <span class="raw-log-count">
          {shown.length} of {rows.length} messages
          {shown.length > drawn.length && <> (showing the last {drawn.length})</>}
        </span>
        <button type="button" onClick={() => void copy()}>
          Copy as JSONL
        </button>
        <a href="#" download="keel-messages.jsonl" onClick={(event) => pointAtJsonl(event.currentTarget, shown)}>
          Download JSONL
        </a>
        <span role="status" class="raw-log-copied">
          {copyStatus}
        </span>
      </div>
      <div class="raw-log-scroll" ref={scroller} tabIndex={-1}>
        <ol class="raw-log" aria-label="Messages">
          {drawn.map((row) => (
            <LogRowView key={row.key} row={row} />
          ))}
        </ol>
      </div>
    </div>
  );
}

/** Points the link at a fresh Blob URL of the filtered messages just before the browser follows it. */
function pointAtJsonl(link: HTMLAnchorElement, rows: readonly LogRow[]): void {
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([toJsonl(rows)], { type: 'application/x-ndjson' }));
}

/** Keeps the list scrolled to the bottom when new rows arrive, unless the user scrolled up. */
function useStickToBottom(last: LogRow | undefined) {
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const onScroll = () => (atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 8);
    element.addEventListener('scroll', onScroll);
    return () => element.removeEventListener('scroll', onScroll);
  }, []);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element !== null && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [last]);
  return ref;
}
