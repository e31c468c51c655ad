// The one source of truth for every message Keel serves or sends. Dispatch, the client library,
// schema/, generated/ and the method list in app-server.md are all derived from this table.
import { clientNotification, clientRequest } from './method-spec.js';
import { InitializeParams, InitializeResponse } from './schemas/initialize.js';
import { ServerDiagnosticsParams, ServerDiagnosticsResponse } from './schemas/diagnostics.js';

export const methodTable = {
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

export type MethodTable = typeof methodTable;
export type MethodName = keyof MethodTable;

type OfDirection<D extends string> = {
  [M in MethodName]: MethodTable[M]['direction'] extends D ? M : never;
}[MethodName];

export type ClientRequestMethod = OfDirection<'clientRequest'>;
export type ServerNotificationMethod = OfDirection<'serverNotification'>;
export type ServerRequestMethod = OfDirection<'serverRequest'>;

export function lookupMethod(method: string) {
  return Object.hasOwn(methodTable, method) ? methodTable[method as MethodName] : undefined;
}
