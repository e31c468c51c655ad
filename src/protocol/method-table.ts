// The one source of truth for every message Keel serves or sends, composed from one part per
// resource. Dispatch, the client library, schema/, generated/ and the method list in
// app-server.md are all derived from it.
import { accountMethods } from './methods/account.js';
import { collaborationMethods } from './methods/collaboration.js';
import { commandMethods } from './methods/commands.js';
import { configMethods } from './methods/config.js';
import { coreMethods } from './methods/core.js';
import { extensionMethods } from './methods/extensions.js';
import { featureMethods } from './methods/features.js';
import { feedbackMethods } from './methods/feedback.js';
import { fileMethods } from './methods/files.js';
import { mcpMethods } from './methods/mcp.js';
import { modelMethods } from './methods/models.js';
import { providerMethods } from './methods/providers.js';
import { serverRequestMethods } from './methods/server-requests.js';
import { setupMethods } from './methods/setup.js';
import { threadMethods } from './methods/threads.js';
import { threadMetaMethods } from './methods/thread-meta.js';
import { turnProgressMethods } from './methods/turn-progress.js';
import { turnMethods } from './methods/turns.js';

export const methodTable = {
  ...coreMethods,
  ...threadMethods,
  ...configMethods,
  ...turnMethods,
  ...turnProgressMethods,
  ...collaborationMethods,
  ...modelMethods,
  ...providerMethods,
  ...accountMethods,
  ...extensionMethods,
  ...mcpMethods,
  ...setupMethods,
  ...featureMethods,
  ...feedbackMethods,
  ...fileMethods,
  ...commandMethods,
  ...serverRequestMethods,
  ...threadMetaMethods,
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
