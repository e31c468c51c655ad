// Entry point: reads flags and environment, answers the handshake, and serves stdio until EOF or
// SIGTERM, then flushes, ends running turns, closes the store and exits 0. Everything past the
// handshake (config, providers, the thread store, the engine) is one lazy step, loaded right after
// `initialize` is answered.
import { parseOptions, UsageError } from './config/flags.js';
import { Lazy } from './kernel/lazy.js';
import { createLogger } from './log.js';
import { buildRoutes } from './server/handlers/index.js';
import { serveConnection } from './server/server.js';
import type { Services } from './server/services.js';
import { keelVersion } from './version.js';

// Anything a dependency prints with console.log must not corrupt the protocol stream.
console.log = console.error;
console.info = console.error;

const logger = createLogger();

function main(): void {
  const startedAtMs = Date.now();
  const options = parseOptions(process.argv.slice(2));
  // Late-bound: the connection is created after the routes that broadcast through it.
  let broadcast: (method: string, params: unknown) => void = () => {};
  const services = new Lazy<Services>(async () =>
    (await import('./server/services.js')).startServices({
      home: options.home,
      dbPath: options.dbPath,
      version: keelVersion,
      logger,
      env: process.env,
      cwd: process.cwd(),
      broadcast: (method, params) => broadcast(method, params),
    }),
  );
  const routes = buildRoutes({
    identity: { version: keelVersion, home: options.home },
    diagnostics: {
      startedAtMs,
      gauges: () => [{ name: 'loadedThreads', value: services.peek()?.keel.registry.loadedIds().length ?? 0 }],
    },
    services,
  });
  const connection = serveConnection(process.stdin, process.stdout, routes, logger);
  broadcast = (method, params) => connection.session.notify(method, params);

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.debug({ reason }, 'shutting down');
    try {
      const loaded = await services.started()?.catch(() => undefined);
      await loaded?.keel.close();
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
