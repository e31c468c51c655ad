import type { HandlerMap } from '../dispatch.js';
import { diagnosticsHandler, type DiagnosticsSource } from './diagnostics.js';
import { initializeHandler, type ServerIdentity } from './initialize.js';

export interface HandlerDeps {
  identity: ServerIdentity;
  diagnostics: DiagnosticsSource;
}

export function buildHandlers(deps: HandlerDeps): HandlerMap {
  return {
    initialize: initializeHandler(deps.identity),
    'server/diagnostics': diagnosticsHandler(deps.diagnostics),
  };
}
