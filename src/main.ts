// Entry point: reads flags and environment, opens the store, builds the services and handlers,
// serves stdio until EOF or SIGTERM, then flushes, closes the store and exits 0.
import { parseOptions, UsageError } from './config/flags.js';
import { uuidv7 } from './engine/ids.js';
import { ThreadRegistry } from './engine/thread-registry.js';
import { createLogger } from './log.js';
import { buildHandlers } from './server/handlers/index.js';
import { serveConnection } from './server/server.js';
import { openDatabase } from './store/database.js';
import { EventLog } from './store/event-log.js';
import { keelVersion } from './version.js';

// Anything a dependency prints with console.log must not corrupt the protocol stream.
console.log = console.error;
console.info = console.error;

const logger = createLogger();

async function main(): Promise<void> {
  const startedAtMs = Date.now();
  const options = parseOptions(process.argv.slice(2));
  const database = await openDatabase(options.dbPath);
  const registry = new ThreadRegistry(new EventLog(database));
  const recovered = registry.recover();
  if (recovered > 0) logger.warn({ recovered }, 'closed turns left in progress by a previous run as interrupted');

  const handlers = buildHandlers({
    identity: { version: keelVersion, home: options.home },
    diagnostics: { startedAtMs, gauges: () => [{ name: 'loadedThreads', value: registry.loadedIds().length }] },
    threads: {
      registry,
      database,
      version: keelVersion,
      now: Date.now,
      newId: () => uuidv7(),
      defaults: () => ({ model: 'scripted', modelProvider: 'scripted', approvalPolicy: 'on-request', sandbox: 'workspace-write', cwd: process.cwd() }),
    },
  });
  const connection = serveConnection(process.stdin, process.stdout, handlers, logger);

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.debug({ reason }, 'shutting down');
    try {
      registry.closeAll();
      await connection.flush();
      await database.close();
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
main().catch((error: unknown) => {
  logger.fatal(error instanceof UsageError ? { msg: error.message } : { err: error }, 'keel could not start');
  process.exit(error instanceof UsageError ? 2 : 1);
});
