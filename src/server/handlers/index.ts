// The routes: the handshake and diagnostics served directly, everything else through the one lazy
// step that builds the services (services.ts) — started as soon as `initialize` is answered.
import type { Lazy } from '../../kernel/lazy.js';
import { InitializeParams } from '../../protocol/schemas/initialize.js';
import { ServerDiagnosticsParams } from '../../protocol/schemas/diagnostics.js';
import type { Routes } from '../dispatch.js';
import type { Services } from '../services.js';
import { diagnosticsHandler, type DiagnosticsSource } from './diagnostics.js';
import { initializeHandler, type ServerIdentity } from './initialize.js';

export interface RouteDeps {
  identity: ServerIdentity;
  diagnostics: DiagnosticsSource;
  services: Lazy<Services>;
}

export function buildRoutes({ identity, diagnostics, services }: RouteDeps): Routes {
  const warmUp = () => void services.get().catch(() => undefined);
  return {
    direct: {
      initialize: { params: InitializeParams, handler: initializeHandler(identity, warmUp) },
      'server/diagnostics': { params: ServerDiagnosticsParams, handler: diagnosticsHandler(diagnostics) },
    },
    services: async () => {
      const { routes } = await services.get();
      return (method) => routes[method];
    },
    initialized: (session) => {
      void services
        .get()
        .then((ready) => ready.startupWarnings)
        .then((warnings) => warnings.forEach((warning) => session.notify('configWarning', warning)))
        .catch(() => undefined);
    },
  };
}
