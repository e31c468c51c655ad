// Entry point: reads flags and environment, builds the logger and the handlers, serves stdio
// until EOF or SIGTERM, then flushes and exits 0.
import { resolveHome } from './config/home.js';
import { createLogger } from './log.js';
import { buildHandlers } from './server/handlers/index.js';
import { serveConnection } from './server/server.js';
import { keelVersion } from './version.js';

// Anything a dependency prints with console.log must not corrupt the protocol stream.
console.log = console.error;
console.info = console.error;

const logger = createLogger();
const startedAtMs = Date.now();
const home = resolveHome();
const handlers = buildHandlers({ identity: { version: keelVersion, home }, diagnostics: { startedAtMs, gauges: () => [] } });
const connection = serveConnection(process.stdin, process.stdout, handlers, logger);

let stopping = false;
async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.debug({ reason }, 'shutting down');
  try {
    await connection.flush();
  } finally {
    connection.dispose();
    process.exit(0);
  }
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception'));
process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
void connection.closed.then(() => shutdown('input closed'));
