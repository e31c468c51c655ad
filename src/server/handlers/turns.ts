// turn/start, turn/steer, turn/interrupt: parse, call the thread commands, shape the answer.
import { turnSnapshot } from '../../core/snapshot.js';
import { reviewRequest } from '../../engine/turns/review.js';
import type { ThreadCommands } from '../../engine/thread-commands.js';
import { DomainError } from '../../kernel/errors.js';
import type { Handler } from '../dispatch.js';
import { checkInputText } from './turn-input.js';

export interface TurnServices {
  threads: ThreadCommands;
}

export function turnStart({ threads }: TurnServices): Handler<'turn/start'> {
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
          serviceTier: params.serviceTier,
        },
        options: { summary: params.summary ?? null, outputSchema, mode: mode?.mode ?? 'default', modeInstructions: mode?.settings.developer_instructions ?? null },
      },
      session,
    );
    afterResponse(publish);
    return { turn: { ...turnSnapshot(turn, 'notLoaded'), items: [] } };
  };
}

export function turnSteer({ threads }: TurnServices): Handler<'turn/steer'> {
  return async (params, { afterResponse }) => {
    checkInputText(params.input);
    const { value: turnId, publish } = await threads.steer(params.threadId, params.expectedTurnId, params.input);
    afterResponse(publish);
    return { turnId };
  };
}

export function turnInterrupt({ threads }: TurnServices): Handler<'turn/interrupt'> {
  return async (params, { afterResponse }) => {
    afterResponse((await threads.interrupt(params.threadId, params.turnId)).publish);
    return {};
  };
}

/** Codex's default for thread/shellCommand: one hour. */
export const USER_COMMAND_TIMEOUT_MS = 3_600_000;

export function threadShellCommand({ threads }: TurnServices): Handler<'thread/shellCommand'> {
  return async (params, { session, afterResponse }) => {
    if (params.command.trim() === '') throw new DomainError('invalid', 'must not be empty', 'command');
    const timeoutMs = params.timeoutMs ?? USER_COMMAND_TIMEOUT_MS;
    if (timeoutMs < 0) throw new DomainError('invalid', `must not be negative, got ${timeoutMs}`, 'timeoutMs');
    const { publish } = await threads.userCommand(params.threadId, params.command, timeoutMs, session);
    afterResponse(publish);
    return {};
  };
}

export function threadCompactStart({ threads }: TurnServices): Handler<'thread/compact/start'> {
  return async (params, { session, afterResponse }) => {
    const { publish } = await threads.compact(params.threadId, session);
    afterResponse(publish);
    return {};
  };
}

export function reviewStart({ threads }: TurnServices): Handler<'review/start'> {
  return async (params, { session, afterResponse }) => {
    const request = reviewRequest(params.target);
    const input = [{ type: 'text' as const, text: request, text_elements: [] }];
    const { value: turn, publish } = await threads.startTurn(params.threadId, { input, settings: {}, options: { summary: null, outputSchema: null, mode: 'review' } }, session);
    afterResponse(publish);
    return { turn: { ...turnSnapshot(turn, 'notLoaded'), items: [] }, reviewThreadId: params.threadId };
  };
}
