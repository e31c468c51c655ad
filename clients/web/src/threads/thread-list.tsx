// The threads: pages of thread/list (or a search's), "Load more threads" for the next page, a
// debounced search box, a status badge per thread, and live updates from the server's thread
// notifications. The open thread's row is aria-current.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Thread, ThreadStatus } from '../../../../generated/protocol.js';
import type { InspectorModel } from '../model/inspector-model.js';
import { useModel } from '../model/use-model.js';
import { applyNotification, appendPage, relativeTime, statusLabel, threadTitle, type ThreadRow } from './thread-rows.js';
import { fetchThreadPage } from './thread-pages.js';
import './threads.css';

const SEARCH_DEBOUNCE_MS = 250;

/** The badge's colour class: an active thread waiting on the user gets its own. */
function badgeKind(status: ThreadStatus): string {
  return status.type === 'active' && status.activeFlags.length > 0 ? 'waiting' : status.type;
}

/**
 * A listed thread with the name, preview and time this connection folded since (a thread started
 * here gets its preview with its first message; no list notification carries that).
 */
function withFoldedTitle(model: InspectorModel, thread: Thread): Thread {
  const folded = model.connection?.thread(thread.id);
  if (folded === undefined) return thread;
  return { ...thread, name: folded.name ?? thread.name, preview: folded.preview || thread.preview, updatedAt: Math.max(thread.updatedAt, Math.floor(folded.updatedAtMs / 1000)) };
}

export function ThreadList({ model }: { model: InspectorModel }) {
  useModel(model);
  const open = model.status.kind === 'open';
  const [query, setQuery] = useState('');
  const [term, setTerm] = useState('');
  const [rows, setRows] = useState<readonly ThreadRow[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers to an older query arrive late; only the latest one's pages are kept.
  const generation = useRef(0);
  // Threads started while the first page was on its way: that page may predate them.
  const startedMeanwhile = useRef<ThreadRow[]>([]);

  const remember = (row: ThreadRow) => {
    if (!startedMeanwhile.current.some((known) => known.thread.id === row.thread.id)) startedMeanwhile.current = [row, ...startedMeanwhile.current];
  };

  const load = async (cursor: string | null) => {
    const mine = cursor === null ? ++generation.current : generation.current;
    if (cursor === null) startedMeanwhile.current = [];
    setLoading(true);
    try {
      const page = await fetchThreadPage(model, term, cursor);
      if (mine !== generation.current) return;
      setRows((current) => (cursor === null ? appendPage(startedMeanwhile.current, page.rows) : appendPage(current, page.rows)));
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      if (mine === generation.current) setError((failure as Error).message);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    if (open) void load(null);
  }, [open, term]);

  useEffect(() => {
    const timer = setTimeout(() => setTerm(query.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  useEffect(
    () =>
      model.onNotification((notification) => {
        if (notification.method === 'thread/unarchived') return void load(null);
        if (notification.method === 'thread/started' && term === '') remember({ thread: notification.params.thread });
        setRows((current) => applyNotification(current, notification, term !== '') as ThreadRow[]);
      }),
    [model, term],
  );

  const startThread = async () => {
    const { thread } = await model.startThread();
    remember({ thread });
    setRows((current) => (current.some((row) => row.thread.id === thread.id) ? current : [{ thread }, ...current]));
  };

  const now = Date.now();
  return (
    <nav class="threads" aria-label="Threads">
      <div class="threads-tools">
        <button type="button" onClick={startThread} disabled={!open}>
          New thread
        </button>
        <input type="search" class="threads-search" aria-label="Search threads" placeholder="Search threads" value={query} onInput={(event) => setQuery(event.currentTarget.value)} />
      </div>
      {error !== null && (
        <p class="threads-error" role="alert">
          Could not list threads: {error}
        </p>
      )}
      <ul aria-label="Thread list" aria-busy={loading}>
        {rows.map(({ thread, snippet }) => (
          <ThreadRowView key={thread.id} model={model} listed={thread} snippet={snippet} now={now} />
        ))}
      </ul>
      {!loading && rows.length === 0 && <p class="empty">{term === '' ? 'No threads yet.' : `No thread matches “${term}”.`}</p>}
      {nextCursor !== null && (
        <button type="button" class="threads-more" disabled={loading} onClick={() => void load(nextCursor)}>
          Load more threads
        </button>
      )}
    </nav>
  );
}

function ThreadRowView({ model, listed, snippet, now }: { model: InspectorModel; listed: Thread; snippet: string | undefined; now: number }) {
  const thread = withFoldedTitle(model, listed);
  return (
    <li data-thread-id={thread.id}>
      <button type="button" class="thread-row" aria-current={model.selectedThreadId === thread.id ? 'true' : undefined} onClick={() => void model.openThread(thread.id)}>
        <span class="thread-row-title">{threadTitle(thread)}</span>
        <span class="thread-row-meta">
          <span class={`badge badge-${badgeKind(thread.status)}`}>{statusLabel(thread.status)}</span>
          {thread.model !== null && <span class="thread-row-model">{thread.model}</span>}
          <time dateTime={new Date(thread.updatedAt * 1000).toISOString()}>{relativeTime(thread.updatedAt, now)}</time>
        </span>
        {snippet !== undefined && snippet !== '' && <span class="thread-row-snippet">{snippet}</span>}
      </button>
    </li>
  );
}
