// The client's tools as a tool source (client-tools.ts): the thread's dynamic tools, and in Plan
// mode request_user_input. A call is asked of the turn's clients and shown as a `dynamicToolCall`
// item; it may change anything, so it never runs beside another call.
import { clientToolDefinitions, clientToolFor } from './client-tools.js';
import type { ToolSource } from './tool-source.js';

export const clientToolSource: ToolSource = {
  forTurn(turn) {
    const specs = turn.runtime.state.settings.dynamicTools;
    const planMode = turn.mode === 'plan';
    const ask = { runtime: turn.runtime, turnId: turn.turnId, signal: turn.signal, timeoutMs: turn.clientRequestTimeoutMs, now: turn.now, clock: turn.clock };
    const definitions = clientToolDefinitions(specs, planMode);
    return {
      list: () => definitions,
      resolve: (call) => {
        const run = clientToolFor(call, specs, planMode);
        return run ? { execute: (ctx) => run(ctx, ask), readOnly: false } : null;
      },
    };
  },
};
