// Serves one ACP client over its channel: JSON-RPC 2.0 as ACP writes it (the `jsonrpc` member on
// every message), with Keel's own connection — its line limits, and the app-server's own connection
// core (server.ts connectionCore: output pacing, output limit, slow-client handling, drain-then-close)
// — and the ACP methods (acp-handlers.ts).
import type { Log } from '../../log.js';
import type { Channel } from '../../transport/channel.js';
import { jsonRpc2Dialect } from '../../transport/dialect.js';
import { RpcConnection, type IncomingRequest } from '../../transport/rpc-connection.js';
import { DomainError } from '../../kernel/errors.js';
import { RpcError, RpcErrors } from '../../protocol/errors.js';
import { parseParams } from '../validate.js';
import { connectionCore, type CloseReason, type ConnectionOptions } from '../server.js';
import type { Keel } from '../open-keel.js';
import type { ProviderSetup } from '../provider-setup.js';
import { acpNotifications, acpRequests, type AcpContext } from './acp-handlers.js';
import { AcpSession } from './acp-session.js';

/** ACP's own codes beside JSON-RPC's (the schema's ErrorCode: -32002 for a session or other resource that does not exist). */
const acpErrors = {
  resourceNotFound: (message: string) => new RpcError(-32002, `Resource not found: ${message}`),
};

export interface AcpConnection {
  session: AcpSession;
  closed: Promise<CloseReason>;
  flush(): Promise<void>;
  dispose(): void;
}

/** `setup`: config, keys and providers (what initialize needs), ready before the services `keel` starts. */
export function serveAcp(channel: Channel, keel: () => Promise<Keel>, setup: () => ProviderSetup, version: string, logger: Log, options: ConnectionOptions): AcpConnection {
  const context = (): AcpContext => ({ session, keel, setup, version, logger });
  const core = connectionCore(channel, logger, options, (writer) =>
    new RpcConnection(writer, {
      request: (request) => handle(request, { ...context(), afterResponse: request.afterResponse }, logger),
      notification: (method, params) => void notified(method, params, context(), logger),
    }, logger, jsonRpc2Dialect),
  );
  const session = new AcpSession({
    sendNotification: (method, params, emittedAtMs) => core.connection.notify(method, params, emittedAtMs),
    sendRequest: (method, params) => core.connection.request(method, params),
    whenWritable: () => core.writer.whenWritable(),
  });
  // The editor's MCP servers are the connection's: they stop when it ends (a session seen means Keel's services run).
  void core.closed
    .then(async () => {
      if (session.sessions.size === 0) return;
      const services = await keel();
      services.workspaces.leave(session);
      await services.threadMcp.leave(session);
    })
    .catch((error: unknown) => logger.warn({ err: error }, "could not stop the editor's MCP servers"));
  core.start();
  return { session, closed: core.closed, flush: core.flush, dispose: core.dispose };
}

async function handle({ method, params }: IncomingRequest, context: AcpContext, logger: Log): Promise<unknown> {
  const entry = acpRequests[method];
  if (entry === undefined || !Object.hasOwn(acpRequests, method)) throw RpcErrors.methodNotFound(method);
  if (method !== 'initialize' && !context.session.initialized) throw RpcErrors.domain('Not initialized: send initialize first');
  try {
    return await entry.run(parseParams(entry.params, params), context);
  } catch (error) {
    throw rpcErrorOf(error, method, logger);
  }
}

/** A notification has no answer: what goes wrong is logged. */
async function notified(method: string, params: unknown, context: AcpContext, logger: Log): Promise<void> {
  const entry = Object.hasOwn(acpNotifications, method) ? acpNotifications[method] : undefined;
  if (entry === undefined) return void logger.debug({ method }, 'ignored an ACP notification Keel does not take');
  try {
    await entry.run(parseParams(entry.params, params), context);
  } catch (error) {
    logger.warn({ err: error, method }, 'an ACP notification failed');
  }
}

function rpcErrorOf(error: unknown, method: string, logger: Log): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof DomainError) {
    if (error.kind === 'unavailable' || error.kind === 'corrupt') return RpcErrors.serverFault(error.message);
    if (error.kind === 'notFound') return acpErrors.resourceNotFound(error.message);
    return error.field === undefined ? RpcErrors.domain(error.message) : RpcErrors.invalidParams(`${error.field}: ${error.message}`, { issues: [{ path: error.field, message: error.message }] });
  }
  logger.error({ err: error, method }, 'ACP request failed');
  return RpcErrors.internal();
}
