// Connection-level messages: the handshake and process diagnostics.
import { clientNotification, clientRequest } from '../method-spec.js';
import { ServerDiagnosticsParams, ServerDiagnosticsResponse } from '../schemas/diagnostics.js';
import { InitializeParams, InitializeResponse } from '../schemas/initialize.js';

export const coreMethods = {
  initialize: clientRequest({
    typeName: 'Initialize',
    stability: 'stable',
    summary: 'Opens the connection: client info and capabilities in, server identity out.',
    params: InitializeParams,
    result: InitializeResponse,
    codexResult: 'InitializeResponse',
  }),
  initialized: clientNotification({
    typeName: 'Initialized',
    stability: 'stable',
    summary: 'The client acknowledges the initialize response.',
  }),
  'server/diagnostics': clientRequest({
    typeName: 'ServerDiagnostics',
    stability: 'experimental',
    summary: 'Process-local diagnostics: pid, resident memory and gauges; no content.',
    params: ServerDiagnosticsParams,
    result: ServerDiagnosticsResponse,
    codexResult: 'v2/ServerDiagnosticsResponse',
  }),
} as const;
