// The handler map: the handshake and diagnostics here, every other request deferred to the
// services (server/services.ts), which load after `initialize` is answered.
import type { ClientRequestMethod } from '../../protocol/method-table.js';
import { methodsWhere } from '../../protocol/method-index.js';
import { warmUpSchemas } from '../../protocol/params-schema.js';
import type { Handler, HandlerMap } from '../dispatch.js';
import type { ServiceMethod, Services } from '../services.js';
import { diagnosticsHandler, type DiagnosticsSource } from './diagnostics.js';
import { initializeHandler, type ServerIdentity } from './initialize.js';
import type { Lazy } from './lazy.js';

export interface HandlerDeps {
  identity: ServerIdentity;
  diagnostics: DiagnosticsSource;
  services: Lazy<Services>;
}

function deferred<M extends ServiceMethod>(services: Lazy<Services>, method: M): Handler<M> {
  return async (params, ctx) => ((await services.get()).handlers[method] as Handler<M>)(params, ctx);
}

export function buildHandlers(deps: HandlerDeps): HandlerMap {
  const own = new Set<string>(['initialize', 'server/diagnostics']);
  const served = methodsWhere((info) => info.direction === 'clientRequest' && !own.has(info.method)) as ServiceMethod[];
  const warmUp = () => {
    warmUpSchemas();
    void deps.services
      .get()
      .then((services) => services.threads.get())
      .catch(() => undefined);
  };
  return {
    initialize: initializeHandler(deps.identity, warmUp),
    'server/diagnostics': diagnosticsHandler(deps.diagnostics),
    ...(Object.fromEntries(served.map((m) => [m, deferred(deps.services, m)])) as { [M in ServiceMethod]: Handler<M> }),
  } satisfies Record<ClientRequestMethod, unknown>;
}
