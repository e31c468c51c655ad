// Routes each client request through the connection gates, params validation and its handler.
// The handshake and diagnostics are served directly; every other method awaits the one lazy step
// that builds the services (services.ts). Everything that can go wrong becomes a JSON-RPC error
// here, with the one mapping from error kinds to codes; nothing escapes to the connection.
// A request for a thread another Keel process runs (OwnedElsewhere) is handed to the connection's
// forwarder (peers/peer-forwarding.ts), whose answer is the answer.
import type { z } from 'zod';
import type { Log } from '../log.js';
import { DomainError, OwnedElsewhere, type DomainErrorKind } from '../kernel/errors.js';
import { isRpcError, RpcErrors, type RpcError } from '../protocol/errors.js';
import { codexClientMethods } from '../protocol/codex-surface.js';
import type { ClientRequestMethod } from '../protocol/method-table.js';
import { notInKeelReason } from '../protocol/not-in-keel.js';
import { withTodaysSpellings } from '../protocol/legacy-spellings.js';
import { methodInfo, type MethodInfo } from '../protocol/method-index.js';
import type { ParamsOf, ResultOf } from '../protocol/wire-types.js';
import { isPeerSession } from './peers/peer-address.js';
import type { Session } from './session.js';
import { parseParams } from './validate.js';

export interface RequestContext {
  session: Session;
  /** The client's id of this request (what thread/search/cancel names). */
  requestId: string | number;
  signal: AbortSignal;
  /** Runs `task` once this request's response has been written: notifications follow their response. */
  afterResponse(task: () => void): void;
}

export type Handler<M extends ClientRequestMethod> = (params: ParamsOf<M>, ctx: RequestContext) => Promise<ResultOf<M>> | ResultOf<M>;

export interface Route<M extends ClientRequestMethod = ClientRequestMethod> {
  params: z.ZodType;
  handler: Handler<M>;
}

export type DirectMethod = 'initialize' | 'server/diagnostics';

export interface Routes {
  direct: { [M in DirectMethod]: Route<M> };
  /** The one lazy step: resolves the route of any other method once the services are built. */
  services(): Promise<(method: Exclude<ClientRequestMethod, DirectMethod>) => Route>;
  /** After the client's `initialized`: what a connection is told once (start-up warnings). */
  initialized?(session: Session): void;
}

/** The request being answered, as the connection hands it over. */
export interface Incoming {
  /** The client's id, as it sent it. */
  id: string | number;
  method: string;
  params: unknown;
  session: Session;
  signal: AbortSignal;
  /** The connection runs `task` once it has written this request's response. */
  afterResponse(task: () => void): void;
}

/** A request a handler refused because another live Keel process runs its thread. */
export interface Forwarded {
  method: string;
  /** As the client sent them. */
  params: unknown;
  session: Session;
  owned: OwnedElsewhere;
  signal: AbortSignal;
  afterResponse(task: () => void): void;
}

/** Sends such requests to the thread's owner, per client connection. */
export interface Forwarder {
  /** The owner's result, or its error as it is; `owned` itself when the owner cannot be reached from here. */
  forward(request: Forwarded): Promise<unknown>;
  /** The connection closed: its peer links close. */
  close(): void;
}

const codexMethods = new Set<string>(codexClientMethods);

/** -32601 for a method Keel has no route for: why, when it is one Keel will never serve. */
function unservedError(method: string): RpcError {
  const why = notInKeelReason(method);
  if (why !== undefined) return RpcErrors.methodNotAvailable(method, why);
  return codexMethods.has(method) ? RpcErrors.methodNotSupported(method) : RpcErrors.methodNotFound(method);
}

/** Codex answers its domain refusals with -32600; a server-side fault is never one of those. */
const CODE_OF_KIND: Record<DomainErrorKind, (error: DomainError) => RpcError> = {
  notFound: (e) => RpcErrors.domain(e.message),
  conflict: (e) => RpcErrors.domain(e.message),
  invalid: (e) =>
    e.field === undefined ? RpcErrors.domain(e.message) : RpcErrors.invalidParams(`${e.field}: ${e.message}`, { issues: [{ path: e.field, message: e.message }] }),
  unavailable: (e) => RpcErrors.serverFault(e.message),
  corrupt: (e) => RpcErrors.serverFault(e.message),
};

export class Dispatcher {
  constructor(
    private readonly routes: Routes,
    private readonly logger: Log,
    private readonly forwarder?: Forwarder,
  ) {}

  async handleRequest({ id, method, params: rawParams, session, signal, afterResponse: whenAnswered }: Incoming): Promise<unknown> {
    const afterResponse = (task: () => void) => whenAnswered(() => this.runAfterResponse(task, method));
    try {
      const spec = methodInfo(method);
      if (spec === undefined || spec.direction !== 'clientRequest') {
        throw unservedError(method);
      }
      if (method === 'initialize') {
        if (session.initialized) throw RpcErrors.alreadyInitialized();
      } else if (!session.initialized) {
        throw RpcErrors.notInitialized();
      }
      const params = withTodaysSpellings(rawParams ?? {});
      this.checkExperimental(method, spec, params, session);
      const route = await this.route(method as ClientRequestMethod);
      const parsed = parseParams(route.params, params);
      return await route.handler(parsed as never, { session, requestId: id, signal, afterResponse });
    } catch (error) {
      // A peer session never forwards again: the lease moved meanwhile, and its client retries.
      if (error instanceof OwnedElsewhere && this.forwarder !== undefined && !isPeerSession(session)) {
        return this.forward({ method, params: rawParams, session, owned: error, signal, afterResponse }, this.forwarder);
      }
      throw this.toRpcError(error, method);
    }
  }

  private async forward(request: Forwarded, forwarder: Forwarder): Promise<unknown> {
    try {
      return await forwarder.forward(request);
    } catch (error) {
      throw this.toRpcError(error, request.method);
    }
  }

  handleNotification(method: string, session: Session): void {
    if (method === 'initialized') {
      if (!session.acknowledged) this.routes.initialized?.(session);
      session.acknowledged = true;
      return;
    }
    this.logger.debug({ method }, 'ignoring unknown client notification');
  }

  private async route(method: ClientRequestMethod): Promise<Route> {
    const direct = this.routes.direct[method as DirectMethod] as Route | undefined;
    if (direct !== undefined) return direct;
    let resolve: Awaited<ReturnType<Routes['services']>>;
    try {
      resolve = await this.routes.services();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('unavailable', `Keel could not start its services: ${(error as Error).message}`);
    }
    return resolve(method as Exclude<ClientRequestMethod, DirectMethod>);
  }

  private toRpcError(error: unknown, method: string): RpcError {
    if (isRpcError(error)) return error;
    if (error instanceof DomainError) {
      if (error.kind === 'unavailable' || error.kind === 'corrupt') this.logger.error({ err: error, method }, 'request failed on the server side');
      return CODE_OF_KIND[error.kind](error);
    }
    this.logger.error({ err: error, method }, 'request handler failed');
    return RpcErrors.internal();
  }

  private runAfterResponse(task: () => void, method: string): void {
    try {
      task();
    } catch (error) {
      this.logger.error({ err: error, method }, 'post-response task failed');
    }
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
