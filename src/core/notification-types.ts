// The typed union of notifications core produces, derived from the method table.
import type { ServerNotificationMethod } from '../protocol/method-table.js';
import type { ParamsOf } from '../protocol/wire-types.js';

export type ServerNotification = {
  [M in ServerNotificationMethod]: { method: M; params: ParamsOf<M> };
}[ServerNotificationMethod];
