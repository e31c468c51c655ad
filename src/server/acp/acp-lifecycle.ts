// The rest of ACP's session lifecycle and its logout, on the engine's own commands:
// - session/load and session/resume: the thread joined again, with or without its history;
// - session/close: the session's running turn cancelled (and its end heard, so its prompt is
//   answered `cancelled`), then this connection stops hearing the thread and lets go of what it
//   gave it (the editor's MCP servers, the files and terminal it lent, choices not yet sent);
// - session/delete: thread/delete — the thread and its log are removed, so it leaves session/list
//   and cannot be loaded again (thread/archive only hides it; ACP's own session/archive is that);
// - logout: account/logout — auth.json, the keys Keel stored, is removed.
import type { CloseSessionResponse, DeleteSessionResponse, LoadSessionResponse, LogoutResponse } from '@agentclientprotocol/sdk';
import type * as z from 'zod';
import { DomainError, DomainErrors } from '../../kernel/errors.js';
import type { Keel } from '../open-keel.js';
import type { AcpContext } from './acp-handlers.js';
import type { AcpSession } from './acp-session.js';
import { joinSessionMcp, mcpServerConfigs } from './acp-mcp.js';
import { CloseSessionParams, DeleteSessionParams, LogoutParams, ResumeSessionParams, type LoadSessionParams } from './acp-params.js';
import { sessionSetup } from './acp-choice-handlers.js';
import { commandsUpdate } from './acp-commands.js';

export const lifecycleRequests = {
  'session/resume': {
    params: ResumeSessionParams,
    run: (params: z.output<typeof ResumeSessionParams>, context: AcpContext): Promise<LoadSessionResponse> => reopenSession(params, context, false),
  },
  'session/close': {
    params: CloseSessionParams,
    async run({ sessionId }: z.output<typeof CloseSessionParams>, { session, keel }: AcpContext): Promise<CloseSessionResponse> {
      const services = await keel();
      const heard = session.sessions.has(sessionId);
      // A session this connection never opened must still exist (-32002 otherwise); its turn is cancelled all the same.
      if (!heard) await services.queries.read(sessionId);
      await cancelRunningTurn(services, session, sessionId, heard);
      if (heard) {
        session.sessions.delete(sessionId);
        await services.threads.unsubscribe(sessionId, session);
      }
      await letGo(services, session, sessionId);
      return {};
    },
  },
  'session/delete': {
    params: DeleteSessionParams,
    async run({ sessionId }: z.output<typeof DeleteSessionParams>, { session, keel }: AcpContext): Promise<DeleteSessionResponse> {
      const services = await keel();
      // Refused, as thread/delete refuses it (the turn's next event would write the log back): the
      // editor decides whether to cancel the work, Keel does not throw it away for it.
      if (services.registry.liveState(sessionId)?.activeTurnId) throw new DomainError('conflict', `session ${sessionId} has a prompt running: cancel it (session/cancel) or close the session (session/close) first`);
      const { publish } = await services.threads.delete(sessionId, session);
      publish();
      session.sessions.delete(sessionId);
      await services.organizer.forgetThread(sessionId);
      await letGo(services, session, sessionId);
      return {};
    },
  },
  logout: {
    params: LogoutParams,
    async run(_params: z.output<typeof LogoutParams>, { keel }: AcpContext): Promise<LogoutResponse> {
      const { auth } = await keel();
      // Only what Keel stored can go: a key in the environment keel acp started with stays (the editor's settings hold it).
      try {
        auth.remove();
      } catch (error) {
        throw DomainErrors.unavailable(`failed to remove ${auth.filePath}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      return {};
    },
  },
};

/**
 * session/load (`history`) and session/resume: the thread joined in `cwd`, with the editor's MCP
 * servers. Load hears it from its log's first event — the session's commands, then the whole history
 * as the updates it streamed live, before the answer, as ACP asks; resume hears it from now on, its
 * history unsent, and is told its commands once the answer is written, as a new session is.
 */
export async function reopenSession(params: z.output<typeof LoadSessionParams>, { session, keel, logger, afterResponse }: AcpContext, history: boolean): Promise<LoadSessionResponse> {
  const mcpServers = mcpServerConfigs(params.mcpServers ?? [], params.cwd);
  const services = await keel();
  const commands = await commandsUpdate(services, params.cwd);
  const { value: state, publish } = await services.threads.resume(params.sessionId, { cwd: params.cwd }, session, history ? 0 : null);
  session.sessions.add(params.sessionId);
  if (history) {
    session.update(params.sessionId, commands);
    session.replayingHistory(params.sessionId, publish);
  } else {
    publish();
    afterResponse?.(() => session.update(params.sessionId, commands));
  }
  await joinSessionMcp(services, session, params.sessionId, mcpServers, logger, afterResponse);
  return sessionSetup(services, session, state);
}

/**
 * Interrupts the session's running turn, as session/cancel does. When this connection hears the
 * thread, it waits for the turn's end to reach it: the prompt that started it is answered
 * `cancelled` before the connection stops hearing the thread (else that prompt would never end).
 */
export async function cancelRunningTurn(services: Keel, session: AcpSession, sessionId: string, heard: boolean): Promise<void> {
  const turnId = services.registry.liveState(sessionId)?.activeTurnId ?? null;
  if (turnId === null) return;
  const ended = heard ? session.turnEnded(turnId) : null;
  (await services.threads.interrupt(sessionId, turnId)).publish();
  await ended;
}

/** What this connection gave the session: its editor's MCP servers, the files and terminal it lent, its choices not yet sent. */
async function letGo(services: Keel, session: AcpSession, sessionId: string): Promise<void> {
  session.choices.forget(sessionId);
  services.workspaces.release(sessionId, session);
  await services.threadMcp.leaveThread(sessionId, session);
}
