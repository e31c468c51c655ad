// The threads: the first page of thread/list, newest first. (Search, paging and live updates: to come.)
import { useEffect, useState } from 'preact/hooks';
import type { Thread } from '../../../../generated/protocol.js';
import type { InspectorModel } from '../model/inspector-model.js';

export function ThreadList({ model }: { model: InspectorModel }) {
  const [threads, setThreads] = useState<Thread[]>([]);
  const open = model.status.kind === 'open';
  useEffect(() => {
    if (!open) return;
    void model.request('thread/list', { limit: 50 }).then((page) => setThreads(page.data));
  }, [open]);
  const startThread = async () => {
    const { thread } = await model.request('thread/start', {});
    setThreads((list) => [thread, ...list]);
    model.showThread(thread);
  };
  return (
    <nav class="threads" aria-label="Threads">
      <button type="button" onClick={startThread} disabled={!open}>
        New thread
      </button>
      <ul aria-label="Thread list">
        {threads.map((thread) => (
          <li key={thread.id} data-thread-id={thread.id}>
            <button type="button" aria-current={model.selectedThreadId === thread.id} onClick={() => void model.openThread(thread.id)}>
              {thread.name ?? (thread.preview || thread.id)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
