// A plan (update_plan's steps) as a checklist: pending ☐, in progress ◐, completed ☑.
import type { PlanStep } from '../../../../src/core/events.js';

const MARK: Record<PlanStep['status'], string> = { pending: '☐', inProgress: '◐', completed: '☑' };
const SPOKEN: Record<PlanStep['status'], string> = { pending: 'pending', inProgress: 'in progress', completed: 'completed' };

export function PlanChecklist({ steps, explanation }: { steps: readonly PlanStep[]; explanation: string | null }) {
  return (
    <section class="plan" aria-label="Plan">
      <h4>Plan</h4>
      {explanation !== null && explanation !== '' && <p>{explanation}</p>}
      <ul>
        {steps.map((step, i) => (
          <li key={i} class={`plan-${step.status}`} data-status={step.status}>
            <span aria-hidden="true">{MARK[step.status]}</span>
            <span class="visually-hidden">{SPOKEN[step.status]}: </span>
            <span>{step.step}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
