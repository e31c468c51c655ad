// Entry point: reads the command line. Serving answers the handshake and serves stdio until EOF or
// SIGTERM, then flushes, ends running turns, closes the store and exits 0. Everything past the
// handshake (config, providers, the thread store, the engine) is one lazy step, loaded right after
// `initialize` is answered. Help, version and the generate-* commands print or write, then exit; a
// wrong flag or value prints its usage message on stderr and exits 2.
import path from 'node:path';
import { parseCommandLine, UsageError, type Command, type ServeOptions } from './cli/command-line.js';
import { helpText, usageErrorText } from './cli/usage.js';
import { clientLimits } from './kernel/client-limits.js';
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
/** At shutdown, how long Keel waits for the client to take its last output. */
const SHUTDOWN_FLUSH_MS = 5_000;

function serve(options: ServeOptions): void {
  const startedAtMs = Date.now();
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
      configOverrides: options.configOverrides,
      programPath: path.resolve(process.argv[1] ?? ''),
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
  const limits = clientLimits(() => services.peek()?.keel.config.resolved().keel);
  const connection = serveConnection(process.stdin, process.stdout, routes, logger, limits);
  broadcast = (method, params) => connection.session.notify(method, params);

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.debug({ reason }, 'shutting down');
    try {
      const loaded = await services.started()?.catch(() => undefined);
      await loaded?.keel.close();
      // A client that stopped reading will not take the rest: do not wait for it (nor forever for anyone).
      if (reason === 'input ended') await Promise.race([connection.flush(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref())]);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
    } finally {
      connection.dispose();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  void connection.closed.then((reason) => shutdown(reason));
}

/** Plain lines on stderr and an exit code: what a person at a terminal or a client's log should see. */
function fail(message: string, code: number): void {
  process.stderr.write(message);
  process.exitCode = code;
}

async function run(command: Command): Promise<void> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(helpText(command.topic));
      return;
    case 'version':
      process.stdout.write(`keel ${keelVersion}\n`);
      return;
    case 'generate': {
      const { writeContract } = await import('./cli/write-contract.js');
      // The committed contract ships beside the bundle: dist/../schema, dist/../generated.
      try {
        writeContract({ ...command, packageRoot: path.resolve(__dirname, '..') });
      } catch (error) {
        fail(`keel: ${(error as Error).message}\n`, 1);
      }
      return;
    }
    case 'client': {
      const { runClientCommand } = await import('./cli/client/run-client.js');
      process.exitCode = await runClientCommand(command.run);
      return;
    }
    case 'serve': {
      const { options } = command;
      // Parsed, not served yet: the listeners come in the next steps.
      const socket = options.listen.addresses.find((address) => address.transport !== 'stdio');
      if (socket !== undefined) return fail(`keel: --listen ${socket.transport}: not served yet\n`, 2);
      // Only these flags need the config schema before serving; without them start-up stays lean.
      if (options.configOverrides.length > 0 || options.strictConfig) {
        const { startupConfigProblem } = await import('./config/startup-check.js');
        const problem = startupConfigProblem({ home: options.home, overrides: options.configOverrides, strict: options.strictConfig });
        if (problem !== null) return fail(`keel: ${problem}\n`, 2);
      }
      serve(options);
    }
  }
}

process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception'));
process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
let command: Command | undefined;
try {
  command = parseCommandLine(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  fail(usageErrorText(error), 2);
}
if (command !== undefined) {
  run(command).catch((error: unknown) => {
    logger.fatal({ err: error }, 'keel could not start');
    process.exit(1);
  });
}
