// Entry point: reads flags and environment, builds the handlers, serves stdio until EOF or
// SIGTERM, then flushes, closes the store and exits 0. The thread subsystem (SQLite, Kysely) is
// loaded right after `initialize` is answered, off the start-up path.
import { ConfigStore } from './config/config-store.js';
import { parseOptions, UsageError } from './config/flags.js';
import { createProviderSource } from './engine/provider-source.js';
import { defaultProvider, SCRIPTED_NOTE, settingsDefaults, turnLimits } from './engine/run-defaults.js';
import { noTools } from './engine/turns/tools.js';
import { createLogger } from './log.js';
import { buildHandlers } from './server/handlers/index.js';
import { Lazy } from './server/handlers/lazy.js';
import { serveConnection } from './server/server.js';
import { keelVersion } from './version.js';

// Anything a dependency prints with console.log must not corrupt the protocol stream.
console.log = console.error;
console.info = console.error;

const logger = createLogger();

function main(): void {
  const startedAtMs = Date.now();
  const options = parseOptions(process.argv.slice(2));
  const config = new ConfigStore(options.home, {
    onProblems: ({ filePath, warnings, loadError }) => logger.warn({ file: filePath, warnings, loadError }, 'config.toml: invalid values are ignored'),
  });
  const providers = createProviderSource({ scriptPath: process.env.KEEL_SCRIPT || null, env: process.env, custom: () => config.resolved().modelProviders });
  // Late-bound: the connection is created after the handlers that broadcast through it.
  let broadcast: (method: string, params: unknown) => void = () => {};
  const threads = new Lazy(async () => {
    const { startThreads } = await import('./server/handlers/threads/index.js');
    if (defaultProvider(config.resolved(), process.env) === 'scripted') logger.info(SCRIPTED_NOTE);
    return startThreads({
      dbPath: options.dbPath,
      version: keelVersion,
      logger,
      defaults: () => settingsDefaults(config.resolved(), process.env, process.cwd()),
      providers,
      tools: noTools,
      limits: () => turnLimits(config.resolved()),
      broadcast: (method, params) => broadcast(method, params),
    });
  });
  const handlers = buildHandlers({
    identity: { version: keelVersion, home: options.home },
    diagnostics: {
      startedAtMs,
      gauges: () => [{ name: 'loadedThreads', value: threads.peek()?.services.registry.loadedIds().length ?? 0 }],
    },
    threads,
    config,
    models: {
      providers,
      defaults: () => settingsDefaults(config.resolved(), process.env, process.cwd()),
      env: process.env,
      configured: () => Object.keys(config.resolved().modelProviders),
    },
  });
  const connection = serveConnection(process.stdin, process.stdout, handlers, logger);
  broadcast = (method, params) => connection.session.notify(method, params);

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.debug({ reason }, 'shutting down');
    try {
      const subsystem = await threads.started()?.catch(() => undefined);
      await subsystem?.close();
      await connection.flush();
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
    } finally {
      connection.dispose();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  void connection.closed.then(() => shutdown('input closed'));
}

process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception'));
process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
try {
  main();
} catch (error) {
  logger.fatal(error instanceof UsageError ? { msg: (error as Error).message } : { err: error }, 'keel could not start');
  process.exit(error instanceof UsageError ? 2 : 1);
}
