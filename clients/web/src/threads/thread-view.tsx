// One thread: its header, then its turns and their items, from the connection's folded state
// (re-rendered as deltas arrive). The view stays scrolled to the bottom while the reader was there.
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { InspectorModel } from '../model/inspector-model.js';
import { statusLabel } from './thread-rows.js';
import { TurnView } from './turn-view.js';
import './threads.css';

/** How close to the bottom (px) still counts as "at the bottom". */
const BOTTOM_SLACK = 24;

export function ThreadView({ model, threadId }: { model: InspectorModel; threadId: string }) {
  const thread = model.wireThread(threadId);
  const folded = model.connection?.thread(threadId);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element !== null && atBottom.current) element.scrollTop = element.scrollHeight;
  });
  if (thread === undefined) return <p class="empty">Loading {threadId}…</p>;
  const onScroll = (event: Event) => {
    const element = event.currentTarget as HTMLDivElement;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK;
  };
  return (
    <div class="thread" data-thread-id={thread.id} ref={scroller} onScroll={onScroll}>
      <header class="thread-header">
        <h2>{thread.name ?? (thread.preview.trim() || 'New thread')}</h2>
        <dl>
          <div>
            <dt>id</dt>
            <dd>
              <code>{thread.id}</code>
            </dd>
          </div>
          <div>
            <dt>model</dt>
            <dd>{thread.model ?? '—'}</dd>
          </div>
          <div>
            <dt>cwd</dt>
            <dd>
              <code>{thread.cwd}</code>
            </dd>
          </div>
          <div>
            <dt>status</dt>
            <dd data-thread-status={thread.status.type}>{statusLabel(thread.status)}</dd>
          </div>
        </dl>
      </header>
      {thread.turns.length === 0 && <p class="empty">No turns yet: send a message below.</p>}
      {thread.turns.map((turn, index) => (
        <TurnView key={turn.id} turn={turn} index={index} folded={folded} />
      ))}
    </div>
  );
}
