// turn/start, turn/steer, turn/interrupt: parse, call the thread commands, shape the answer.
import { turnSnapshot } from '../../core/snapshot.js';
import type { Keel } from '../../engine/open-keel.js';
import type { Handler } from '../dispatch.js';
import { checkInputText } from './turn-input.js';

export function turnStart({ threads }: Keel): Handler<'turn/start'> {
  return async (params, { session, afterResponse }) => {
    checkInputText(params.input);
    // Codex's collaboration mode for this turn: Plan reads and proposes; its model and effort apply as turn/start's would.
    const mode = params.collaborationMode ?? null;
    const outputSchema = params.outputSchema != null && typeof params.outputSchema === 'object' && !Array.isArray(params.outputSchema) ? params.outputSchema : null;
    const { value: turn, publish } = await threads.startTurn(
      params.threadId,
      {
        input: params.input,
        settings: {
          model: params.model ?? mode?.settings.model,
          reasoningEffort: params.effort ?? mode?.settings.reasoning_effort,
          cwd: params.cwd,
          approvalPolicy: params.approvalPolicy,
          sandboxPolicy: params.sandboxPolicy,
        },
        options: { summary: params.summary ?? null, outputSchema, mode: mode?.mode ?? 'default', modeInstructions: mode?.settings.developer_instructions ?? null },
      },
      session,
    );
    afterResponse(publish);
    return { turn: { ...turnSnapshot(turn, 'notLoaded'), items: [] } };
  };
}

export function turnSteer({ threads }: Keel): Handler<'turn/steer'> {
  return async (params, { afterResponse }) => {
    checkInputText(params.input);
    const { value: turnId, publish } = await threads.steer(params.threadId, params.expectedTurnId, params.input);
    afterResponse(publish);
    return { turnId };
  };
}

export function turnInterrupt({ threads }: Keel): Handler<'turn/interrupt'> {
  return (params, { afterResponse }) => {
    afterResponse(threads.interrupt(params.threadId, params.turnId).publish);
    return {};
  };
}
