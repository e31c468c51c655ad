// Routes each client request through the connection gates, params validation and its handler.
// Everything that can go wrong becomes a JSON-RPC error here; nothing escapes to the connection.
import type { Logger } from 'pino';
import { isRpcError, RpcErrors } from '../protocol/errors.js';
import { codexClientMethods } from '../protocol/codex-surface.js';
import { lookupMethod, type ClientRequestMethod } from '../protocol/method-table.js';
import type { ParamsOf, ResultOf } from '../protocol/wire-types.js';
import type { Session } from './session.js';
import { parseParams } from './validate.js';

export interface RequestContext {
  session: Session;
  signal: AbortSignal;
}

export type Handler<M extends ClientRequestMethod> = (
  params: ParamsOf<M>,
  ctx: RequestContext,
) => Promise<ResultOf<M>> | ResultOf<M>;

export type HandlerMap = { [M in ClientRequestMethod]: Handler<M> };

const codexMethods = new Set<string>(codexClientMethods);

export class Dispatcher {
  constructor(
    private readonly handlers: HandlerMap,
    private readonly logger: Logger,
  ) {}

  async handleRequest(method: string, rawParams: unknown, session: Session, signal: AbortSignal): Promise<unknown> {
    try {
      const spec = lookupMethod(method);
      if (spec === undefined || spec.direction !== 'clientRequest') {
        throw codexMethods.has(method) ? RpcErrors.methodNotSupported(method) : RpcErrors.methodNotFound(method);
      }
      if (method === 'initialize') {
        if (session.initialized) throw RpcErrors.alreadyInitialized();
      } else if (!session.initialized) {
        throw RpcErrors.notInitialized();
      }
      const params = rawParams ?? {};
      this.checkExperimental(method, spec, params, session);
      const parsed = parseParams(spec.params, params);
      const handler = this.handlers[method as ClientRequestMethod] as Handler<ClientRequestMethod>;
      return await handler(parsed as never, { session, signal });
    } catch (error) {
      if (isRpcError(error)) throw error;
      this.logger.error({ err: error, method }, 'request handler failed');
      throw RpcErrors.internal();
    }
  }

  handleNotification(method: string, session: Session): void {
    if (method === 'initialized') {
      session.acknowledged = true;
      return;
    }
    this.logger.debug({ method }, 'ignoring unknown client notification');
  }

  private checkExperimental(
    method: string,
    spec: { stability: string; experimentalFields?: readonly string[] },
    params: unknown,
    session: Session,
  ): void {
    if (session.experimentalApi) return;
    if (spec.stability === 'experimental') throw RpcErrors.experimentalRequired(method);
    if (typeof params !== 'object' || params === null) return;
    for (const field of spec.experimentalFields ?? []) {
      const value = (params as Record<string, unknown>)[field];
      if (value !== undefined && value !== null) throw RpcErrors.experimentalRequired(`${method}.${field}`);
    }
  }
}
