// Routes each client request through the connection gates, params validation and its handler.
// Everything that can go wrong becomes a JSON-RPC error here; nothing escapes to the connection.
import type { Log } from '../log.js';
import { isRpcError, RpcErrors } from '../protocol/errors.js';
import { codexClientMethods } from '../protocol/codex-surface.js';
import type { ClientRequestMethod } from '../protocol/method-table.js';
import { methodInfo, type MethodInfo } from '../protocol/method-index.js';
import { paramsSchema } from '../protocol/params-schema.js';
import type { ParamsOf, ResultOf } from '../protocol/wire-types.js';
import { DomainError } from '../engine/errors.js';
import { InvalidCursorError } from '../store/cursor.js';
import { EventLogGapError } from '../store/errors.js';
import type { Session } from './session.js';
import { parseParams } from './validate.js';

export interface RequestContext {
  session: Session;
  signal: AbortSignal;
  /** Runs `task` once the response has been written: notifications follow their response. */
  afterResponse(task: () => void): void;
}

export type Handler<M extends ClientRequestMethod> = (
  params: ParamsOf<M>,
  ctx: RequestContext,
) => Promise<ResultOf<M>> | ResultOf<M>;

export type HandlerMap = { [M in ClientRequestMethod]: Handler<M> };

const codexMethods = new Set<string>(codexClientMethods);

function runAll(tasks: Array<() => void>, logger: Log): void {
  for (const task of tasks) {
    try {
      task();
    } catch (error) {
      logger.error({ err: error }, 'post-response task failed');
    }
  }
}

export class Dispatcher {
  constructor(
    private readonly handlers: HandlerMap,
    private readonly logger: Log,
    /** Runs a task right after the response carrying `result` is written. */
    private readonly afterResponse: (result: object, task: () => void) => void,
  ) {}

  async handleRequest(method: string, rawParams: unknown, session: Session, signal: AbortSignal): Promise<unknown> {
    try {
      const spec = methodInfo(method);
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
      const parsed = parseParams(await paramsSchema(method as ClientRequestMethod), params);
      const handler = this.handlers[method as ClientRequestMethod] as Handler<ClientRequestMethod>;
      const deferred: Array<() => void> = [];
      const result = await handler(parsed as never, { session, signal, afterResponse: (task) => deferred.push(task) });
      if (deferred.length > 0) this.afterResponse(result as object, () => runAll(deferred, this.logger));
      return result;
    } catch (error) {
      if (isRpcError(error)) throw error;
      if (error instanceof DomainError) throw RpcErrors.domain(error.message);
      if (error instanceof EventLogGapError) throw RpcErrors.domain(error.message);
      if (error instanceof InvalidCursorError) throw RpcErrors.invalidParams(`cursor: ${error.message}`, { issues: [{ path: 'cursor', message: error.message }] });
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

  private checkExperimental(method: string, spec: MethodInfo, params: unknown, session: Session): void {
    if (session.experimentalApi) return;
    if (spec.stability === 'experimental') throw RpcErrors.experimentalRequired(method);
    if (typeof params !== 'object' || params === null) return;
    for (const field of spec.experimentalFields ?? []) {
      const value = (params as Record<string, unknown>)[field];
      if (value !== undefined && value !== null) throw RpcErrors.experimentalRequired(`${method}.${field}`);
    }
  }
}
