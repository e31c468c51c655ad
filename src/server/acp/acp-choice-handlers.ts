// session/set_mode and session/set_config_option, and the modes and config options that
// session/new and session/load answer with. A choice is kept for the next prompt (acp-choices.ts)
// and told to the client as a session/update (current_mode_update, config_option_update).
import type { LoadSessionResponse, SetSessionConfigOptionResponse, SetSessionModeResponse } from '@agentclientprotocol/sdk';
import { isDeepStrictEqual } from 'node:util';
import * as z from 'zod';
import type { ThreadState } from '../../core/state.js';
import { RpcErrors } from '../../protocol/errors.js';
import type { Keel } from '../open-keel.js';
import type { AcpSession } from './acp-session.js';
import { chosenSettings, configOptions, listModels } from './acp-config-options.js';
import { modeSettings, modeState, PLAN_MODE } from './acp-modes.js';

export const SetModeParams = z.looseObject({ sessionId: z.string(), modeId: z.string() });
export const SetConfigOptionParams = z.looseObject({ sessionId: z.string(), configId: z.string(), value: z.union([z.string(), z.boolean()]) });

interface Context {
  session: AcpSession;
  keel: () => Promise<Keel>;
}

/** The `modes` and `configOptions` of a session/new or session/load answer. */
export async function sessionSetup(keel: Keel, session: AcpSession, state: ThreadState): Promise<Required<Pick<LoadSessionResponse, 'modes' | 'configOptions'>>> {
  const current = session.choices.effective(state);
  return { modes: modeState(current, session.choices.of(state).mode), configOptions: configOptions(await listModels(keel), current) };
}

/** The thread behind a session, joined to this connection first when an earlier one made it (as session/prompt does). */
export async function joinedThread(keel: Keel, session: AcpSession, sessionId: string): Promise<ThreadState> {
  if (!session.sessions.has(sessionId)) {
    const { publish } = await keel.threads.resume(sessionId, {}, session);
    session.sessions.add(sessionId);
    publish();
  }
  const state = keel.registry.liveState(sessionId);
  if (state === undefined) throw RpcErrors.domain(`session ${sessionId} is not loaded here`);
  return state;
}

export const choiceRequests = {
  'session/set_mode': {
    params: SetModeParams,
    async run(params: z.output<typeof SetModeParams>, { session, keel }: Context): Promise<SetSessionModeResponse> {
      const state = await joinedThread(await keel(), session, params.sessionId);
      const choice = session.choices.of(state);
      const change = modeSettings(params.modeId, choice.mode);
      if (change === undefined) {
        const offered = modeState(session.choices.effective(state), choice.mode).availableModes.map((mode) => mode.id);
        throw RpcErrors.invalidParams(`modeId: Keel has no mode ${JSON.stringify(params.modeId)} for this session (it has: ${offered.join(', ')})`);
      }
      const before = modeState(session.choices.effective(state), choice.mode).currentModeId;
      session.choices.choose(state, change, params.modeId === PLAN_MODE);
      const after = modeState(session.choices.effective(state), choice.mode).currentModeId;
      if (after !== before) session.update(state.id, { sessionUpdate: 'current_mode_update', currentModeId: after });
      return {};
    },
  },
  'session/set_config_option': {
    params: SetConfigOptionParams,
    async run(params: z.output<typeof SetConfigOptionParams>, { session, keel }: Context): Promise<SetSessionConfigOptionResponse> {
      const loaded = await keel();
      const state = await joinedThread(loaded, session, params.sessionId);
      const models = await listModels(loaded);
      const before = session.choices.effective(state);
      session.choices.choose(state, chosenSettings(params.configId, params.value, models, before));
      const options = configOptions(models, session.choices.effective(state));
      if (!isDeepStrictEqual(options, configOptions(models, before))) session.update(state.id, { sessionUpdate: 'config_option_update', configOptions: options });
      return { configOptions: options };
    },
  },
};
