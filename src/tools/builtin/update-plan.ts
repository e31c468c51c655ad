// `update_plan`: the model keeps a checklist of its work. Clients get `turn/plan/updated` and a
// `plan` item (the checklist as text); the model is told "Plan updated" (as Codex tells it).
import * as z from 'zod';
import type { PlanStep } from '../../core/events.js';
import type { Tool } from '../tool.js';

const StepStatus = z.enum(['pending', 'in_progress', 'completed']);

const UpdatePlanInput = z
  .object({
    explanation: z.string().nullish(),
    plan: z.array(z.object({ step: z.string().min(1), status: StepStatus })).describe('The list of steps'),
  })
  .refine((input) => input.plan.filter((step) => step.status === 'in_progress').length <= 1, {
    message: 'at most one step can be in_progress at a time',
    path: ['plan'],
  });

const WIRE_STATUS: Record<z.output<typeof StepStatus>, PlanStep['status']> = { pending: 'pending', in_progress: 'inProgress', completed: 'completed' };
const MARK: Record<PlanStep['status'], string> = { pending: '[ ]', inProgress: '[~]', completed: '[x]' };

export function planText(explanation: string | null, steps: readonly PlanStep[]): string {
  const lines = steps.map((step) => `- ${MARK[step.status]} ${step.step}`);
  return explanation ? `${explanation}\n\n${lines.join('\n')}` : lines.join('\n');
}

export const updatePlan: Tool<z.output<typeof UpdatePlanInput>> = {
  name: 'update_plan',
  description:
    'Updates the task plan.\nProvide an optional explanation and a list of plan items, each with a step and status (pending, in_progress or completed).\nAt most one step can be in_progress at a time.',
  input: UpdatePlanInput,
  aliases: { steps: 'plan', todos: 'plan' },
  async run(input, ctx) {
    const steps = input.plan.map((step) => ({ step: step.step, status: WIRE_STATUS[step.status] }));
    const explanation = input.explanation ?? null;
    ctx.report.plan(explanation, steps);
    const item = { type: 'plan' as const, id: ctx.callId, text: planText(explanation, steps) };
    ctx.report.start(item);
    return { item, output: 'Plan updated' };
  },
};
