// Compile-time proof that the server's own types (inferred from the method table's zod schemas)
// are the types in generated/. `npm run typecheck` fails when they disagree.
import type * as Generated from '../../generated/methods.js';
import type { ClientRequestMethod, ServerNotificationMethod, ServerRequestMethod } from './method-table.js';
import type { ParamsOf, ResultOf } from './wire-types.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AllTrue<T extends Record<string, true>> = T;

type SameKeys<A, B> = Same<keyof A, B>;

export type ClientRequestsMatch = AllTrue<{
  [M in ClientRequestMethod]: Same<ParamsOf<M>, Generated.ClientRequests[M]['params']> extends true
    ? Same<ResultOf<M>, Generated.ClientRequests[M]['result']>
    : false;
}>;
export type ServerRequestsMatch = AllTrue<{
  [M in ServerRequestMethod]: Same<ParamsOf<M>, Generated.ServerRequests[M]['params']> extends true
    ? Same<ResultOf<M>, Generated.ServerRequests[M]['result']>
    : false;
}>;
export type ServerNotificationsMatch = AllTrue<{
  [M in ServerNotificationMethod]: Same<ParamsOf<M>, Generated.ServerNotifications[M]['params']>;
}>;
export type MethodSetsMatch = AllTrue<{
  clientRequests: SameKeys<Generated.ClientRequests, ClientRequestMethod>;
  serverRequests: SameKeys<Generated.ServerRequests, ServerRequestMethod>;
  serverNotifications: SameKeys<Generated.ServerNotifications, ServerNotificationMethod>;
}>;
