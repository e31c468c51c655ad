// One thread, its turns and their items, from the connection's folded state.
import type { InspectorModel } from '../model/inspector-model.js';
import { ItemView } from '../items/item-view.js';

export function ThreadView({ model, threadId }: { model: InspectorModel; threadId: string }) {
  const thread = model.wireThread(threadId);
  if (thread === undefined) return <p class="empty">Loading {threadId}…</p>;
  return (
    <div class="thread" data-thread-id={thread.id}>
      <h2>{thread.name ?? thread.preview ?? thread.id}</h2>
      {thread.turns.map((turn, index) => (
        <section key={turn.id} class="turn" aria-label={`Turn ${index + 1}`} data-turn-id={turn.id} data-turn-status={turn.status}>
          {turn.items.map((item) => (
            <ItemView key={item.id} item={item} />
          ))}
        </section>
      ))}
    </div>
  );
}
