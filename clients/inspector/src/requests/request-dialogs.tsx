// Server requests waiting for the user, one dialog at a time, oldest first. (Decision buttons from availableDecisions, questions: to come.)
import type { InspectorModel } from '../model/inspector-model.js';

export function RequestDialogs({ model }: { model: InspectorModel }) {
  const request = model.pending[0];
  if (request === undefined) return null;
  return (
    <div class="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-label="Approval requested" class="dialog">
        <h2>{request.method}</h2>
        <pre>{JSON.stringify(request.params, null, 2)}</pre>
        <button type="button" onClick={() => request.answer({ decision: 'accept' })}>
          Accept
        </button>
        <button type="button" onClick={() => request.answer({ decision: 'decline' })}>
          Decline
        </button>
      </div>
    </div>
  );
}
