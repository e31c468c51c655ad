// Everything a client needs after the handshake — config.toml, model providers, the thread store
// and the turn engine, and the handlers over them — built on first use, which main.ts starts as
// soon as `initialize` is answered. Keeping it off the start-up path is what lets the handshake
// answer in a few tens of milliseconds.
import { ConfigStore } from '../config/config-store.js';
import { createProviderSource } from '../engine/provider-source.js';
import { DomainError } from '../engine/errors.js';
import { defaultProvider, SCRIPTED_NOTE, settingsDefaults, turnLimits } from '../engine/run-defaults.js';
import { noTools } from '../engine/turns/tools.js';
import type { Log } from '../log.js';
import type { ClientRequestMethod } from '../protocol/method-table.js';
import { methodsWhere } from '../protocol/method-index.js';
import type { Handler } from './dispatch.js';
import { configHandlers } from './handlers/config.js';
import { Lazy } from './handlers/lazy.js';
import { modelList } from './handlers/models.js';
import type { ThreadSubsystem } from './handlers/threads/index.js';
import { isThreadMethod, type ThreadMethod } from './handlers/threads/thread-methods.js';

/** The requests served here: all but the handshake and process diagnostics. */
export type ServiceMethod = Exclude<ClientRequestMethod, 'initialize' | 'server/diagnostics'>;

export interface ServiceOptions {
  home: string;
  dbPath: string;
  version: string;
  logger: Log;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Account-level notifications for every connection (rate limits). */
  broadcast: (method: string, params: unknown) => void;
}

export interface Services {
  handlers: { [M in ServiceMethod]: Handler<M> };
  threads: Lazy<ThreadSubsystem>;
  close(): Promise<void>;
}

export function startServices(options: ServiceOptions): Services {
  const { logger, env } = options;
  const config = new ConfigStore(options.home, {
    onProblems: ({ filePath, warnings, loadError }) => logger.warn({ file: filePath, warnings, loadError }, 'config.toml: invalid values are ignored'),
  });
  const providers = createProviderSource({ scriptPath: env.KEEL_SCRIPT || null, env, custom: () => config.resolved().modelProviders });
  const defaults = () => settingsDefaults(config.resolved(), env, options.cwd);
  const threads = new Lazy(async () => {
    const { startThreads } = await import('./handlers/threads/index.js');
    if (defaultProvider(config.resolved(), env) === 'scripted') logger.info(SCRIPTED_NOTE);
    return startThreads({
      dbPath: options.dbPath,
      version: options.version,
      logger,
      defaults,
      providers,
      tools: noTools,
      limits: () => turnLimits(config.resolved()),
      broadcast: options.broadcast,
    });
  });
  const threadHandlers = Object.fromEntries(
    (methodsWhere((info) => info.direction === 'clientRequest' && isThreadMethod(info.method)) as ThreadMethod[]).map((m) => [m, deferredThreadHandler(threads, m)]),
  ) as { [M in ThreadMethod]: Handler<M> };
  return {
    threads,
    handlers: {
      ...configHandlers(config),
      'model/list': modelList({ providers, defaults, env, configured: () => Object.keys(config.resolved().modelProviders) }),
      ...threadHandlers,
    },
    close: async () => {
      const subsystem = await threads.started()?.catch(() => undefined);
      await subsystem?.close();
    },
  };
}

/** A thread handler that waits for the thread subsystem (SQLite, the turn engine). */
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
