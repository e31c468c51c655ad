import { methodTable } from '../../protocol/method-table.js';
import { DomainError } from '../../engine/errors.js';
import type { Handler, HandlerMap } from '../dispatch.js';
import type { ConfigStore } from '../../config/config-store.js';
import { configHandlers } from './config.js';
import { modelList, type ModelListDeps } from './models.js';
import { diagnosticsHandler, type DiagnosticsSource } from './diagnostics.js';
import { initializeHandler, type ServerIdentity } from './initialize.js';
import type { Lazy } from './lazy.js';
import type { ThreadSubsystem } from './threads/index.js';
import { isThreadMethod, type ThreadMethod } from './threads/thread-methods.js';

export interface HandlerDeps {
  identity: ServerIdentity;
  diagnostics: DiagnosticsSource;
  threads: Lazy<ThreadSubsystem>;
  config: ConfigStore;
  models: ModelListDeps;
}

const threadMethods = Object.keys(methodTable).filter(isThreadMethod) as ThreadMethod[];

/** A thread handler that waits for the thread subsystem, which loads after `initialize`. */
function deferredThreadHandler<M extends ThreadMethod>(threads: Lazy<ThreadSubsystem>, method: M): Handler<M> {
  return async (params, ctx) => {
    let subsystem: ThreadSubsystem;
    try {
      subsystem = await threads.get();
    } catch (error) {
      throw new DomainError(`thread store unavailable: ${(error as Error).message}`);
    }
    return (subsystem.handlers[method] as Handler<M>)(params, ctx);
  };
}

export function buildHandlers(deps: HandlerDeps): HandlerMap {
  const threadHandlers = Object.fromEntries(threadMethods.map((m) => [m, deferredThreadHandler(deps.threads, m)]));
  return {
    initialize: initializeHandler(deps.identity, () => void deps.threads.get().catch(() => undefined)),
    'server/diagnostics': diagnosticsHandler(deps.diagnostics),
    ...configHandlers(deps.config),
    'model/list': modelList(deps.models),
    ...(threadHandlers as { [M in ThreadMethod]: Handler<M> }),
  };
}
