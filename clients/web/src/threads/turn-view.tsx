// One turn: its status and duration, its error (message and details), its items in order, and
// the plan update_plan last set (kept by the reducer on the folded turn, not in the wire Turn).
import type { Turn } from '../../../../generated/protocol.js';
import { get, indexOfKey } from '../../../../src/core/plist.js';
import type { ThreadState, TurnState } from '../../../../src/core/state.js';
import type { VisibleSettings } from '../../../../src/core/events.js';
import { ItemView } from '../items/item-view.js';
import { PlanChecklist } from '../items/plan-checklist.js';
import { formatDuration } from '../items/format.js';

const STATUS_LABEL: Record<Turn['status'], string> = { inProgress: 'running', completed: 'completed', interrupted: 'interrupted', failed: 'failed' };

export function TurnView({ turn, index, folded }: { turn: Turn; index: number; folded: ThreadState<VisibleSettings> | undefined }) {
  const plan = folded === undefined ? undefined : foldedTurn(folded, turn.id)?.plan;
  return (
    <section class="turn" aria-label={`Turn ${index + 1}`} data-turn-id={turn.id} data-turn-status={turn.status}>
      <div class="turn-head">
        <h3>Turn {index + 1}</h3>
        <span class="turn-status">{STATUS_LABEL[turn.status]}</span>
        {turn.durationMs !== null && <span class="turn-duration">{formatDuration(turn.durationMs)}</span>}
      </div>
      {turn.items.map((item) => (
        <ItemView key={item.id} item={item} />
      ))}
      {plan !== undefined && plan.steps.length > 0 && <PlanChecklist steps={plan.steps} explanation={plan.explanation} />}
      {turn.error !== null && (
        <div class="turn-error" role="alert">
          <strong>Error:</strong> {turn.error.message}
          {turn.error.codexErrorInfo !== null && <span class="turn-error-kind"> ({errorKind(turn.error.codexErrorInfo)})</span>}
          {turn.error.additionalDetails !== null && turn.error.additionalDetails !== '' && <pre>{turn.error.additionalDetails}</pre>}
        </div>
      )}
    </section>
  );
}

function foldedTurn(thread: ThreadState<VisibleSettings>, turnId: string): TurnState | undefined {
  return get(thread.turns, indexOfKey(thread.turns, turnId, (turn) => turn.id));
}

/** Codex's error info: a bare kind ("badRequest") or an object naming one with details. */
function errorKind(info: unknown): string {
  return typeof info === 'string' ? info : JSON.stringify(info);
}
