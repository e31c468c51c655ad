// The ACP methods Keel serves, on the same engine as the Codex ones: a session is a thread
// (session id = thread id), a prompt is a turn, its end is the prompt's answer.
import type { InitializeResponse, ListSessionsResponse, LoadSessionResponse, NewSessionResponse, PromptResponse, StopReason } from '@agentclientprotocol/sdk';
import type * as z from 'zod';
import { DomainError } from '../../kernel/errors.js';
import type { Log } from '../../log.js';
import type { Keel } from '../open-keel.js';
import type { ProviderSetup } from '../provider-setup.js';
import { joinSessionMcp, mcpServerConfigs } from './acp-mcp.js';
import type { AcpSession, TurnEnd } from './acp-session.js';
import { AuthenticateParams, CancelParams, InitializeParams, ListSessionsParams, LoadSessionParams, NewSessionParams, PromptParams } from './acp-params.js';
import { turnInput } from './acp-prompt.js';
import { acpWorkspace } from './acp-workspace.js';
import { authenticate, authMethods } from './acp-auth.js';
import { choiceRequests, joinedThread, sessionSetup } from './acp-choice-handlers.js';
import { cancelRunningTurn, lifecycleRequests, reopenSession } from './acp-lifecycle.js';
import { commandsUpdate, promptRun } from './acp-commands.js';

/** The ACP version Keel speaks (the SDK's PROTOCOL_VERSION it is built and tested against). */
export const ACP_PROTOCOL_VERSION = 1;
const LIST_PAGE = 50;

export interface AcpContext {
  session: AcpSession;
  keel: () => Promise<Keel>;
  /** Config, keys and providers, built before the services and shared with them. */
  setup: () => ProviderSetup;
  version: string;
  logger: Log;
  /** Runs `task` once the request's answer is written (a request's own context only). */
  afterResponse?: (task: () => void) => void;
}

type Handler<S extends z.ZodType> = { params: S; run(params: z.output<S>, context: AcpContext): Promise<unknown> };
const handler = <S extends z.ZodType>(params: S, run: (params: z.output<S>, context: AcpContext) => Promise<unknown>): Handler<S> => ({ params, run });

export const acpRequests: Record<string, Handler<z.ZodType>> = {
  initialize: handler(InitializeParams, async (params, { session, keel, setup, version, afterResponse }): Promise<InitializeResponse> => {
    // The auth methods depend on config.toml, the environment and auth.json alone: the provider
    // setup the services are then built on (provider-setup.ts), not the services, which start right
    // after the answer is written (their modules and the store are most of a cold start).
    const methods = authMethods(setup());
    // After the answer is written, and a turn of the event loop later: the services' start (module
    // loading, the store) is synchronous work that would otherwise hold the answer back.
    afterResponse?.(() => setImmediate(() => void keel().catch(() => {})));
    session.clientCapabilities = params.clientCapabilities ?? {};
    session.initialized = true;
    return {
      protocolVersion: Math.min(params.protocolVersion, ACP_PROTOCOL_VERSION),
      agentCapabilities: {
        loadSession: true,
        promptCapabilities: { image: true, audio: false, embeddedContext: true },
        mcpCapabilities: { http: true, sse: false },
        sessionCapabilities: { list: {}, resume: {}, close: {}, delete: {} },
        auth: { logout: {} },
      },
      authMethods: methods,
      agentInfo: { name: 'keel', title: 'Keel', version },
    };
  }),
  authenticate: handler(AuthenticateParams, async (params, { setup }) => authenticate(setup(), params.methodId)),
  'session/new': handler(NewSessionParams, async (params, { session, keel, logger, afterResponse }): Promise<NewSessionResponse> => {
    const mcpServers = mcpServerConfigs(params.mcpServers ?? [], params.cwd);
    const services = await keel();
    const { value: state, publish } = await services.threads.start({ cwd: params.cwd }, session);
    session.sessions.add(state.id);
    publish();
    await joinSessionMcp(services, session, state.id, mcpServers, logger, afterResponse);
    // Its commands once the editor knows the session (after the answer that names it).
    const commands = await commandsUpdate(services, params.cwd);
    afterResponse?.(() => session.update(state.id, commands));
    return { sessionId: state.id, ...(await sessionSetup(services, session, state)) };
  }),
  'session/load': handler(LoadSessionParams, (params, context): Promise<LoadSessionResponse> => reopenSession(params, context, true)),
  'session/list': handler(ListSessionsParams, async (params, { keel }): Promise<ListSessionsResponse> => {
    const { queries } = await keel();
    const page = await queries.list({ sortColumn: 'updated_at', direction: 'desc', limit: LIST_PAGE, cursor: params.cursor ?? null, maxBytes: 4 * 1024 * 1024, archived: false, cwds: params.cwd ? [params.cwd] : null, searchTerm: null, modelProviders: null });
    return {
      sessions: page.data.map((thread) => ({ sessionId: thread.id, cwd: thread.cwd, title: thread.name ?? (thread.preview || null), updatedAt: new Date(thread.updatedAt * 1000).toISOString() })),
      nextCursor: page.nextCursor,
    };
  }),
  'session/prompt': handler(PromptParams, async (params, { session, keel }): Promise<PromptResponse> => {
    // The prompt is read before anything starts: a block Keel cannot take is refused, no turn begun.
    const input = turnInput(params.prompt);
    const services = await keel();
    const { threads } = services;
    // A session of an earlier connection is joined as it is, without its history (session/load gives that).
    const state = await joinedThread(services, session, params.sessionId);
    // The mode and model chosen since the last prompt (acp-choices.ts).
    const { settings, mode } = session.choices.forTurn(state);
    // The editor hosting the session lends its files and terminal to this turn's tools (acp-workspace.ts).
    services.workspaces.lend(params.sessionId, session, acpWorkspace(session, params.sessionId));
    // A slash command (acp-commands.ts): a compaction, a review turn, a skill's turn.
    const run = await promptRun(services, state.settings.cwd, params.prompt, input);
    if (run.kind === 'compact') {
      const { publish } = await threads.compact(params.sessionId, session);
      const ended = session.nextTurnEnded(params.sessionId);
      publish();
      return { stopReason: stopReasonOf(await ended) };
    }
    const options = { summary: null, outputSchema: null, mode: run.kind === 'review' ? 'review' as const : mode, modeInstructions: null };
    const { value: turn, publish } = await threads.startTurn(params.sessionId, { input: run.input, settings, options }, session);
    session.choices.applied(params.sessionId, settings);
    const ended = session.turnEnded(turn.id);
    publish();
    return { stopReason: stopReasonOf(await ended) };
  }),
  ...choiceRequests,
  ...lifecycleRequests,
};

export const acpNotifications: Record<string, Handler<z.ZodType>> = {
  'session/cancel': handler(CancelParams, async (params, { session, keel }) => cancelRunningTurn(await keel(), session, params.sessionId, false)),
};

/** A failed turn is no stop reason: the prompt is answered with its error. */
function stopReasonOf(end: TurnEnd): StopReason {
  if (end.status === 'interrupted') return 'cancelled';
  if (end.status === 'failed') throw new DomainError('unavailable', end.error?.message ?? 'the turn failed');
  return 'end_turn';
}
